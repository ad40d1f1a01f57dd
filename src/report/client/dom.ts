/** Small DOM helpers: elements from tag, attributes and children; escaping for SVG strings. */

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** Text safe inside SVG or HTML markup built as a string. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function num(x: number): string {
  return x.toLocaleString('en-US');
}

/** Virtual time for people: "18.203112s", "450ms", "20us". */
export function time(us: number): string {
  if (us === 0) return '0s';
  if (Math.abs(us) >= 1_000_000) return `${(us / 1e6).toFixed(6).replace(/\.?0+$/, '')}s`;
  if (Math.abs(us) >= 1000) return `${(us / 1000).toFixed(3).replace(/\.?0+$/, '')}ms`;
  return `${us}us`;
}

export function section(title: string, id: string, ...children: Child[]): HTMLElement {
  return el('section', { id }, el('h2', { text: title }), ...children);
}

/** A <pre> holding `text`, with a button that copies it. */
export function command(text: string): HTMLElement {
  const pre = el('code', { class: 'command', text });
  const button = el('button', { class: 'copy', type: 'button', title: 'copy the command', text: 'copy' });
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).catch(() => undefined);
  });
  return el('span', { class: 'command-line' }, pre, button);
}
