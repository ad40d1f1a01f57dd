/** The run report page: header and notes, expectations, topology, filters, chart, details, timelines, events. */
import { KINDS, type RunReportData } from '../../data.js';
import { command, el, num, section, time } from '../dom.js';
import { TimeView } from '../timescale.js';
import { renderDetails } from './details.js';
import { RunModel, type Pick } from './model.js';
import { drawMax, LEFT, renderMsc } from './msc.js';
import { renderTimeline, TIMELINE_NODES } from './timeline.js';
import { renderTopology } from './topology.js';

/** Rows of the event list drawn at most (the rest: zoom in or filter). */
const EVENT_ROWS = 200;

function header(d: RunReportData): HTMLElement {
  const passed = d.expectations.filter((e) => e.pass).length;
  const t = d.totals;
  const faults = [t.lost && `${num(t.lost)} lost`, t.dropped && `${num(t.dropped)} dropped`, t.duplicated && `${num(t.duplicated)} duplicated`, t.corrupted && `${num(t.corrupted)} corrupted`].filter(Boolean).join(', ');
  return el(
    'header',
    {},
    el('h1', {}, `linklab sim run: ${d.topology.name}, seed ${d.seed} `, el('span', { class: `badge ${d.passed ? 'pass' : 'fail'}`, text: d.passed ? 'PASS' : 'FAIL' })),
    d.topology.description ? el('p', { class: 'description', text: d.topology.description }) : null,
    el('p', {}, `${time(d.until)} of virtual time; ${num(t.events)} events; ${num(t.framesSent)} frames sent, ${num(t.framesDelivered)} delivered${faults ? `, ${faults}` : ''}${t.packetsSent ? `; ${num(t.packetsSent)} underlay packets` : ''}; ${passed} of ${d.expectations.length} expectations passed. Written by linklab ${d.linklab}.`),
    el('p', {}, 'replay: ', command(d.command)),
  );
}

export function renderRun(root: HTMLElement, d: RunReportData): void {
  const model = new RunModel(d);
  const view = new TimeView(0, Math.max(d.until, 1));
  root.replaceChildren();
  root.append(header(d));
  if (d.notes.length) root.append(el('ul', { class: 'notes', id: 'notes' }, ...d.notes.map((n) => el('li', { text: n }))));

  // Expectations, each with the events that decided it.
  const expList = el('table', { class: 'expectations' });
  const open = (p: Pick, t?: number): void => {
    model.selected = p;
    if (t !== undefined && (t < view.t0 || t > view.t1 || view.t1 - view.t0 > d.until / 4)) view.focus(t, Math.max(d.until / 20, 100_000));
    showDetails();
    model.changed();
  };
  d.expectations.forEach((x, i) => {
    const chips = el('span', { class: 'evidence' });
    x.evidence.forEach((ev) => {
      const chip = el('button', { type: 'button', class: 'chip', text: `${ev.node ? ev.node + ' ' : ''}${ev.event} ${time(ev.t)}` });
      chip.addEventListener('click', () => {
        if (ev.msg !== undefined) open({ type: 'msg', id: ev.msg }, ev.t);
        else if (ev.row !== undefined) open({ type: 'event', id: ev.row }, ev.t);
        else {
          view.focus(ev.t, Math.max(d.until / 20, 100_000));
          model.changed();
        }
      });
      chips.append(chip);
    });
    const value = x.value === null || x.figure === undefined ? '' : `${x.figure.label}: ${Number(x.value.toFixed(6))} ${x.figure.unit}`;
    expList.append(
      el(
        'tr',
        { class: `expectation ${x.pass ? 'pass' : 'fail'}`, 'data-index': i },
        el('td', {}, el('span', { class: `badge ${x.pass ? 'pass' : 'fail'}`, text: x.pass ? 'PASS' : 'FAIL' })),
        el('td', {}, el('div', { class: 'exp-text', text: x.text }), el('div', { class: 'exp-why', text: x.why }), value ? el('div', { class: 'exp-value', text: value }) : null, x.evidence.length ? el('div', {}, 'decided by: ', chips) : null),
      ),
    );
  });
  root.append(section(`Expectations (${d.expectations.filter((e) => e.pass).length} of ${d.expectations.length} passed)`, 'expectations', expList));

  const topo = el('div', { class: 'scroll' });
  topo.innerHTML = renderTopology(d);
  root.append(section('Topology', 'topology', topo));

  // Filters.
  const nodeList = el('div', { class: 'node-list' });
  const nodeBoxes: HTMLInputElement[] = d.nodes.map((n, i) => {
    const box = el('input', { type: 'checkbox', checked: true, 'data-node': i });
    box.addEventListener('change', () => {
      model.nodeSelected[i] = box.checked;
      model.changed();
    });
    nodeList.append(el('label', { class: 'node-choice' }, box, ` ${n.name}`));
    return box;
  });
  const syncNodes = (): void => nodeBoxes.forEach((b, i) => (b.checked = model.nodeSelected[i]));
  const pattern = el('input', { type: 'search', placeholder: 'nodes: h1, h*, r?', class: 'node-pattern', 'aria-label': 'select nodes matching' });
  pattern.addEventListener('input', () => {
    model.selectMatching(pattern.value);
    syncNodes();
    model.changed();
  });
  const allNone = (on: boolean): HTMLButtonElement => {
    const b = el('button', { type: 'button', text: on ? 'all' : 'none' });
    b.addEventListener('click', () => {
      model.nodeSelected.fill(on);
      syncNodes();
      model.changed();
    });
    return b;
  };
  topo.addEventListener('click', (e) => {
    const g = (e.target as Element).closest('[data-nodes]');
    if (!g) return;
    const names = new Set(g.getAttribute('data-nodes')!.split(','));
    const only = d.nodes.every((n, i) => model.nodeSelected[i] === names.has(n.name));
    d.nodes.forEach((n, i) => (model.nodeSelected[i] = only || names.has(n.name)));
    syncNodes();
    model.changed();
  });
  const kindList = el('div', { class: 'kind-list' });
  KINDS.forEach((k, i) => {
    if (!model.kindCount[i]) return;
    const box = el('input', { type: 'checkbox', checked: true, 'data-kind': k.key });
    box.addEventListener('change', () => {
      model.kindSelected[i] = box.checked;
      model.changed();
    });
    kindList.append(el('label', { class: 'kind-choice' }, box, el('span', { class: 'swatch', style: `background:${k.color}` }), ` ${k.label} (${num(model.kindCount[i])})`));
  });
  const toggle = (text: string, get: () => boolean, set: (v: boolean) => void, id: string): HTMLElement => {
    const box = el('input', { type: 'checkbox', checked: get(), id });
    box.addEventListener('change', () => {
      set(box.checked);
      model.changed();
    });
    return el('label', {}, box, ` ${text}`);
  };
  const shows = el(
    'div',
    { class: 'show-list' },
    toggle('faults', () => model.showFaults, (v) => (model.showFaults = v), 'show-faults'),
    toggle('timed events', () => model.showTimed, (v) => (model.showTimed = v), 'show-timed'),
    toggle('scripts', () => model.showScripts, (v) => (model.showScripts = v), 'show-scripts'),
    d.nodes.some((n) => n.replica !== undefined)
      ? toggle(
          'replicas share a row',
          () => model.grouped,
          (v) => model.setGrouped(v),
          'group-rows',
        )
      : null,
  );
  const zoomButton = (text: string, fn: () => void): HTMLButtonElement => {
    const b = el('button', { type: 'button', text });
    b.addEventListener('click', fn);
    return b;
  };
  const windowText = el('span', { class: 'window' });
  const controls = el(
    'div',
    { class: 'controls' },
    el('fieldset', { id: 'node-filter' }, el('legend', { text: 'Nodes' }), el('div', {}, pattern, ' ', allNone(true), allNone(false)), nodeList),
    el('fieldset', { id: 'kind-filter' }, el('legend', { text: 'Message kinds' }), kindList),
    el('fieldset', {}, el('legend', { text: 'Show' }), shows),
    el('fieldset', { id: 'zoom' }, el('legend', { text: 'Time' }), zoomButton('zoom in', () => view.zoom(0.5)), zoomButton('zoom out', () => view.zoom(2)), zoomButton('whole run', () => view.reset()), el('div', {}, windowText), el('div', { class: 'hint', text: 'wheel over the chart to zoom, drag to pan, double-click for the whole run' })),
  );

  const status = el('p', { id: 'msc-status', class: 'status' });
  const chart = el('div', { id: 'msc', class: 'chart' });
  const details = el('aside', { id: 'details', class: 'details' });
  const showDetails = (): void => details.replaceChildren(el('h3', { text: 'Details' }), renderDetails(model, model.selected, (p) => open(p, p.type === 'msg' ? (p.rx !== undefined ? d.receptions!.t[p.rx] : d.messages.t[p.id]) : undefined)));
  showDetails();
  root.append(section('Message sequence chart', 'sequence', controls, status, el('div', { class: 'chart-and-details' }, chart, details)));
  const timeline = el('div', { id: 'timelines', class: 'chart' });
  const tlNote = el('p', { class: 'status', id: 'timeline-status' });
  root.append(section('State timelines', 'states', tlNote, timeline));
  const events = el('table', { class: 'events', id: 'events' });
  const eventsNote = el('p', { class: 'status' });
  root.append(section('Trace events in the window', 'event-list', eventsNote, events));

  chart.addEventListener('click', (e) => {
    const t = (e.target as Element).closest('[data-msg],[data-fault],[data-script],[data-timed]');
    if (!t) return;
    const a = (k: string): number => Number(t.getAttribute(k));
    if (t.hasAttribute('data-msg')) open(t.hasAttribute('data-rx') ? { type: 'msg', id: a('data-msg'), rx: a('data-rx') } : { type: 'msg', id: a('data-msg') });
    else if (t.hasAttribute('data-fault')) open({ type: 'fault', id: a('data-fault') });
    else if (t.hasAttribute('data-script')) open({ type: 'script', id: a('data-script') });
    else open({ type: 'timed', id: a('data-timed') });
  });
  timeline.addEventListener('click', (e) => {
    const t = (e.target as Element).closest('[data-state]');
    if (!t) return;
    const detail = t.getAttribute('data-detail');
    open({ type: 'state', node: Number(t.getAttribute('data-node')), key: t.getAttribute('data-key')!, from: Number(t.getAttribute('data-from')), to: Number(t.getAttribute('data-to')), state: t.getAttribute('data-state')!, ...(detail ? { detail } : {}) });
  });
  events.addEventListener('click', (e) => {
    const tr = (e.target as Element).closest('[data-row]');
    if (tr) open({ type: 'event', id: Number(tr.getAttribute('data-row')) });
  });

  const width = (): number => Math.max(600, chart.clientWidth);
  view.bind(chart, LEFT, () => width() - LEFT - 10);
  view.bind(timeline, LEFT, () => width() - LEFT - 10);

  const draw = (): void => {
    const started = performance.now();
    const w = width();
    const { svg, stats } = renderMsc(model, view, w);
    chart.innerHTML = svg;
    windowText.textContent = `window ${time(Math.round(view.t0))} to ${time(Math.round(view.t1))}`;
    status.textContent = stats.density
      ? `${num(stats.inWindow)} frames in this window, above the ${num(drawMax())} the chart draws one by one: drawn as density per node. Zoom in to see each frame.`
      : `Charted ${num(stats.charted)} frames (${num(stats.sent)} sent, ${num(stats.received)} received) of the ${num(d.frames)} in the pcapng${d.receptions ? '' : ' (receptions summarised: a dot\'s size says how many received it)'}.`;
    status.dataset.charted = String(stats.charted);
    const tl = renderTimeline(model, view, w);
    timeline.innerHTML = tl.svg;
    tlNote.textContent = tl.nodes === 0 ? 'No state changes for the selected nodes.' : tl.cut > 0 ? `Timelines of the first ${TIMELINE_NODES} selected nodes with state changes; ${num(tl.cut)} more: narrow the node filter to see them.` : '';
    const rows: HTMLElement[] = [];
    let total = 0;
    d.events.forEach((ev, i) => {
      if (ev.t < view.t0 || ev.t > view.t1 || !model.nodeShown(ev.node)) return;
      total++;
      if (rows.length >= EVENT_ROWS) return;
      const sel = model.selected?.type === 'event' && model.selected.id === i;
      rows.push(el('tr', { 'data-row': i, class: sel ? 'selected' : undefined }, el('td', { text: time(ev.t) }), el('td', { text: ev.node ?? '' }), el('td', { text: ev.event }), el('td', { text: ev.text })));
    });
    events.replaceChildren(el('tr', {}, el('th', { text: 'time' }), el('th', { text: 'node' }), el('th', { text: 'event' }), el('th', { text: 'what' })), ...rows);
    status.dataset.drawMs = (performance.now() - started).toFixed(1);
    eventsNote.textContent = total > EVENT_ROWS ? `${num(total)} events in the window; the first ${EVENT_ROWS} are listed: zoom in or filter nodes for the rest.` : `${num(total)} events in the window.`;
  };
  model.onChange(draw);
  view.onChange(draw);
  window.addEventListener('resize', draw);
  draw();
}
