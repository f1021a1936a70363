/**
 * Gate heatmaps (Engram paper Fig. 7 style): α_t token strips, one row per (Engram layer, branch), white → red on
 * [0, 1]; and generic matrices for MoE routing (token × expert), attention (query × key) and hyper-connection
 * mixing (n × n). Every cell carries its exact value in `title` and `data-tip` (shown by the shared Tooltip).
 */
import type { GateTensor } from '../language-server/src/protocol/webview';
import { parseGateName, type DrawnGateKind, type TokenGateKind } from '../language-server/src/protocol/gates';
import { el } from './dom';

export interface LayerTensor { readonly layer: number; readonly index?: number; readonly dims: readonly number[]; readonly data: readonly number[] }
export interface TokenGate extends LayerTensor { readonly kind: TokenGateKind }
export interface ParsedGates { alpha: LayerTensor[]; moe: LayerTensor[]; attn: LayerTensor[]; hc: LayerTensor[]; perToken: TokenGate[] }

/** Where each drawn gate kind goes, and the ranks it may have (docs/gates.md). */
const RANK: Record<DrawnGateKind, [keyof ParsedGates, number[]]> = {
  engram_alpha: ['alpha', [2, 3]], moe_probs: ['moe', [3]], attn_probs: ['attn', [4]], hc_res: ['hc', [4]],
  ssm_delta: ['perToken', [2, 3]], decay: ['perToken', [2, 3]], write: ['perToken', [2, 3]],
  titans_theta: ['perToken', [2, 3]], titans_alpha: ['perToken', [2, 3]], titans_eta: ['perToken', [2, 3]],
};

/** Groups outputs by the naming convention; names or ranks outside it are reported in `ignored`. */
export function parseGates(outputs: readonly GateTensor[]): ParsedGates & { ignored: string[] } {
  const out: ParsedGates & { ignored: string[] } = { alpha: [], moe: [], attn: [], hc: [], perToken: [], ignored: [] };
  for (const o of outputs) {
    const g = parseGateName(o.name);
    const spec = g ? RANK[g.kind as DrawnGateKind] : undefined;
    if (!g || !spec || !spec[1].includes(o.dims.length)) { out.ignored.push(o.name); continue; }
    if (spec[0] === 'perToken') out.perToken.push({ kind: g.kind as TokenGateKind, layer: g.layer, dims: o.dims, data: o.data });
    else out[spec[0]].push({ layer: g.layer, ...(g.index ? { index: g.index } : {}), dims: o.dims, data: o.data });
  }
  for (const k of ['alpha', 'moe', 'attn', 'hc', 'perToken'] as const) out[k].sort((a, b) => a.layer - b.layer || (a.index ?? 0) - (b.index ?? 0)); // depth order: hc_res_l3 before hc_res_l3_b
  return out;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** White (0) → red (1), as the paper's colour bar. */
export function whiteRed(v: number): string {
  const c = Math.round(255 * (1 - clamp01(v)));
  return `rgb(255, ${c}, ${c})`;
}

/** Blue (−max) → white (0) → red (+max), for signed matrices. */
export function diverging(v: number, max: number): string {
  const a = max > 0 ? clamp01(Math.abs(v) / max) : 0;
  const c = Math.round(255 * (1 - a));
  return v < 0 ? `rgb(${c}, ${c}, 255)` : `rgb(255, ${c}, ${c})`;
}

/** Control characters and spaces made visible in token pieces. */
export function visible(piece: string): string {
  return piece.replace(/ /g, '␣').replace(/\n/g, '⏎').replace(/\t/g, '⇥').replace(/[\u0000-\u001f]/g, '·') || '∅';
}

export interface AlphaRow { readonly layer: number; readonly branch?: number; readonly values: readonly number[] }

/** Batch 0 of an α tensor [B,T] or [B,T,M] as one row per branch. */
export function alphaRows(t: LayerTensor): AlphaRow[] {
  const T = t.dims[1];
  if (t.dims.length === 2) return [{ layer: t.layer, values: t.data.slice(0, T) }];
  const M = t.dims[2];
  return Array.from({ length: M }, (_, m) => ({ layer: t.layer, branch: m, values: Array.from({ length: T }, (_, i) => t.data[i * M + m]) }));
}

export const rowKey = (r: AlphaRow): string => (r.branch === undefined ? `l${r.layer}` : `l${r.layer}b${r.branch}`);
export const rowLabel = (r: AlphaRow): string => `layer ${r.layer}${r.branch === undefined ? '' : ` · branch ${r.branch}`}`;

function cell(v: number, colour: string, tip: string, cls: string, text?: string): HTMLElement {
  const c = el('span', { class: `${cls} ${v > 0.55 ? 'on-dark' : 'on-light'}`, text, title: tip, data: { tip, value: v.toFixed(4) }, attrs: { tabindex: '0' } });
  c.style.backgroundColor = colour;
  return c;
}

/** The Fig. 7 token strip: one row per (layer, branch), each token shaded by α_t. */
export function tokenStrip(tokens: readonly string[], rows: readonly AlphaRow[]): HTMLElement {
  const strip = el('div', { class: 'strip', attrs: { id: 'alpha-strip', role: 'table', 'aria-label': 'Engram gate α per token' } });
  for (const r of rows) {
    const line = el('div', { class: 'strip-row', attrs: { role: 'row' }, data: { row: rowKey(r) } }, [el('span', { class: 'strip-label', text: rowLabel(r), attrs: { role: 'rowheader' } })]);
    r.values.forEach((v, i) => {
      const piece = tokens[i] ?? `#${i}`;
      const tip = `α = ${v.toFixed(4)} · ${rowLabel(r)} · token ${i} “${visible(piece)}”`;
      const c = cell(v, whiteRed(v), tip, 'tok', visible(piece));
      c.dataset.alpha = v.toFixed(4);
      c.setAttribute('role', 'cell');
      line.append(c);
    });
    strip.append(line);
  }
  return strip;
}

export interface MatrixSpec {
  readonly id: string;
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  readonly value: (r: number, c: number) => number;
  readonly what: string;
  /** Unsigned values are coloured as value / scale (default 1: values in [0, 1]). */
  readonly scale?: number;
}

/** Rows and columns a matrix draws at most (one element per cell: a long text's T × T attention map would freeze). */
export const MATRIX_MAX_ROWS = 128;
export const MATRIX_MAX_COLS = 512;

/** A rows × cols grid of coloured cells; signed values use the diverging scale. Larger ones show their first part. */
export function matrix(s: MatrixSpec): HTMLElement {
  const rows = s.rows.slice(0, MATRIX_MAX_ROWS), cols = s.cols.slice(0, MATRIX_MAX_COLS);
  let min = Infinity, max = 0;
  for (let r = 0; r < rows.length; r++) for (let c = 0; c < cols.length; c++) { const v = s.value(r, c); min = Math.min(min, v); max = Math.max(max, Math.abs(v)); }
  const signed = min < 0;
  const grid = el('div', { class: `matrix${cols.length > 24 ? ' dense' : ''}`, attrs: { id: s.id, role: 'table', 'aria-label': s.what } });
  grid.style.gridTemplateColumns = `max-content repeat(${cols.length}, minmax(0.7em, 2.4em))`;
  grid.append(el('span', { class: 'corner' }), ...cols.map((c) => el('span', { class: 'col-label', text: c })));
  rows.forEach((rl, r) => {
    grid.append(el('span', { class: 'row-label', text: rl }));
    cols.forEach((cl, c) => {
      const v = s.value(r, c);
      grid.append(cell(v, cellColour(s, v, signed, max), `${s.what}: ${rl} → ${cl} = ${v.toFixed(4)}`, 'mcell'));
    });
  });
  if (rows.length === s.rows.length && cols.length === s.cols.length) return grid;
  const note = `showing ${rows.length} of ${s.rows.length} rows × ${cols.length} of ${s.cols.length} columns (the CSV export has them all)`;
  return el('div', { class: 'matrix-wrap' }, [el('p', { class: 'note matrix-note', text: note }), grid]);
}

export function cellColour(s: Pick<MatrixSpec, 'scale'>, v: number, signed: boolean, max: number): string {
  return signed ? diverging(v, max) : whiteRed(v / (s.scale || 1));
}

/** Colour bar 0.0 … 1.0 (a CSS gradient from style.css). */
export function legend(signed = false): HTMLElement {
  return el('div', { class: 'legend', attrs: { 'aria-hidden': 'true' } }, [
    el('span', { text: signed ? '−max' : '0.0' }), el('span', { class: signed ? 'bar diverging' : 'bar' }), el('span', { text: signed ? '+max' : '1.0' }),
  ]);
}
