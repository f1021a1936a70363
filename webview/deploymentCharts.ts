/** Charts of the dashboard's Deployment section: memory per GPU against capacity, and the serving Pareto curve. */
import type { ChartConfiguration } from 'chart.js';
import type { DeploymentView, MemoryFigures, ParetoPoint } from '../language-server/src/protocol/dashboard';
import { formatBytes, formatCount, formatSeconds } from '../language-server/src/format/units';
import { logAxis, makeChart, positive, type Theme } from './charts';

export type ParetoAxis = 'tpot' | 'e2e';

/** One stacked bar of what a GPU holds (weights, KV, activations, workspace) beside one of its capacity. */
export function memoryChart(id: string, t: Theme, m: MemoryFigures): HTMLElement {
  const parts: [string, number][] = [['weights', m.weights], ['KV cache / state', m.kv], ['activations', m.activations], ['framework workspace', m.workspace]];
  const datasets = [
    ...parts.map(([label, v], i) => ({ label, data: [v, null], backgroundColor: t.palette[i], stack: 'gpu' })),
    { label: 'capacity', data: [null, m.capacity], backgroundColor: t.grid, borderColor: t.fg, borderWidth: 1, stack: 'gpu' },
  ];
  const config = {
    type: 'bar', data: { labels: ['used', 'capacity'], datasets },
    options: {
      indexAxis: 'y',
      scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: 'bytes per GPU' }, ticks: { callback: (v: number | string) => formatBytes(Number(v)) } }, y: { stacked: true } },
      plugins: { tooltip: { callbacks: { label: (c: { dataset: { label?: string }; raw: unknown }) => `${c.dataset.label}: ${formatBytes(Number(c.raw))}` } } },
    },
  } as unknown as ChartConfiguration;
  const label = `Memory per GPU: ${parts.map(([l, v]) => `${l} ${formatBytes(v)}`).join(', ')}; capacity ${formatBytes(m.capacity)}`;
  return makeChart(id, label, config);
}

const xOf = (p: ParetoPoint, axis: ParetoAxis): number => (axis === 'tpot' ? p.tpot : p.e2e);

/** Output tokens/s per GPU against TPOT or end-to-end latency, one point per batch size; the KV limit marked. */
export function paretoChart(id: string, t: Theme, v: DeploymentView, axis: ParetoAxis): HTMLElement {
  const pts = (f: (p: ParetoPoint) => boolean) => (v.sweep?.points ?? []).filter(f).map((p) => ({ x: positive(xOf(p, axis)), y: positive(p.outputTokensPerSPerGpu), batch: p.batch }));
  const limit = v.sweep?.limit;
  const e = v.estimate;
  const chosen = e ? [{ x: positive(axis === 'tpot' ? e.tpot : e.e2e), y: positive(e.outputTokensPerSPerGpu), batch: v.params.batch }] : [];
  const datasets = [
    { type: 'line', label: 'batch fits in memory', data: pts((p) => p.fits), borderColor: t.palette[0], backgroundColor: t.palette[0], pointRadius: 3 },
    { type: 'line', label: 'KV full: runs in waves', data: pts((p) => !p.fits), borderColor: t.palette[1], backgroundColor: t.palette[1], borderDash: [5, 4], pointRadius: 3 },
    ...(limit ? [{ label: `KV memory runs out (B = ${limit.batch})`, data: pts((p) => p.batch === limit.batch), backgroundColor: t.palette[3], borderColor: t.fg, pointStyle: 'crossRot', pointRadius: 10, borderWidth: 3 }] : []),
    ...(chosen.length ? [{ label: `chosen batch (B = ${v.params.batch})`, data: chosen, backgroundColor: t.palette[2], pointStyle: 'rectRot', pointRadius: 8 }] : []),
  ];
  const xTitle = axis === 'tpot' ? 'time per output token (TPOT)' : 'end-to-end latency per request';
  const config = {
    type: 'scatter', data: { datasets },
    options: {
      scales: { x: logAxis(xTitle, formatSeconds, 'bottom'), y: logAxis('output tokens / s per GPU', (x) => formatCount(x)) },
      plugins: { tooltip: { callbacks: { label: (c: { raw: { x: number; y: number; batch: number } }) => `B = ${c.raw.batch}: ${formatSeconds(c.raw.x)}, ${formatCount(c.raw.y)} tok/s/GPU` } } },
    },
  } as unknown as ChartConfiguration;
  return makeChart(id, `Serving Pareto curve: output tokens per second per GPU against ${xTitle}, batch 1 to 1024${limit ? `; KV memory runs out at batch ${limit.batch}` : ''}`, config);
}
