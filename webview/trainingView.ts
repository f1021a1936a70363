/**
 * The dashboard's Training section: cluster (device, GPUs), layout (tp / pp / dp / ep, ZeRO, recompute) and tokens
 * (posted as `trainingOptions`; the server recomputes), then days, GPU-hours and MFU, memory per GPU as a stacked
 * bar, and the valid layouts of that GPU count ranked by time.
 */
import type { ChartConfiguration } from 'chart.js';
import type { TrainingParams, TrainingView } from '../language-server/src/protocol/dashboard';
import type { WebviewMessage } from '../language-server/src/protocol/webview';
import { formatBytes, formatCount } from '../language-server/src/format/units';
import { makeChart, type Theme } from './charts';
import { el, section, select } from './dom';

type IntKey = 'gpus' | 'tp' | 'pp' | 'dp' | 'ep';
const INTS: readonly [IntKey, string][] = [['gpus', 'GPUs'], ['tp', 'TP'], ['pp', 'PP'], ['dp', 'DP'], ['ep', 'EP']];

function controls(v: TrainingView, post: (m: WebviewMessage) => void, status: HTMLElement): HTMLElement {
  const p = { ...v.params };
  const inputs = new Map<IntKey | 'tokens', HTMLInputElement>();
  const send = (): void => {
    const bad = INTS.find(([k]) => { const x = Number(inputs.get(k)!.value); return !Number.isInteger(x) || x < 1; });
    const tokens = Number(inputs.get('tokens')!.value);
    if (bad || !(tokens > 0)) { status.textContent = bad ? `${bad[1]} must be a whole number ≥ 1.` : 'tokens must be a positive number.'; status.setAttribute('role', 'alert'); return; }
    const ints = Object.fromEntries(INTS.map(([k]) => [k, Number(inputs.get(k)!.value)])) as Record<IntKey, number>;
    // A new GPU count keeps tp · pp and gives the rest to data parallelism.
    const dp = ints.gpus !== v.params.gpus ? Math.max(1, Math.floor(ints.gpus / (ints.tp * ints.pp))) : ints.dp;
    status.textContent = 'Computing…';
    post({ type: 'trainingOptions', training: { ...p, ...ints, dp, tokens } });
  };
  const number = (k: IntKey | 'tokens', label: string, value: number): HTMLElement => {
    const input = el('input', { attrs: { type: 'number', id: `train-${k}`, min: '1', step: k === 'tokens' ? 'any' : '1', value: String(value) } });
    input.addEventListener('change', send);
    inputs.set(k, input);
    return el('label', { class: 'control', attrs: { for: `train-${k}` } }, [`${label} `, input]);
  };
  const pick = (id: string, label: string, values: readonly string[], key: 'zero' | 'recompute' | 'hardware', labels?: readonly string[]) =>
    select(id, label, values.map((x, i) => ({ value: x, label: labels?.[i] ?? x })), p[key], (x) => { (p as Record<string, unknown>)[key] = x; send(); });
  return el('div', { class: 'toolbar train-controls' }, [
    pick('train-hardware', 'Device', v.choices.hardware.map((h) => h.id), 'hardware', v.choices.hardware.map((h) => h.name)),
    ...INTS.map(([k, label]) => number(k, label, v.params[k])),
    pick('train-zero', 'ZeRO', v.choices.zero, 'zero'), pick('train-recompute', 'recompute', v.choices.recompute, 'recompute'),
    number('tokens', 'tokens', v.params.tokens),
  ]);
}

function memoryBar(id: string, t: Theme, m: NonNullable<TrainingView['memory']>): HTMLElement {
  const parts: [string, number][] = [['weights', m.weights], ['gradients', m.gradients], ['optimizer states', m.optimizer], ['activations', m.activations], ['workspace', m.workspace]];
  const datasets = [
    ...parts.map(([label, x], i) => ({ label, data: [x, null], backgroundColor: t.palette[i], stack: 'gpu' })),
    { label: 'capacity', data: [null, m.capacity], backgroundColor: t.grid, borderColor: t.fg, borderWidth: 1, stack: 'gpu' },
  ];
  const config = {
    type: 'bar', data: { labels: ['used', 'capacity'], datasets },
    options: { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { callback: (x: number | string) => formatBytes(Number(x)) } }, y: { stacked: true } },
      plugins: { tooltip: { callbacks: { label: (c: { dataset: { label?: string }; raw: unknown }) => `${c.dataset.label}: ${formatBytes(Number(c.raw))}` } } } },
  } as unknown as ChartConfiguration;
  return makeChart(id, `Training memory per GPU: ${parts.map(([l, x]) => `${l} ${formatBytes(x)}`).join(', ')}; capacity ${formatBytes(m.capacity)}`, config);
}

function layoutTable(v: TrainingView, post: (m: WebviewMessage) => void): HTMLElement {
  const head = el('tr', {}, ['tp', 'pp', 'dp', 'ep', 'days', 'GPU-hours', 'MFU', 'memory / GPU', ''].map((h) => el('th', { text: h, attrs: { scope: 'col' } })));
  const rows = v.layouts.map((l, i) => {
    const use = el('button', { text: 'use', attrs: { type: 'button', id: `train-use-${i}` } });
    use.addEventListener('click', () => post({ type: 'trainingOptions', training: { ...v.params, tp: l.tp, pp: l.pp, dp: l.dp, ep: l.ep } as TrainingParams }));
    return el('tr', { class: l.fits ? 'train-fit' : 'train-nofit' }, [
      ...[l.tp, l.pp, l.dp, l.ep].map((x) => el('td', { text: String(x) })), el('td', { text: l.days.toFixed(1) }), el('td', { text: formatCount(l.gpuHours) }),
      el('td', { text: `${(l.mfu * 100).toFixed(0)} %` }), el('td', { text: `${formatBytes(l.memory)}${l.fits ? '' : ' ✗'}` }), el('td', {}, [use]),
    ]);
  });
  const fit = v.layouts.filter((l) => l.fits).length;
  return el('div', {}, [
    el('p', { class: 'note', attrs: { id: 'train-layouts-note' }, text: `${v.layoutCount} valid layout${v.layoutCount === 1 ? '' : 's'} of ${v.params.gpus} GPUs; ${fit ? `the ${fit} shown that fit come first, fastest first` : 'none shown fits in memory: add GPUs, ZeRO-3 or full recompute'}.` }),
    el('table', { class: 'data', attrs: { id: 'train-layouts' } }, [el('thead', {}, [head]), el('tbody', {}, rows)]),
  ]);
}

export function trainingSection(v: TrainingView, t: Theme, post: (m: WebviewMessage) => void): HTMLElement {
  const status = el('p', { class: 'note', attrs: { id: 'train-status', 'aria-live': 'polite' } });
  const from = v.tokensFrom === 'model' ? 'the model\'s tokens setting' : v.tokensFrom === 'chosen' ? 'chosen here' : '20 per parameter (Chinchilla; set `tokens` in the model)';
  const body: HTMLElement[] = [controls(v, post, status), status, el('p', { class: 'note', text: `${formatCount(v.params.tokens)} tokens (${from}), sequences of ${v.seq.toLocaleString('en-US')}, 4 sequences per GPU per step.` })];
  if (v.error) body.push(el('p', { class: 'error', text: v.error, attrs: { id: 'train-error', role: 'alert' } }));
  if (v.estimate && v.memory) {
    const e = v.estimate;
    body.push(el('div', { class: 'grid2' }, [
      el('p', { class: 'summary', attrs: { id: 'train-summary' }, text: `${e.days.toFixed(1)} days · ${formatCount(e.gpuHours)} GPU-hours · MFU ${(e.mfu * 100).toFixed(1)} % · ${formatCount(e.tokensPerS)} tokens/s · step ${e.stepSeconds.toFixed(2)} s · memory ${formatBytes(v.memory.total)} of ${formatBytes(v.memory.capacity)} per GPU (${v.memory.fits ? 'fits' : 'does not fit'})` }),
      memoryBar('chart-train-memory', t, v.memory),
    ]));
  }
  body.push(layoutTable(v, post));
  return section('training', 'Training: time, GPU-hours and layouts', body);
}
