/**
 * The HTML reports in a real browser (Debian's chromium): the run reports of an rtsold, an arpd and
 * an isatapd topology, and an explore report with failing seeds and their run reports. Each page
 * must draw without console errors and without a single network request, show every node and
 * every expectation, chart exactly the frames of the run's pcapng, and decode a clicked frame as
 * `linklab packet decode` does.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/core/wire/pcap.js';
import { loadTopologyFile } from '../../src/adapters/sim/topology/load.js';
import { cli, REPO } from '../sim/helpers/cli.js';
import { tierAvailable } from '../helpers/tier.js';
import { CHROMIUM, launch, type Browser, type WatchedPage } from './browser.js';

const FILE = 'test/report/browser.test.ts';
const ready = tierAvailable(FILE, { commands: [CHROMIUM, 'tshark'] });
const dir = mkdtempSync(join(tmpdir(), 'linklab-report-'));
/** LINKLAB_DOCS_IMAGES=1 refreshes the README's pictures from this run. */
const docsImages = process.env.LINKLAB_DOCS_IMAGES === '1';
let browser: Browser;

beforeAll(async () => {
  if (ready) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function tsharkCount(pcap: string, filter?: string): number {
  const out = execFileSync('tshark', ['-r', pcap, ...(filter ? ['-Y', filter] : []), '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).length;
}

/** `linklab packet decode --read` of the capture, as text per frame number. */
function decodedFrames(pcap: string): Map<number, string> {
  const r = cli('packet:decode', ['--read', pcap]);
  const frames = new Map<number, string>();
  let current: number | undefined;
  for (const line of r.stdout.split('\n')) {
    const head = /packet (\d+) at [0-9.e-]+s, \d+ bytes$/.exec(line);
    if (head) {
      current = Number(head[1]);
      frames.set(current, '');
    } else if (current !== undefined && line) frames.set(current, (frames.get(current) ? frames.get(current) + '\n' : '') + line);
  }
  return frames;
}

async function charted(w: WatchedPage): Promise<number> {
  return w.page.locator('#msc [data-frame]').count();
}

/** A screenshot of what the page shows; `forDocs` pictures also go to docs/images with LINKLAB_DOCS_IMAGES=1. */
async function screenshot(w: WatchedPage, name: string, forDocs = false): Promise<void> {
  const path = join(dir, name);
  await w.page.screenshot({ path, fullPage: false });
  expect(statSync(path).size).toBeGreaterThan(10_000);
  if (docsImages && forDocs) {
    mkdirSync(join(REPO, 'docs/images'), { recursive: true });
    copyFileSync(path, join(REPO, 'docs/images', name));
  }
}

interface Case {
  file: string;
  /** A frame kind to click, and what its decode must show. */
  click: { kind: string; shows: string[] };
  /** A tshark filter for the frames of that kind. */
  filter: string;
  node: string;
}

const CASES: Case[] = [
  { file: 'sim/topologies/rtsold-basic.yaml', click: { kind: 'ra', shows: ['router advertisement', 'prefix-info 2001:db8:1::/64', 'rdnss lifetime 1800s 2001:db8::53'] }, filter: 'icmpv6.type == 134', node: 'h1' },
  { file: 'sim/topologies/arpd-negative-cache.yaml', click: { kind: 'arp-request', shows: ['arp request sender 198.18.0.1', 'target 198.18.9.9'] }, filter: 'arp.opcode == 1', node: 'gw' },
  { file: 'sim/topologies/isatap-basic.yaml', click: { kind: 'isatap-ra', shows: ['ipv4 192.0.2.1 >', 'router advertisement', 'prefix-info 2001:db8:5::/64'] }, filter: 'icmpv6.type == 134', node: 'c1' },
];

describe.skipIf(!ready)('run reports in chromium', () => {
  for (const c of CASES) {
    it(`${c.file}: every node and expectation, the pcapng's frames, a decoded ${c.click.kind}, filters, no errors, no network`, async () => {
      const name = c.file.split('/').pop()!.replace('.yaml', '');
      const html = join(dir, `${name}.html`);
      const pcap = join(dir, `${name}.pcapng`);
      const r = cli('sim:run', [c.file, '--seed', '1', '--report', html, '--pcap', pcap]);
      expect(r.stderr).toBe('');
      expect(statSync(html).size).toBeLessThan(2_000_000);
      const cap = readCapture(readFileSync(pcap));
      const frames = cap.packets.length;
      expect(frames).toBeGreaterThan(0);
      expect(tsharkCount(pcap)).toBe(frames);
      const topology = await loadTopologyFile(join(REPO, c.file));

      const w = await browser.open(html);
      const { page } = w;
      // Every node, in the node filter and in the topology drawing; every expectation with its verdict.
      for (const n of topology.nodes) {
        await expect(page.locator('#node-filter label', { hasText: new RegExp(`^\\s*${n.name}$`) }).count()).resolves.toBe(1);
        await expect(page.locator('#topology .node-name', { hasText: n.name }).count()).resolves.toBeGreaterThan(0);
      }
      const rows = page.locator('#expectations tr.expectation');
      expect(await rows.count()).toBe(topology.expectations.length);
      for (const [i, e] of topology.expectations.entries()) {
        expect(await rows.nth(i).locator('.exp-text').textContent()).toBe(e.text);
        expect(await rows.nth(i).locator('.badge').textContent()).toMatch(/^(PASS|FAIL)$/);
      }
      // One charted element per pcapng record, numbered 1..N like Wireshark's frames.
      expect(await charted(w)).toBe(frames);
      const numbers = await page.locator('#msc [data-frame]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))));
      expect(new Set(numbers).size).toBe(frames);
      expect(Math.min(...numbers)).toBe(1);
      expect(Math.max(...numbers)).toBe(frames);
      expect(await page.locator('#msc-status').getAttribute('data-charted')).toBe(String(frames));

      // Clicking a transmission shows its frame number and the decode `linklab packet decode` prints.
      const data = JSON.parse((await page.locator('#report-data').textContent())!) as { messages: { kind: number[] } };
      const kinds = ['rs', 'ra', 'ns', 'na', 'dad', 'arp-request', 'arp-reply', 'arp-announce', 'isatap-rs', 'isatap-ra'];
      const kindIndex = data.messages.kind.indexOf(kinds.indexOf(c.click.kind));
      expect(kindIndex).toBeGreaterThanOrEqual(0);
      const dot = page.locator(`#msc circle.tx[data-msg="${kindIndex}"]`);
      const frameNo = Number(await dot.getAttribute('data-frame'));
      // Dots a few microseconds apart overlap at this zoom: the click goes to this one's element.
      await dot.dispatchEvent('click');
      await expect(page.locator('#details .frame-number').textContent()).resolves.toBe(`frame ${frameNo}`);
      const decode = (await page.locator('#details pre.decode').textContent())!;
      for (const s of c.click.shows) expect(decode).toContain(s);
      expect(decode).toBe(decodedFrames(pcap).get(frameNo));

      // Filters: without one node, its interfaces' records go; without a kind, its frames go.
      const nodeBox = page.locator('#node-filter label', { hasText: new RegExp(`^\\s*${c.node}$`) }).locator('input');
      await nodeBox.uncheck();
      const withoutNode = cap.packets.filter((p) => !cap.interfaces[p.interfaceId].name!.startsWith(`${c.node}:`)).length;
      expect(withoutNode).toBeLessThan(frames);
      expect(await charted(w)).toBe(withoutNode);
      await nodeBox.check();
      expect(await charted(w)).toBe(frames);
      const kindBox = page.locator(`#kind-filter input[data-kind="${c.click.kind}"]`);
      await kindBox.uncheck();
      expect(await charted(w)).toBe(frames - tsharkCount(pcap, c.filter));
      await kindBox.check();

      // Zoom in: the window narrows and shows no more than before.
      await page.locator('#zoom button', { hasText: 'zoom in' }).click();
      await page.locator('#zoom .window').filter({ hasNotText: /^window 0s to/ }).waitFor();
      expect(await charted(w)).toBeLessThanOrEqual(frames);
      await page.locator('#zoom button', { hasText: 'whole run' }).click();
      await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('#msc [data-frame]').length === n, frames);

      // Every expectation's evidence chip leads somewhere: a frame or a trace event in the details.
      const chip = page.locator('#expectations .chip').first();
      if ((await chip.count()) > 0) {
        await chip.click();
        await expect(page.locator('#details .details-head').first().textContent()).resolves.toBeTruthy();
      }
      await page.locator('#timelines rect.state').first().click();
      await expect(page.locator('#details .details-head').textContent()).resolves.toMatch(/ from .* to /);

      await screenshot(w, `${name}.png`);
      expect(w.errors).toEqual([]);
      expect(w.network).toEqual([]);
      await page.close();
    });
  }

  it('a run with every random fault marks losses, duplicates, held-back and corrupted frames where they struck', async () => {
    const html = join(dir, 'flaky.html');
    const pcap = join(dir, 'flaky.pcapng');
    cli('sim:run', ['test/report/fixtures/ra-flaky.yaml', '--seed', '1', '--report', html, '--pcap', pcap]);
    const frames = readCapture(readFileSync(pcap)).packets.length;
    const w = await browser.open(html);
    const { page } = w;
    expect(await charted(w)).toBe(frames);
    for (const cls of ['loss', 'held-back', 'duplicate', 'corrupt']) expect(await page.locator(`#msc .fault.${cls}`).count()).toBeGreaterThan(0);
    expect(await page.locator('#msc circle.rx.bad').count()).toBeGreaterThan(0);
    expect(await page.locator('#msc circle.rx.dup').count()).toBeGreaterThan(0);
    expect(await page.locator('#msc .band.link-down').count()).toBe(1);
    expect(await page.locator('#msc .band.crashed').count()).toBe(1);
    expect(await page.locator('#msc .timed').count()).toBe(4);
    // A held-back reception says so in its details.
    await page.locator('#msc circle.rx.late').first().click();
    await expect(page.locator('#details').textContent()).resolves.toContain('held back (reorder)');
    await page.locator('#zoom button', { hasText: 'zoom in' }).click();
    await page.waitForTimeout(100);
    if (docsImages) {
      // The README's picture: from the top of the page down to the end of the sequence chart, an RA open.
      await page.locator('#zoom button', { hasText: 'whole run' }).click();
      await page.locator('#msc circle.tx[fill="#2ca02c"]').first().dispatchEvent('click');
      await page.waitForTimeout(200);
      const box = (await page.locator('#sequence').boundingBox())!;
      mkdirSync(join(REPO, 'docs/images'), { recursive: true });
      await page.screenshot({ path: join(REPO, 'docs/images/run-report.png'), fullPage: true, clip: { x: 0, y: 0, width: 1400, height: Math.ceil(box.y + box.height + 10) } });
    }
    expect(w.errors).toEqual([]);
    expect(w.network).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!ready)('explore report in chromium', () => {
  it('shows outcomes per seed and expectation, distributions, and each failing seed with its replay command and run report', async () => {
    const html = join(dir, 'explore.html');
    const r = cli('sim:explore', ['test/report/fixtures/ra-flaky.yaml', '--seeds', '12', '--workers', '2', '--report', html, '--json']);
    const outcome = JSON.parse(r.stdout) as { outcomes: Array<{ seed: number; passed: boolean }>; failed: Array<{ seed: number }>; replay: Array<{ seed: number; command: string }> };
    expect(outcome.failed.length).toBeGreaterThan(0);
    expect(outcome.failed.length).toBeLessThan(12);
    const topology = await loadTopologyFile(join(REPO, 'test/report/fixtures/ra-flaky.yaml'));
    const w = await browser.open(html);
    const { page } = w;
    const rows = page.locator('#expectation-outcomes tr.expectation');
    expect(await rows.count()).toBe(topology.expectations.length);
    for (const [i, e] of topology.expectations.entries()) expect(await rows.nth(i).locator('.exp-text').textContent()).toBe(e.text);
    // One cell per seed and expectation (and one row for the whole run), red where it failed.
    expect(await page.locator('#outcome-grid rect.cell').count()).toBe(12 * (topology.expectations.length + 1));
    expect(await page.locator('#outcome-grid rect.cell.run.failed').count()).toBe(outcome.failed.length);
    // A histogram (uPlot canvas) per expectation that measures something.
    expect(await page.locator('#distributions canvas').count()).toBe(topology.expectations.filter((e) => e.figure).length);
    // Every failing seed, with the replay command explore printed and a run report that opens.
    const failing = page.locator('#failing-seeds tr.failing-seed');
    expect(await failing.count()).toBe(outcome.failed.length);
    for (const f of outcome.replay) {
      const row = page.locator(`#seed-${f.seed}`);
      expect(await row.locator('code.command').textContent()).toBe(f.command);
      expect(await row.locator('a.run-report').getAttribute('href')).toBe(`explore-seed-${f.seed}.html`);
    }
    await screenshot(w, 'explore-report.png', true);
    expect(w.errors).toEqual([]);
    expect(w.network).toEqual([]);
    const first = outcome.failed[0].seed;
    const run = await browser.open(join(dir, `explore-seed-${first}.html`));
    await expect(run.page.locator('h1').textContent()).resolves.toContain(`seed ${first} FAIL`);
    expect(await run.page.locator('#expectations tr.expectation.fail').count()).toBeGreaterThan(0);
    expect(run.errors).toEqual([]);
    expect(run.network).toEqual([]);
    await run.page.close();
    await page.close();
  });
});
