/**
 * Dashboard section "Measured vs estimated": probe / T / runs inputs and a Measure button (the measurement runs
 * in the extension's inference child process and takes seconds, so it only starts on request), then a table
 * and a bar chart (log axis) of estimated vs measured µs per token for prefill and decode.
 */
import type { ChartConfiguration } from 'chart.js';
import type { MeasureResult } from '../language-server/src/protocol/webview';
import { formatBytes, formatCount, formatFlops } from '../language-server/src/format/units';
import { ratio, us } from '../language-server/src/format/measure';
import type { MeasureSettings, WebviewMessage } from '../language-server/src/protocol/webview';
import { logAxis, makeChart, positive, type Theme } from './charts';
import { button, el, section } from './dom';

export interface MeasureState { result?: MeasureResult; running: boolean; message: string; error?: string; settings: MeasureSettings }

export const DEFAULT_MEASURE: MeasureSettings = { probe: 'layers=2,width=8', seq: 16, runs: 10 };

function input(id: string, label: string, value: string, size: number): [HTMLElement, HTMLInputElement] {
  const i = el('input', { attrs: { id, type: 'text', value, size: String(size) } });
  return [el('label', { class: 'control', attrs: { for: id } }, [`${label} `, i]), i];
}

function controls(s: MeasureState, post: (m: WebviewMessage) => void): HTMLElement {
  const [pl, probe] = input('measure-probe', 'Probe', s.settings.probe, 22);
  const [sl, seq] = input('measure-seq', 'T', String(s.settings.seq), 5);
  const [rl, runs] = input('measure-runs', 'Runs', String(s.settings.runs), 4);
  const go = button('measure-run', s.running ? 'Measuring…' : 'Measure', () => {
    const m = { type: 'measure' as const, probe: probe.value.trim(), seq: Number(seq.value), runs: Number(runs.value) };
    s.settings = { probe: m.probe, seq: m.seq, runs: m.runs };
    post(m);
  }, 'Compile the probe, run it with onnxruntime (CUDA → WebGPU → CPU) and compare with the roofline estimate');
  go.disabled = s.running;
  const cancel = s.running ? button('measure-cancel', 'Cancel', () => post({ type: 'cancelMeasure' })) : null;
  return el('div', { class: 'toolbar' }, [pl, sl, rl, go, cancel]);
}

function table(r: MeasureResult): HTMLElement {
  const head = el('tr', {}, ['per token', 'estimated', 'measured', 'ratio', 'bound', 'method'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })));
  const row = (name: string, p: MeasureResult['prefill']): HTMLElement => el('tr', {}, [
    el('th', { text: name, attrs: { scope: 'row' } }), el('td', { text: us(p.estimatedUs) }),
    el('td', { text: `${p.approximate ? '≈ ' : ''}${us(p.measuredUs)}` }), el('td', { text: ratio(p.ratio) }), el('td', { text: p.bound }), el('td', { text: p.method }),
  ]);
  return el('table', { class: 'data', attrs: { id: 'measure-table' } }, [el('thead', {}, [head]), el('tbody', {}, [row('prefill', r.prefill), row('decode', r.decode)])]);
}

function chart(t: Theme, r: MeasureResult): HTMLElement {
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: ['prefill / token', 'decode / token'],
      datasets: [
        { label: 'estimated (roofline)', backgroundColor: t.palette[0], data: [r.prefill.estimatedUs, r.decode.estimatedUs].map((x) => positive(x) ?? 0) },
        { label: 'measured (median)', backgroundColor: t.palette[1], data: [r.prefill.measuredUs, r.decode.measuredUs].map((x) => positive(x) ?? 0) },
      ],
    },
    options: { scales: { y: logAxis('µs per token', (v) => us(v)) as never } },
  };
  return makeChart('chart-measure', `Estimated vs measured time per token of ${r.model}: prefill ${ratio(r.prefill.ratio)}, decode ${ratio(r.decode.ratio)}`, config as ChartConfiguration);
}

export function measureSection(s: MeasureState, t: Theme, post: (m: WebviewMessage) => void): HTMLElement {
  const r = s.result;
  const body: (HTMLElement | null)[] = [controls(s, post)];
  if (s.running || s.message) body.push(el('p', { class: 'progress-text', text: s.message, attrs: { id: 'measure-status', 'aria-live': 'polite' } }));
  if (s.error) body.push(el('p', { class: 'error', text: s.error, attrs: { role: 'alert' } }));
  if (!r) body.push(el('p', { class: 'note', text: 'Runs a scaled probe of this model with onnxruntime and compares its time per token with the roofline estimate for the device used (seconds; not automatic).' }));
  else {
    body.push(
      el('p', { class: 'note', attrs: { id: 'measure-summary' }, text: `${r.model}${r.probe ? ` (probe ${r.probe})` : ''}: ${formatCount(r.params)} params, T = L = ${r.seq}, ${r.runs} runs, provider ${r.provider}. ` +
        `Estimate on ${r.device.name}: ${formatFlops(r.device.peakFlops)}/s fp32, ${formatBytes(r.device.bandwidth)}/s (${r.device.source}).` }),
      table(r), chart(t, r),
      ...r.notes.map((n) => el('p', { class: 'note', text: n })),
    );
  }
  return section('measured', 'Measured vs estimated', body);
}
