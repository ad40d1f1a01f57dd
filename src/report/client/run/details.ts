/**
 * The panel that explains what was clicked: a message's pcapng frame number, who sent and who
 * received it (each reception with its own frame number), the faults that struck it, and its
 * decode as `linklab packet decode` prints it; or a fault, a script run, a timed event, a state.
 */
import { KINDS, RX_CORRUPTED, RX_DUPLICATE, RX_HELD_BACK, RX_OVERTAKEN } from '../../data.js';
import { el, num, time } from '../dom.js';
import { bytesOf, decodeLines, hexLines } from '../decode.js';
import type { Pick, RunModel } from './model.js';

/** Receptions listed in the panel at most (a broadcast to a thousand hosts has a thousand). */
const RX_LIST = 50;

function label(model: RunModel, iface: number): string {
  const [node, ifname, segment] = model.data.interfaces[iface];
  return `${model.data.nodes[node].name}:${ifname} (${segment})`;
}

function flagText(f: number): string {
  const parts: string[] = [];
  if (f & RX_DUPLICATE) parts.push('duplicate');
  if (f & RX_HELD_BACK) parts.push('held back (reorder)');
  if (f & RX_OVERTAKEN) parts.push('overtaken');
  if (f & RX_CORRUPTED) parts.push('corrupted');
  return parts.length ? ` [${parts.join(', ')}]` : '';
}

function messagePanel(model: RunModel, id: number, rxRow: number | undefined, open: (p: Pick) => void): HTMLElement {
  const d = model.data;
  const m = d.messages;
  const kind = KINDS[m.kind[id]].label;
  const box = el('div', { class: 'details-msg' });
  const head = el('p', { class: 'details-head' });
  if (rxRow !== undefined && d.receptions) {
    const rx = d.receptions;
    head.append(el('strong', { class: 'frame-number', text: `frame ${rx.frame[rxRow]}` }), ` ${kind} received by ${label(model, rx.iface[rxRow])} at ${time(rx.t[rxRow])}${flagText(rx.flags[rxRow])}`);
    box.append(head, el('p', {}, m.frame[id] > 0 ? `sent as frame ${m.frame[id]} by ${label(model, m.iface[id])} at ${time(m.t[id])}` : `a corrupted copy of a frame sent by ${label(model, m.iface[id])} at ${time(m.t[id])}`));
  } else if (m.frame[id] > 0) {
    head.append(el('strong', { class: 'frame-number', text: `frame ${m.frame[id]}` }), ` ${kind} sent by ${label(model, m.iface[id])} at ${time(m.t[id])}`);
    box.append(head);
  } else {
    head.append(el('strong', { text: 'a corrupted copy' }), ` of a ${kind} sent by ${label(model, m.iface[id])} at ${time(m.t[id])}`);
    box.append(head);
  }
  if (m.copyOf[id] >= 0) {
    const orig = m.copyOf[id];
    const a = el('a', { href: '#', text: `frame ${m.frame[orig]}` });
    a.addEventListener('click', (e) => {
      e.preventDefault();
      open({ type: 'msg', id: orig });
    });
    box.append(el('p', {}, 'corrupted in flight; the original is ', a));
  }
  const decoded = decodeLines(m.data[id], m.link[id]);
  box.append(el('p', { class: 'details-sub', text: `decoded (as linklab packet decode prints it), ${bytesOf(m.data[id]).length} bytes:` }));
  box.append(el('pre', { class: 'decode', text: decoded.lines.join('\n') + (decoded.error ? `${decoded.lines.length ? '\n' : ''}error: ${decoded.error}` : '') }));
  const rows = model.rxOf[id];
  if (d.receptions) {
    const rx = d.receptions;
    const list = el('ul', { class: 'rx-list' });
    for (const r of rows.slice(0, RX_LIST)) {
      const a = el('a', { href: '#', text: `frame ${rx.frame[r]}` });
      a.addEventListener('click', (e) => {
        e.preventDefault();
        open({ type: 'msg', id, rx: r });
      });
      list.append(el('li', {}, a, ` ${label(model, rx.iface[r])} at ${time(rx.t[r])} (+${time(rx.t[r] - m.t[id])})${flagText(rx.flags[r])}`));
    }
    if (rows.length > RX_LIST) list.append(el('li', { text: `... and ${num(rows.length - RX_LIST)} more` }));
    box.append(el('p', { class: 'details-sub', text: rows.length ? `received ${num(rows.length)} time${rows.length === 1 ? '' : 's'}:` : 'received by no one' }), list);
  } else {
    box.append(el('p', { class: 'details-sub', text: m.rxCount[id] ? `received ${num(m.rxCount[id])} times, from ${time(m.rxFirst[id])} to ${time(m.rxLast[id])} (receptions are summarised in this report)` : 'received by no one' }));
  }
  const struck = d.faults.filter((f) => f.msg === id);
  if (struck.length) {
    const ul = el('ul', { class: 'fault-list' });
    for (const f of struck) ul.append(el('li', { text: `${time(f.t)}: ${f.text}` }));
    box.append(el('p', { class: 'details-sub', text: 'faults that struck it:' }), ul);
  }
  const raw = el('details', {}, el('summary', { text: 'bytes' }), el('pre', { class: 'hex', text: hexLines(m.data[id]).join('\n') }));
  box.append(raw);
  return box;
}

export function renderDetails(model: RunModel, p: Pick | undefined, open: (p: Pick) => void): HTMLElement {
  const d = model.data;
  if (!p) return el('p', { class: 'hint', text: 'Click a message, a fault mark, a script, a timed event or a state bar to see it here.' });
  switch (p.type) {
    case 'msg':
      return messagePanel(model, p.id, p.rx, open);
    case 'fault': {
      const f = d.faults[p.id];
      const box = el('div', {}, el('p', { class: 'details-head' }, el('strong', { text: f.kind }), ` at ${time(f.t)}: ${f.text}`));
      if (f.msg !== undefined) box.append(messagePanel(model, f.msg, undefined, open));
      return box;
    }
    case 'script': {
      const s = d.scripts[p.id];
      return el('div', {}, el('p', { class: 'details-head' }, el('strong', { text: 'script' }), ` ${s.node} ran ${s.path} ${s.args.join(' ')} at ${time(s.t)}`), el('p', { class: 'details-sub', text: 'standard input:' }), el('pre', { class: 'decode', text: s.stdin || '(empty)' }));
    }
    case 'timed': {
      const e = d.timed[p.id];
      return el('p', { class: 'details-head' }, el('strong', { text: `timed event ${e.index}` }), ` at ${time(e.t)}: ${e.text}`);
    }
    case 'event': {
      const e = d.events[p.id];
      return el('p', { class: 'details-head' }, el('strong', { text: e.event }), ` ${e.node ?? ''} at ${time(e.t)}: ${e.text}`);
    }
    case 'state':
      return el('p', { class: 'details-head' }, el('strong', { text: d.nodes[p.node].name }), ` ${p.key}: ${p.state}${p.detail ? ` (${p.detail})` : ''} from ${time(p.from)} to ${time(p.to)}`);
  }
}
