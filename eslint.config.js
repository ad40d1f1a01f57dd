// Lint rules. The determinism block is the one that matters most: the protocol cores and the
// simulator must take time and randomness only from their ports, or runs stop being replayable.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nondeterministicGlobals = ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'];
const why = 'core and sim code take time and randomness from ports (Clock, Random) only';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'build/', 'coverage/', 'bench/results/', 'src/adapters/linux/native/build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/adapters/sim/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: why },
        { object: 'Math', property: 'random', message: why },
        { object: 'performance', property: 'now', message: why },
        { object: 'process', property: 'hrtime', message: why },
        ...nondeterministicGlobals.map((property) => ({ object: 'globalThis', property, message: why })),
      ],
      'no-restricted-globals': [
        'error',
        ...nondeterministicGlobals.map((name) => ({ name, message: why })),
        { name: 'performance', message: why },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: why },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], allowTypeImports: true, message: 'src/core is pure: no Node built-ins at run time' },
            { group: ['**/adapters/**', '**/commands/**'], message: 'imports point one way: commands -> adapters -> core' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/commands/**'], message: 'imports point one way: commands -> adapters -> core' }] },
      ],
    },
  },
);
