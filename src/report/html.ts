/**
 * One self-contained HTML file: the client script and its styles (built into dist/report/ by
 * `npm run build`) and the report's data as JSON, all inline. A Content-Security-Policy forbids
 * every fetch, so the page works from disk and cannot reach the network.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReportData } from './data.js';

/** The built client, next to this module in dist/, or in dist/ seen from src/ (tests run from source). */
function asset(name: string): string {
  const candidates = [new URL(`./${name}`, import.meta.url), new URL(`../../dist/report/${name}`, import.meta.url)];
  for (const url of candidates) {
    try {
      return readFileSync(fileURLToPath(url), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error(`the report client (${name}) is not built: run "npm run build"`);
}

let cached: { js: string; css: string } | undefined;

function client(): { js: string; css: string } {
  cached ??= { js: asset('client.js'), css: asset('client.css') };
  return cached;
}

/** JSON that is safe inside <script>: no "<" can end the element or open a comment. */
function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export function reportHtml(data: ReportData, title: string): string {
  const { js, css } = client();
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css}</style>`,
    '</head><body>',
    '<div id="app"><p class="loading">Loading the report...</p></div>',
    `<script type="application/json" id="report-data">${scriptJson(data)}</script>`,
    `<script>${js}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
