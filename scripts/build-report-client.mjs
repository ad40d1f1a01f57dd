#!/usr/bin/env node
// Bundles the HTML report's client (src/report/client/, with uPlot and the wire decoder) into
// dist/report/client.js and client.css, which the report writer inlines into each page.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const outdir = new URL('dist/report/', root).pathname;
const result = await build({
  entryPoints: { client: new URL('src/report/client/main.ts', root).pathname },
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
const js = readFileSync(`${outdir}client.js`, 'utf8');
// The script is inlined in a <script> element: nothing in it may close that element.
if (/<\/script/i.test(js)) throw new Error('the report client contains "</script": it cannot be inlined');
if (process.argv.includes('--sizes')) {
  for (const [file, out] of Object.entries(result.metafile.outputs)) process.stdout.write(`${file}: ${out.bytes} bytes\n`);
}
