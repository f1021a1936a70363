/**
 * The dashboard's overlay (the chosen model and the compare list on one cost-vs-context chart, crossovers marked)
 * and layer map (a strip per model: the kind on each layer, coloured by kind; hover shows the layer's cost, click
 * posts `revealSource` so the host shows where the block is written).
 */
import type { ChartConfiguration } from 'chart.js';
import type { CompareSweep, LayerCell, LayerStrip } from '../language-server/src/protocol/dashboard';
import type { WebviewMessage } from '../language-server/src/protocol/webview';
import { formatBytes, formatCount, formatFlops, formatSeconds } from '../language-server/src/format/units';
import { logAxis, makeChart, positive, type Theme } from './charts';
import { el, section, select } from './dom';

export type OverlayMetric = 'prefillFlopsPerToken' | 'decodeSeconds' | 'cacheBytes';
export interface OverlayUi { metric: OverlayMetric }

const LABEL: Record<OverlayMetric, string> = { prefillFlopsPerToken: 'prefill FLOPs / token', decodeSeconds: 'decode step time', cacheBytes: 'KV / state per sequence' };
const FMT: Record<OverlayMetric, (x: number) => string> = { prefillFlopsPerToken: formatFlops, decodeSeconds: formatSeconds, cacheBytes: formatBytes };
const K = (n: number): string => (n >= 1 << 20 ? `${n / (1 << 20)}M` : n >= 1024 ? `${n / 1024}K` : String(n));

export function overlayChart(id: string, t: Theme, o: CompareSweep, metric: OverlayMetric): HTMLElement {
  const fmt = FMT[metric];
  const lines = o.curves.map((c, i) => ({
    type: 'line', label: c.model, borderColor: t.palette[i % t.palette.length], backgroundColor: t.palette[i % t.palette.length],
    data: c.points.map((p) => ({ x: p.seq, y: positive(p[metric]) })), pointRadius: 2,
  }));
  const cross = o.crossovers.filter((c) => c.metric === metric);
  const marks = cross.length ? [{ type: 'scatter', label: 'crossover', data: cross.map((c) => ({ x: c.seq, y: positive(c.value), note: `${c.after} cheaper than ${c.before} from L = ${c.seq.toLocaleString('en-US')}` })),
    backgroundColor: t.fg, borderColor: t.fg, pointStyle: 'crossRot', pointRadius: 9, borderWidth: 3 }] : [];
  const config = {
    type: 'line', data: { datasets: [...lines, ...marks] },
    options: {
      parsing: true,
      scales: { x: logAxis('context length L (tokens)', K, 'bottom', o.curves[0]?.points.map((p) => p.seq)), y: logAxis(LABEL[metric], fmt) },
      plugins: { tooltip: { callbacks: { label: (c: { dataset: { label?: string }; raw: { x: number; y: number; note?: string } }) => c.raw.note ?? `${c.dataset.label}: ${fmt(c.raw.y)} at L = ${c.raw.x.toLocaleString('en-US')}` } } },
    },
  } as unknown as ChartConfiguration;
  const said = cross.map((c) => `${c.after} cheaper than ${c.before} from ${c.seq.toLocaleString('en-US')} tokens`).join('; ') || 'no crossover in range';
  return makeChart(id, `${LABEL[metric]} against context length for ${o.curves.map((c) => c.model).join(', ')}; crossovers: ${said}`, config);
}

function crossoverList(o: CompareSweep): HTMLElement {
  const items = o.crossovers.map((c) => el('li', { text: `${LABEL[c.metric]}: ${c.after} becomes cheaper than ${c.before} at L = ${c.seq.toLocaleString('en-US')} (${FMT[c.metric](c.value)})` }));
  const ratios = o.ratios.filter((r) => r.metric === 'decodeSeconds').map((r) => el('li', {
    text: `at ${K(r.seq)}: ${r.model} ${r.raw.toFixed(1)}× cheaper decode than ${r.base} (iso-params ${r.isoParams.toFixed(1)}×, iso-FLOPs ${r.isoFlops.toFixed(1)}×)`,
  }));
  return el('ul', { class: 'crossovers', attrs: { id: 'overlay-crossovers' } }, items.length + ratios.length ? [...items, ...ratios] : [el('li', { text: 'No crossover between 128 and 1M tokens.' })]);
}

export function overlaySection(o: CompareSweep, t: Theme, ui: OverlayUi, redraw: () => void): HTMLElement {
  if (o.curves.length < 2) {
    return section('overlay', 'Overlay: cost vs context of several models', [el('p', { class: 'note', text: 'Tick other models under "Compare with" to overlay their curves and mark where one becomes cheaper.' }), overlayChart('chart-overlay', t, o, ui.metric)]);
  }
  const pick = select('overlay-metric', 'metric', (Object.keys(LABEL) as OverlayMetric[]).map((m) => ({ value: m, label: LABEL[m] })), ui.metric, (m) => { ui.metric = m as OverlayMetric; redraw(); });
  return section('overlay', 'Overlay: cost vs context of several models', [pick, overlayChart('chart-overlay', t, o, ui.metric), crossoverList(o)]);
}

// ─── Layer map ─────────────────────────────────────────────────────────────────────────────────────────
const ROWS: readonly LayerCell['row'][] = ['mixer', 'ffn', 'other'];

function cellTip(c: LayerCell): string {
  return `layer ${c.layer}: ${c.kind} · ${formatCount(c.params)} params · prefill ${formatFlops(c.prefillFlops)}/token · decode ${formatSeconds(c.decodeSeconds)}/step${c.source ? ' · click to show in the source' : ''}`;
}

function cellOf(c: LayerCell | undefined, colour: Map<string, number>, post: (m: WebviewMessage) => void, id: string): HTMLElement {
  if (!c) return el('span', { class: 'lm-cell lm-empty' });
  const b = el('button', { class: `lm-cell lm-k${colour.get(c.kind)! % 10}`, attrs: { type: 'button', id, 'aria-label': cellTip(c) }, data: { tip: cellTip(c), kind: c.kind } });
  const src = c.source;
  if (src) b.addEventListener('click', () => post({ type: 'revealSource', range: src }));
  return b;
}

function strip(s: LayerStrip, si: number, colour: Map<string, number>, post: (m: WebviewMessage) => void): HTMLElement {
  const rows = ROWS.filter((r) => s.cells.some((c) => c.row === r)).map((r) => {
    const at = new Map(s.cells.filter((c) => c.row === r).map((c) => [c.layer, c]));
    const cells = Array.from({ length: s.shown }, (_, l) => cellOf(at.get(l), colour, post, `lm-${si}-${r}-${l}`));
    return el('div', { class: 'lm-row', data: { row: r } }, [el('span', { class: 'lm-label', text: r }), ...cells]);
  });
  return el('div', { class: 'lm-strip', data: { model: s.model } }, [el('h3', { text: `${s.model} (${s.shown < s.layers ? `first ${s.shown} of ${s.layers.toLocaleString('en-US')}` : s.layers} layers)` }), ...rows]);
}

export function layerMapSection(strips: readonly LayerStrip[], post: (m: WebviewMessage) => void): HTMLElement {
  const kinds = [...new Set(strips.flatMap((s) => s.cells.map((c) => c.kind)))];
  const colour = new Map(kinds.map((k, i) => [k, i]));
  const legend = el('p', { class: 'lm-legend' }, kinds.map((k) => el('span', { class: `lm-key lm-k${colour.get(k)! % 10}`, text: k })));
  const body = strips.some((s) => s.layers > 0) ? strips.map((s, i) => strip(s, i, colour, post)) : [el('p', { class: 'note', text: 'No `layers` group: nothing to map.' })];
  return section('layermap', 'Layer map: which kind sits on each layer', [el('p', { class: 'note', text: 'Hover a cell for its cost; click it to show the block in the source.' }), legend, el('div', { attrs: { id: 'layer-map' } }, body)]);
}
