/** Chart configurations of the cost dashboard (one function per chart; data in, chart element out). */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { DashboardData } from '../language-server/src/protocol/dashboard';
import type { ContextClass } from '../language-server/src/protocol/dashboard';
import { formatBytes, formatCount, formatFlops, formatSeconds } from '../language-server/src/format/units';
import { logAxis, makeChart, positive, type Theme } from './charts';

type Comparison = NonNullable<DashboardData['comparison']>;
type Allocation = NonNullable<DashboardData['allocation']>;

const CLASS_LABEL: Record<ContextClass, string> = {
  attention: 'attention / cached convolution (grows with L)', recurrent: 'SSM / linear / recurrent (constant state)', 'position-free': 'MLP / MoE / other (per token constant)',
};
const CLASSES = Object.keys(CLASS_LABEL) as ContextClass[];
const K = (n: number): string => (n >= 1 << 20 ? `${n / (1 << 20)}M` : n >= 1024 ? `${n / 1024}K` : String(n));

/** Stacked bars by block kind: two bars (e.g. total / active) per chart. */
export function kindBars(id: string, t: Theme, d: DashboardData, what: 'params' | 'flops'): HTMLElement {
  const labels = what === 'params' ? ['total', 'active'] : ['prefill / token', `decode / token @ ${K(d.seq)}`];
  const datasets: ChartDataset<'bar'>[] = d.breakdown.map((k, i) => ({
    label: k.kind, backgroundColor: t.palette[i % t.palette.length], borderColor: t.fg, borderWidth: t.highContrast ? 1 : 0,
    data: what === 'params' ? [k.paramsTotal, k.paramsActive] : [k.prefillFlops, k.decodeFlops],
  }));
  const fmt = what === 'params' ? formatCount : formatFlops;
  const config: ChartConfiguration<'bar'> = {
    type: 'bar', data: { labels, datasets },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: what === 'params' ? 'parameters' : 'FLOPs per token' }, ticks: { callback: (v) => fmt(Number(v)) } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${fmt(Number(c.raw))}` } } },
    },
  };
  return makeChart(id, `${what === 'params' ? 'Parameters' : 'FLOPs per token'} of ${d.model} by block kind, ${labels.join(' vs ')}`, config as ChartConfiguration);
}

/** One metric vs context length, one line per context class, log-log. */
export function contextChart(id: string, t: Theme, d: DashboardData, metric: 'prefill' | 'cache'): HTMLElement {
  const labels = d.context.map((p) => p.seq);
  const value = (p: DashboardData['context'][number], c: ContextClass): number =>
    metric === 'prefill' ? p.seq * p.byClass[c].prefillFlopsPerToken : p.byClass[c].cacheBytes;
  const datasets = CLASSES.filter((c) => d.context.some((p) => value(p, c) > 0)).map((c, i) => ({
    label: CLASS_LABEL[c], borderColor: t.palette[i], backgroundColor: t.palette[i],
    data: d.context.map((p) => ({ x: p.seq, y: positive(value(p, c)) })),
  }));
  const fmt = metric === 'prefill' ? formatFlops : formatBytes;
  const title = metric === 'prefill' ? 'FLOPs of a prefill of L tokens' : 'KV cache / state per sequence';
  const config = {
    type: 'line', data: { labels, datasets },
    options: {
      parsing: true,
      scales: { x: logAxis('context length L (tokens)', K, 'bottom', labels), y: logAxis(title, fmt) },
      plugins: { title: { display: true, text: metric === 'prefill' ? 'log-log slope 2 = quadratic in L, slope 1 = linear' : 'attention grows linearly in L; SSM/recurrent state is constant' },
        tooltip: { callbacks: { label: (c: { dataset: { label?: string }; parsed: { y: number } }) => `${c.dataset.label}: ${fmt(c.parsed.y)}` } } },
    },
  } as unknown as ChartConfiguration;
  return makeChart(id, `${title} of ${d.model} from 1K to 1M tokens, by block class`, config);
}

/** Decode step time and decode FLOPs per token vs context length. */
export function decodeChart(id: string, t: Theme, d: DashboardData): HTMLElement {
  const config = {
    type: 'line',
    data: {
      datasets: [
        { label: `decode step time (${d.hardware.id}, B = ${d.batch})`, yAxisID: 'y', borderColor: t.palette[0], backgroundColor: t.palette[0], data: d.context.map((p) => ({ x: p.seq, y: positive(p.decodeSeconds) })) },
        { label: 'decode FLOPs / token', yAxisID: 'y1', borderColor: t.palette[1], backgroundColor: t.palette[1], data: d.context.map((p) => ({ x: p.seq, y: positive(p.decodeFlopsPerToken) })) },
      ],
    },
    options: { scales: { x: logAxis('context length L (tokens)', K, 'bottom', d.context.map((p) => p.seq)), y: logAxis('seconds per step', formatSeconds), y1: { ...logAxis('FLOPs per token', formatFlops, 'right'), grid: { drawOnChartArea: false } } } },
  } as unknown as ChartConfiguration;
  return makeChart(id, `Decode time and FLOPs per token of ${d.model} vs context length`, config);
}

/** Roofline: attainable = min(peak, I × bandwidth), ridge at peak / bandwidth; blocks as points. */
export function rooflineChart(id: string, t: Theme, d: DashboardData): HTMLElement {
  const r = d.roofline;
  const xs = [...r.points, ...r.model].map((p) => p.intensity).filter((x) => x > 0);
  const lo = Math.min(r.ridge / 100, ...xs) / 2, hi = Math.max(r.ridge * 100, ...xs) * 2;
  const pts = (phase: 'prefill' | 'decode', src: typeof r.points) => src.filter((p) => p.phase === phase).map((p) => ({ x: p.intensity, y: p.attainable, label: p.label }));
  const config = {
    type: 'scatter',
    data: {
      datasets: [
        { type: 'line', label: `roofline (${r.hardware})`, data: [{ x: lo, y: lo * r.bandwidth }, { x: r.ridge, y: r.peak }, { x: hi, y: r.peak }], borderColor: t.fg, pointRadius: 0 },
        { type: 'line', label: `ridge ${r.ridge.toFixed(0)} FLOP/B`, data: [{ x: r.ridge, y: r.peak / 1e4 }, { x: r.ridge, y: r.peak }], borderColor: t.grid, borderDash: [4, 4], pointRadius: 0 },
        { label: 'prefill (blocks)', data: pts('prefill', r.points), backgroundColor: t.palette[0], pointStyle: 'circle', pointRadius: 4 },
        { label: 'decode (blocks)', data: pts('decode', r.points), backgroundColor: t.palette[1], pointStyle: 'triangle', pointRadius: 5 },
        { label: 'whole model', data: [...pts('prefill', r.model), ...pts('decode', r.model)], backgroundColor: t.palette[2], pointStyle: 'rectRot', pointRadius: 7 },
      ],
    },
    options: {
      scales: { x: logAxis('arithmetic intensity (FLOP / byte)', (v) => formatCount(v), 'bottom'), y: logAxis('attainable FLOP/s', (v) => `${formatFlops(v)}/s`) },
      plugins: { tooltip: { callbacks: { label: (c: { raw: { label?: string; x: number; y: number }; dataset: { label?: string } }) =>
        `${c.raw.label ?? c.dataset.label}: ${c.raw.x.toFixed(2)} FLOP/B → ${formatFlops(c.raw.y)}/s` } } },
    },
  } as unknown as ChartConfiguration;
  return makeChart(id, `Roofline of ${d.model} on ${r.hardware}: prefill and decode intensity of every block`, config);
}

const REL_METRICS: [keyof Comparison['relative'][number], string][] = [
  ['paramsTotal', 'params'], ['paramsActive', 'active'], ['prefillFlopsPerToken', 'FLOPs/token'], ['weightBytes', 'device weights'],
  ['hostWeightBytes', 'host weights'], ['cacheBytes', 'KV/state'], ['decodeSeconds', 'decode time'],
];

/** Each model's metrics relative to the first (chosen) model. */
export function compareChart(id: string, t: Theme, c: Comparison): HTMLElement {
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels: REL_METRICS.map(([, l]) => l), datasets: c.rows.map((row, i) => ({ label: row.model, backgroundColor: t.palette[i % t.palette.length], data: REL_METRICS.map(([m]) => c.relative[i][m]) })) },
    options: { scales: { y: { title: { display: true, text: `relative to ${c.rows[0]?.model ?? ''} (= 1)` } } } },
  };
  return makeChart(id, `Comparison of ${c.rows.map((r) => r.model).join(', ')} relative to the first`, config as ChartConfiguration);
}

/** ρ sweep: memory placement and bytes (left axis), FLOPs per token (right axis); loss is not computable. */
export function allocationChart(id: string, t: Theme, a: Allocation): HTMLElement {
  const GB = 1e9;
  const line = (label: string, i: number, f: (p: Allocation['points'][number]) => number, yAxisID = 'y') =>
    ({ label, yAxisID, borderColor: t.palette[i], backgroundColor: t.palette[i], data: a.points.map((p) => ({ x: p.rho * 100, y: f(p) })) });
  const config = {
    type: 'line',
    data: {
      datasets: [
        line('device weights (GB)', 0, (p) => p.deviceWeightBytes / GB), line('host weights (GB)', 1, (p) => p.hostWeightBytes / GB),
        line('Engram tables (GB, offloadable)', 2, (p) => p.engramTableBytes / GB), line('decode bytes / step (GB)', 3, (p) => p.decodeBytesPerStep / GB),
        line('prefill GFLOP / token', 4, (p) => p.prefillFlopsPerToken / GB, 'y1'),
        { label: `this model ρ = ${(a.base.rho * 100).toFixed(1)} %`, type: 'scatter', yAxisID: 'y', pointRadius: 7, pointStyle: 'crossRot', borderColor: t.fg, backgroundColor: t.fg,
          data: [{ x: a.base.rho * 100, y: 0 }] },
      ],
    },
    options: {
      scales: { x: { type: 'linear', title: { display: true, text: 'ρ: share of sparse parameters in routed experts (%)' } }, y: { beginAtZero: true, title: { display: true, text: 'GB' } },
        y1: { position: 'right', beginAtZero: true, title: { display: true, text: 'GFLOP / token' }, grid: { drawOnChartArea: false } } },
      plugins: { archlensNote: { text: "loss (the paper's U-curve) cannot be computed here" } },
    },
  } as unknown as ChartConfiguration;
  return makeChart(id, `Allocation sweep of ρ at fixed total and active parameters. ${a.note}`, config);
}
