/** Tiny DOM helpers for the webviews. Never sets `style` attributes or innerHTML (strict CSP, untrusted text). */

export type Child = Node | string | null | undefined | false;

export interface ElOptions {
  readonly class?: string;
  readonly text?: string;
  readonly title?: string;
  readonly attrs?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, o: ElOptions = {}, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (o.class) e.className = o.class;
  if (o.text !== undefined) e.textContent = o.text;
  if (o.title !== undefined) e.title = o.title;
  for (const [k, v] of Object.entries(o.attrs ?? {})) e.setAttribute(k, v);
  for (const [k, v] of Object.entries(o.data ?? {})) e.dataset[k] = v;
  for (const c of children) if (c) e.append(c);
  return e;
}

export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}

export function select(id: string, label: string, options: readonly { value: string; label: string }[], value: string, onChange: (v: string) => void): HTMLElement {
  const s = el('select', { attrs: { id } });
  for (const o of options) s.append(el('option', { text: o.label, attrs: { value: o.value } }));
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  return el('label', { class: 'control', attrs: { for: id } }, [label + ' ', s]);
}

export function button(id: string, text: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el('button', { text, title, attrs: { id, type: 'button' } });
  b.addEventListener('click', onClick);
  return b;
}

export function section(id: string, heading: string, children: readonly Child[]): HTMLElement {
  return el('section', { attrs: { id, 'aria-labelledby': `${id}-h` } }, [el('h2', { text: heading, attrs: { id: `${id}-h` } }), ...children]);
}

/** A shared hover tooltip: any element with `data-tip` inside `root` shows it (keyboard focus too). */
export class Tooltip {
  readonly node = el('div', { class: 'tooltip', attrs: { role: 'tooltip', id: 'tooltip' } });

  constructor(root: HTMLElement) {
    this.node.hidden = true;
    document.body.append(this.node);
    const show = (ev: Event): void => {
      const t = (ev.target as Element | null)?.closest?.('[data-tip]') as HTMLElement | null;
      if (!t || !root.contains(t)) return;
      this.node.textContent = t.dataset.tip ?? '';
      this.node.hidden = false;
      const r = t.getBoundingClientRect();
      this.node.style.left = `${Math.max(0, Math.min(window.innerWidth - this.node.offsetWidth - 4, r.left + window.scrollX))}px`;
      this.node.style.top = `${r.bottom + window.scrollY + 4}px`;
    };
    const hide = (): void => { this.node.hidden = true; };
    root.addEventListener('mouseover', show);
    root.addEventListener('focusin', show);
    root.addEventListener('mouseleave', hide);
    root.addEventListener('focusout', hide);
  }
}
