#!/usr/bin/env node
// The daemons start without oclif (src/cli/daemons.ts); everything else, help included, is oclif's.
const { runDaemon } = await import('../dist/cli/daemons.js');
const code = await runDaemon(process.argv.slice(2));
if (code === undefined) {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
} else process.exit(code);
