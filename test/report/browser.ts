/**
 * Debian's chromium driven by playwright-core (which downloads no browser), for the report tests:
 * one launch per test file, a fresh profile, and every page watched for console errors and for any
 * request that is not a file on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  open(file: string): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** URLs requested that were not file: URLs (each was refused). */
  network: string[];
  /** Milliseconds from navigation to the page saying it has drawn. */
  readyMs: number;
}

export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'linklab-chromium-'));
  const ctx: BrowserContext = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
  return {
    async open(file) {
      const page = await ctx.newPage();
      const w: WatchedPage = { page, errors: [], network: [], readyMs: 0 };
      page.on('console', (m) => {
        if (m.type() === 'error') w.errors.push(m.text());
      });
      page.on('pageerror', (e) => w.errors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) w.network.push(r.url());
      });
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        w.network.push(url);
        return route.abort();
      });
      const t0 = Date.now();
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => (globalThis as { linklabReport?: { ready: boolean } }).linklabReport?.ready === true, null, { timeout: 120_000 });
      w.readyMs = Date.now() - t0;
      return w;
    },
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
