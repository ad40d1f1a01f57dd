/** The report page's entry: reads the inlined data and draws the run or the explore report. */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import type { ReportData } from '../data.js';
import { renderRun } from './run/page.js';
import { renderExplore } from './explore/page.js';

declare global {
  interface Window {
    /** Set once the page has drawn: what tests and the benchmark wait for. */
    linklabReport?: { ready: boolean; renderMs: number; error?: string };
  }
}

function start(): void {
  const t0 = performance.now();
  const root = document.getElementById('app')!;
  try {
    const data = JSON.parse(document.getElementById('report-data')!.textContent!) as ReportData;
    if (data.report === 'run') renderRun(root, data);
    else renderExplore(root, data);
    window.linklabReport = { ready: true, renderMs: performance.now() - t0 };
  } catch (err) {
    root.textContent = `This report could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
    window.linklabReport = { ready: true, renderMs: performance.now() - t0, error: String(err) };
    throw err;
  }
}

start();
