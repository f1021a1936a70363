/**
 * The dashboard's Deployment section: device, GPUs, TP / PP / EP, batch, input / output lengths and framework
 * (posted to the host as `deploymentOptions`; the server recomputes), then TTFT, TPOT, throughput, memory per GPU
 * and the serving Pareto curve over batch sizes with the point where KV memory runs out.
 */
import type { DeploymentParams, DeploymentView, ServingFigures } from '../language-server/src/protocol/dashboard';
import type { WebviewMessage } from '../language-server/src/protocol/webview';
import { formatBytes, formatCount, formatSeconds } from '../language-server/src/format/units';
import type { Theme } from './charts';
import { memoryChart, paretoChart, type ParetoAxis } from './deploymentCharts';
import { el, section, select } from './dom';

/** View-only choices that need no server round trip. */
export interface DeploymentUi { xAxis: ParetoAxis }

type NumberKey = Exclude<keyof DeploymentParams, 'hardware' | 'framework'>;
const FIELDS: readonly [NumberKey, string, number][] = [
  ['gpus', 'GPUs', 1], ['tp', 'TP', 1], ['pp', 'PP', 1], ['ep', 'EP', 1], ['batch', 'batch', 1], ['input', 'input tokens', 0], ['output', 'output tokens', 0],
];

export function deploymentSection(v: DeploymentView, t: Theme, post: (m: WebviewMessage) => void, ui: DeploymentUi, redraw: () => void): HTMLElement {
  const status = el('p', { class: 'note', attrs: { id: 'deploy-status', 'aria-live': 'polite' } });
  const body: HTMLElement[] = [controls(v, post, status), status];
  if (v.error) body.push(el('p', { class: 'error', text: v.error, attrs: { id: 'deploy-error', role: 'alert' } }));
  else body.push(...results(v, t, ui, redraw));
  return section('deployment', 'Deployment: calibrated serving estimate', body);
}

function controls(v: DeploymentView, post: (m: WebviewMessage) => void, status: HTMLElement): HTMLElement {
  const p = v.params;
  const inputs = new Map<NumberKey, HTMLInputElement>();
  let hardware = p.hardware, framework = p.framework;
  const send = (): void => {
    const bad = FIELDS.find(([k, , min]) => { const x = Number(inputs.get(k)!.value); return !Number.isInteger(x) || x < min; });
    if (bad) { status.textContent = `${bad[1]} must be a whole number ≥ ${bad[2]}.`; status.setAttribute('role', 'alert'); return; }
    const nums = Object.fromEntries(FIELDS.map(([k]) => [k, Number(inputs.get(k)!.value)])) as Record<NumberKey, number>;
    status.textContent = 'Computing…';
    post({ type: 'deploymentOptions', deployment: { hardware, framework, ...nums } });
  };
  const fields = FIELDS.map(([k, label, min]) => {
    const input = el('input', { attrs: { type: 'number', id: `deploy-${k}`, min: String(min), step: '1', value: String(p[k]) } });
    input.addEventListener('change', send);
    inputs.set(k, input);
    return el('label', { class: 'control', attrs: { for: `deploy-${k}` } }, [`${label} `, input]);
  });
  const hw = v.choices.hardware.some((h) => h.id === p.hardware) ? v.choices.hardware : [{ id: p.hardware, name: p.hardware }, ...v.choices.hardware];
  return el('div', { class: 'toolbar deploy-controls' }, [
    select('deploy-hardware', 'Device', hw.map((h) => ({ value: h.id, label: h.name })), p.hardware, (x) => { hardware = x; send(); }),
    select('deploy-framework', 'Framework', v.choices.frameworks.map((f) => ({ value: f, label: f })), p.framework, (x) => { framework = x; send(); }),
    ...fields,
  ]);
}

const tps = (x: number): string => `${formatCount(x)} tok/s`;
const ROWS: [string, (f: ServingFigures) => string, string][] = [
  ['TTFT (prefill of the batch)', (f) => formatSeconds(f.ttft), 'ttft'],
  ['TPOT (mean decode step)', (f) => (f.tpot > 0 ? formatSeconds(f.tpot) : '—'), 'tpot'],
  ['end to end', (f) => formatSeconds(f.e2e), 'e2e'],
  ['output throughput', (f) => tps(f.outputTokensPerS), 'out'],
  ['output throughput per GPU', (f) => tps(f.outputTokensPerSPerGpu), 'out-gpu'],
  ['input throughput', (f) => tps(f.inputTokensPerS), 'in'],
];

function figuresTable(v: DeploymentView): HTMLElement {
  const e = v.estimate!, i = v.ideal!;
  const head = el('tr', {}, [el('th', { text: 'figure', attrs: { scope: 'col' } }), el('th', { text: `estimate (${v.params.framework})`, attrs: { scope: 'col' } }), el('th', { text: 'ideal roofline', attrs: { scope: 'col' } })]);
  const rows = ROWS.map(([label, f, id]) => el('tr', {}, [
    el('th', { text: label, attrs: { scope: 'row' } }), el('td', { text: f(e), attrs: { id: `deploy-${id}` } }), el('td', { text: f(i), attrs: { id: `deploy-ideal-${id}` } }),
  ]));
  return el('table', { class: 'data', attrs: { id: 'deploy-figures' } }, [el('thead', {}, [head]), el('tbody', {}, rows)]);
}

function memoryNote(v: DeploymentView): string {
  const m = v.memory!, e = v.estimate!;
  // The sweep's limit when it has one: the activation peak grows a little with the batch, so it is the exact figure.
  const most = v.sweep?.limit?.batch ?? m.maxBatch;
  const limit = most >= Number.MAX_SAFE_INTEGER ? 'no KV limit' : most < 1 ? 'the weights alone do not fit' : `largest batch that fits: ${most.toLocaleString('en-US')}`;
  const waves = e.waves > 1 ? ` The batch runs in ${e.waves} waves of at most ${e.concurrency}.` : '';
  return `Per GPU: ${formatBytes(m.total)} of ${formatBytes(m.capacity)} (${m.fits ? 'fits' : 'does not fit'}; ${limit}).${waves}`;
}

function results(v: DeploymentView, t: Theme, ui: DeploymentUi, redraw: () => void): HTMLElement[] {
  const axis = select('pareto-x', 'x axis', [{ value: 'tpot', label: 'TPOT' }, { value: 'e2e', label: 'end-to-end latency' }], ui.xAxis, (x) => { ui.xAxis = x as ParetoAxis; redraw(); });
  const limit = v.sweep?.limit;
  return [
    el('div', { class: 'grid2' }, [
      el('div', {}, [figuresTable(v), el('p', { class: 'note', text: memoryNote(v), attrs: { id: 'deploy-memory' } })]),
      memoryChart('chart-deploy-memory', t, v.memory!),
    ]),
    el('p', { class: 'note', text: `Serving Pareto curve, batch 1 … 1,024: output tokens per second per GPU against latency. ${limit ? `KV memory runs out at batch ${limit.batch.toLocaleString('en-US')}; larger batches run in waves.` : 'KV memory does not run out in this range.'}` }),
    axis,
    paretoChart('chart-pareto', t, v, ui.xAxis),
  ];
}
