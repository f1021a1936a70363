/** The cost dashboard view: model picker, compare picker, deployment, breakdown, context, roofline, comparison and ρ sweep. */
import type { DashboardData } from '../language-server/src/protocol/dashboard';
import { formatBytes, formatCount, formatFlops, formatSeconds } from '../language-server/src/format/units';
import type { HostMessage, WebviewMessage, WebviewState } from '../language-server/src/protocol/webview';
import { applyDefaults, destroyCharts, theme } from './charts';
import { allocationChart, compareChart, contextChart, decodeChart, kindBars, rooflineChart } from './dashboardCharts';
import { button, clear, el, section, select, Tooltip } from './dom';
import { DEFAULT_MEASURE, measureSection, type MeasureState } from './measureView';
import { deploymentSection, type DeploymentUi } from './deploymentView';
import { layerMapSection, overlaySection, type OverlayUi } from './overlayView';
import { trainingSection } from './trainingView';

type Comparison = NonNullable<DashboardData['comparison']>;
type Allocation = NonNullable<DashboardData['allocation']>;

export class DashboardView {
  private data: DashboardData | undefined;
  private error: string | undefined;
  private readonly measure: MeasureState = { running: false, message: '', settings: { ...DEFAULT_MEASURE } };
  private readonly deployUi: DeploymentUi = { xAxis: 'tpot' };
  private readonly overlayUi: OverlayUi = { metric: 'prefillFlopsPerToken' };

  constructor(private readonly root: HTMLElement, private readonly post: (m: WebviewMessage) => void, private readonly save: (s: WebviewState) => void, state?: WebviewState) {
    this.data = state?.dashboard;
    this.measure.result = state?.measured;
    new Tooltip(root);
    this.render();
  }

  handle(m: HostMessage): void {
    if (m.type === 'dashboard') { this.data = m.data; this.error = undefined; }
    else if (m.type === 'dashboardError') this.error = m.message;
    else if (!this.handleMeasure(m)) return;
    this.render();
    this.save({ panel: 'dashboard', uri: this.data?.uri, model: this.data?.model, compare: [...(this.data?.compare ?? [])], dashboard: this.data, measured: this.measure.result });
  }

  private handleMeasure(m: HostMessage): boolean {
    const s = this.measure;
    if (m.type === 'measured') { s.result = m.result; s.error = undefined; }
    else if (m.type === 'measureStatus') { s.running = m.state === 'running'; s.message = m.message; }
    else if (m.type === 'measureError') { s.error = m.message; s.running = false; }
    else return false;
    return true;
  }

  render(): void {
    destroyCharts();
    clear(this.root);
    if (this.error) this.root.append(el('p', { class: 'error', text: this.error, attrs: { role: 'alert' } }));
    const d = this.data;
    if (!d) { this.root.append(el('p', { class: 'progress-text', text: 'Computing the cost dashboard…' })); return; }
    const t = theme();
    applyDefaults(t);
    this.root.append(
      this.header(d),
      deploymentSection(d.deployment, t, this.post, this.deployUi, () => this.render()),
      section('breakdown', 'Parameters and FLOPs by block kind', [el('div', { class: 'grid2' }, [kindBars('chart-params', t, d, 'params'), kindBars('chart-flops', t, d, 'flops')])]),
      section('context', 'Cost vs context length (1K – 1M tokens, log axes)', [el('div', { class: 'grid3' }, [
        contextChart('chart-ctx-flops', t, d, 'prefill'), contextChart('chart-ctx-cache', t, d, 'cache'), decodeChart('chart-ctx-decode', t, d)])]),
      overlaySection(d.overlay, t, this.overlayUi, () => this.render()),
      layerMapSection(d.layerMap, this.post),
      trainingSection(d.training, t, this.post),
      section('roofline', `Roofline on ${d.hardware.name}`, [
        el('p', { class: 'note', text: `Peak ${formatFlops(d.hardware.peak)}/s (${d.dtype}), ${formatBytes(d.hardware.bandwidth)}/s; ridge at ${d.roofline.ridge.toFixed(0)} FLOP/byte. Points left of the ridge are memory-bound.` }),
        rooflineChart('chart-roofline', t, d)]),
      d.comparison ? section('compare', 'Compare models', [compareTable(d.comparison), compareChart('chart-compare', t, d.comparison)])
        : section('compare', 'Compare models', [el('p', { class: 'note', text: d.models.length > 1 ? 'Tick other models above to compare them with this one.' : 'This file declares one model; add another to compare.' })]),
      measureSection(this.measure, t, this.post),
      d.allocation ? section('allocation', 'MoE ↔ Engram sparsity allocation (ρ)', allocationBody(d.allocation, t))
        : section('allocation', 'MoE ↔ Engram sparsity allocation (ρ)', [el('p', { class: 'note', text: 'Needs a model with both moe and engram blocks (e.g. Engram27B in std/engram.arch).' })]),
    );
  }

  private header(d: DashboardData): HTMLElement {
    const models = d.models.map((m) => ({ value: m, label: m }));
    const compare = el('fieldset', { class: 'compare-pick' }, [el('legend', { text: 'Compare with' })]);
    for (const m of d.models.filter((x) => x !== d.model)) {
      const box = el('input', { attrs: { type: 'checkbox', id: `cmp-${m}`, value: m } });
      box.checked = d.compare.includes(m);
      box.addEventListener('change', () => this.options(d.model, box.checked ? [...d.compare, m] : d.compare.filter((x) => x !== m)));
      compare.append(el('label', { class: 'control', attrs: { for: `cmp-${m}` } }, [box, ` ${m}`]));
    }
    const t = d.totals;
    const summary = `${formatCount(t.paramsTotal)} params · ${formatCount(t.paramsActive)} active · prefill ${formatFlops(t.prefillFlopsPerToken)}/token · ` +
      `decode ${formatSeconds(t.decodeSeconds)}/step · weights ${formatBytes(t.weightBytes)}${t.hostWeightBytes ? ` (+${formatBytes(t.hostWeightBytes)} host)` : ''} · KV/state ${formatBytes(t.cacheBytes)}/seq`;
    return el('header', { class: 'toolbar' }, [
      select('model-pick', 'Model', models, d.model, (m) => this.options(m, d.compare.filter((x) => x !== m))),
      d.models.length > 1 ? compare : null,
      el('span', { class: 'badge', text: `${d.hardware.id} · L = ${d.seq.toLocaleString('en-US')} · B = ${d.batch} · ${d.dtype}` }),
      button('pick-hw', 'Hardware…', () => this.post({ type: 'selectHardware' }), 'Archlens: Select Hardware for Estimates'),
      el('p', { class: 'summary', text: summary, attrs: { id: 'summary' } }),
      ...d.warnings.map((w) => el('p', { class: 'warning', text: `⚠ ${w}` })),
    ]);
  }

  private options(model: string, compare: string[]): void {
    this.post({ type: 'dashboardOptions', model, compare });
  }
}

const METRICS: [keyof Comparison['rows'][number], string, (x: number) => string][] = [
  ['paramsTotal', 'parameters', formatCount], ['paramsActive', 'active parameters', formatCount],
  ['prefillFlopsPerToken', 'prefill FLOPs / token', formatFlops], ['decodeFlopsPerToken', 'decode FLOPs / token', formatFlops],
  ['weightBytes', 'device weights', formatBytes], ['hostWeightBytes', 'host weights', formatBytes], ['cacheBytes', 'KV / state per sequence', formatBytes],
  ['deviceBytes', 'device memory', formatBytes], ['prefillSeconds', 'prefill time', formatSeconds], ['decodeSeconds', 'decode step time', formatSeconds],
];

function compareTable(c: Comparison): HTMLElement {
  const head = el('tr', {}, [el('th', { text: 'metric', attrs: { scope: 'col' } }), ...c.rows.map((r) => el('th', { text: r.model, attrs: { scope: 'col' } }))]);
  const body = METRICS.map(([key, label, fmt]) => el('tr', {}, [
    el('th', { text: label, attrs: { scope: 'row' } }),
    ...c.rows.map((r, i) => {
      const rel = (c.relative[i] as Record<string, number>)[key];
      return el('td', { text: fmt(Number(r[key])) + (i > 0 && rel !== undefined ? ` (${(rel * 100).toFixed(1)} %)` : '') });
    }),
  ]));
  return el('table', { class: 'data', attrs: { id: 'compare-table' } }, [el('thead', {}, [head]), el('tbody', {}, body)]);
}

function allocationBody(a: Allocation, t: ReturnType<typeof theme>): HTMLElement[] {
  const b = a.base;
  const head = el('tr', {}, ['ρ', 'routed experts', 'Engram slots', 'P_tot', 'P_act', 'device weights', 'Engram tables'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })));
  const rows = a.points.map((p) => el('tr', {}, [
    `${(p.rhoActual * 100).toFixed(1)} %`, p.experts.join(', '), p.slots.map((s) => s.toLocaleString('en-US')).join(', '),
    formatCount(p.pTot), formatCount(p.pAct), formatBytes(p.deviceWeightBytes), formatBytes(p.engramTableBytes),
  ].map((x) => el('td', { text: x }))));
  return [
    el('p', { class: 'note', text: `This model: ρ = ${(b.rho * 100).toFixed(1)} % (P_tot ${formatCount(b.pTot)}, P_act ${formatCount(b.pAct)}, P_sparse ${formatCount(b.pSparse)}; embedding and LM head excluded). ` +
      'Only the number of routed experts and of Engram slots change.' }),
    el('p', { class: 'loss-note', text: a.note, attrs: { id: 'loss-note' } }),
    allocationChart('chart-allocation', t, a),
    el('details', {}, [el('summary', { text: 'Sweep table' }), el('table', { class: 'data', attrs: { id: 'allocation-table' } }, [el('thead', {}, [head]), el('tbody', {}, rows)])]),
  ];
}
