/** The gate visualization view: text in, inference run by the host, α_t strips, MoE routing, attention and mHC maps. */
import { providerLabel } from '../language-server/src/protocol/inference';
import type { GateRun, GatesModelInfo, HostMessage, WebviewMessage, WebviewState } from '../language-server/src/protocol/webview';
import { alphaRows, legend, matrix, parseGates, rowKey, rowLabel, tokenStrip, visible, type LayerTensor, type MatrixSpec, type TokenGate } from './heatmap';
import { gainSpec, loadBars, tokenGateSpec, TOKEN_GATE_TITLES } from './gateViews';
import { exportName, matrixCsv, matrixPng } from './export';
import { TOKEN_GATE_KINDS } from '../language-server/src/protocol/gates';
import { button, clear, el, section, select, Tooltip } from './dom';

const DEFAULT_TEXT = 'Only Alexander the Great could tame the horse Bucephalus.';

export class GatesView {
  private run: GateRun | undefined;
  private model: GatesModelInfo | undefined;
  private text: string;
  private sel: Record<string, string>;
  private running: { message: string; elapsedMs: number } | undefined;
  private error: string | undefined;
  private readonly controls = el('div', { class: 'toolbar' });
  private readonly status = el('div', { class: 'status', attrs: { id: 'status', 'aria-live': 'polite' } });
  private readonly results = el('div', { attrs: { id: 'results' } });
  private readonly input = el('textarea', { attrs: { id: 'gate-text', rows: '3', 'aria-label': 'Text to run through the model', spellcheck: 'false' } });

  constructor(root: HTMLElement, private readonly post: (m: WebviewMessage) => void, private readonly save: (s: WebviewState) => void, state?: WebviewState) {
    this.run = state?.gates;
    this.text = state?.text ?? this.run?.text ?? DEFAULT_TEXT;
    this.sel = { ...(state?.selections ?? {}) };
    this.input.value = this.text;
    this.input.addEventListener('input', () => { this.text = this.input.value; this.persist(); });
    new Tooltip(this.results);
    root.append(this.controls, this.status, this.results);
    this.render();
  }

  handle(m: HostMessage): void {
    switch (m.type) {
      case 'gatesModel': this.model = m.model; break;
      case 'gatesStatus': this.running = m.state === 'running' ? { message: m.message, elapsedMs: m.elapsedMs } : undefined; break;
      case 'gates': this.run = m.run; this.running = undefined; this.error = undefined; break;
      case 'gatesError': this.error = m.message; this.running = undefined; break;
      case 'setText': this.text = m.text; this.input.value = m.text; break;
      default: return;
    }
    // Progress ticks (every 250 ms) redraw the toolbar and status only: the heatmaps and the saved state stay.
    if (m.type === 'gatesStatus') { this.renderControls(); this.renderStatus(); return; }
    this.render();
    this.persist();
  }

  private persist(): void {
    this.save({ panel: 'gates', gates: this.run, text: this.text, selections: this.sel });
  }

  render(): void {
    this.renderControls();
    this.renderStatus();
    clear(this.results);
    if (this.run) this.renderRun(this.run);
  }

  private renderControls(): void {
    clear(this.controls);
    const m = this.model;
    const run = button('run', 'Run', () => this.post({ type: 'runGates', text: this.input.value }), 'Run the model on this text');
    const cancel = button('cancel', 'Cancel', () => this.post({ type: 'cancelGates' }));
    run.disabled = !!this.running;
    cancel.disabled = !this.running;
    const parts: (HTMLElement | null)[] = [
      el('span', { class: 'badge', text: m ? `model: ${m.label}${m.bundled ? ' (bundled)' : ''}` : 'model: …', attrs: { id: 'model-label' } }),
      button('choose-model', 'Open .onnx…', () => this.post({ type: 'chooseModel' })),
      m && !m.bundled ? button('bundled-model', 'Use bundled model', () => this.post({ type: 'useBundledModel' })) : null,
      m && !m.trusted ? el('p', { class: 'warning', text: 'Restricted Mode: only the bundled model runs until you trust this workspace.' }) : null,
      el('div', { class: 'input-row' }, [this.input, run, cancel]),
    ];
    this.controls.append(...parts.filter((p): p is HTMLElement => p !== null));
  }

  private renderStatus(): void {
    clear(this.status);
    if (this.running) {
      this.status.append(el('div', { class: 'progress', attrs: { role: 'progressbar', 'aria-label': 'inference running', id: 'progress' } }, [el('span', { class: 'progress-bar' })]),
        el('span', { class: 'progress-text', text: `${this.running.message} ${(this.running.elapsedMs / 1000).toFixed(1)} s` }));
    }
    if (this.error) this.status.append(el('p', { class: 'error', text: this.error, attrs: { role: 'alert', id: 'gates-error' } }));
    const r = this.run;
    if (!r) return;
    const tried = r.attempts.map((a) => `${providerLabel(a.provider, a.device)} ${a.ok ? '✓' : `✗${a.error ? ` (${a.error})` : ''}`}`).join(' → ');
    this.status.append(el('p', { class: 'run-info' }, [
      el('span', { class: 'badge', text: `provider: ${providerLabel(r.provider, r.device)}`, attrs: { id: 'provider' } }), ' ',
      el('span', { class: 'badge', text: `${r.ms.toFixed(1)} ms`, attrs: { id: 'run-time' } }), ' ',
      el('span', { class: 'note', text: `${r.model} · ${r.tokens.length} tokens${r.detail ? ` · ${r.detail}` : ''} · tried ${tried}` }),
    ]));
    if (r.untrained) this.status.append(el('p', { class: 'warning', attrs: { id: 'untrained' }, text: 'This model is untrained: its gate values are noise, not learned patterns.' }));
    for (const note of r.notes ?? []) this.status.append(el('p', { class: 'warning gate-note', text: `⚠ ${note}` }));
  }

  private renderRun(r: GateRun): void {
    const g = parseGates(r.outputs);
    if (!g.alpha.length && !g.moe.length && !g.attn.length && !g.hc.length && !g.perToken.length) {
      this.results.append(el('p', { class: 'warning', text: 'The model has no gate outputs (engram_alpha_l{i}, moe_probs_l{i}, attn_probs_l{i}, hc_res_l{i}); see docs.' }));
    }
    if (g.ignored.length) this.results.append(el('p', { class: 'note', text: `Outputs not visualized: ${g.ignored.join(', ')}` }));
    if (g.alpha.length) this.results.append(this.alphaSection(r.tokens, g.alpha));
    if (g.moe.length) this.results.append(this.moeSection(r.tokens, g.moe));
    if (g.attn.length) this.results.append(this.attnSection(r.tokens, g.attn));
    if (g.hc.length) this.results.append(this.hcSection(r.tokens, g.hc));
    for (const kind of TOKEN_GATE_KINDS) if (g.perToken.some((t) => t.kind === kind)) this.results.append(this.tokenGateSection(r.tokens, kind, g.perToken));
    if (g.moe.length) this.results.append(section('moe-load-section', 'MoE expert load over the text', [loadBars(g.moe)]));
    if (g.hc.length) this.results.append(this.heat('mhc-gain-section', 'mHC composite gain across depth', gainSpec(g.hc, labels(r.tokens, g.hc[0].dims[1]))));
  }

  private pick(id: string, label: string, values: { value: string; label: string }[]): [HTMLElement, string] {
    const cur = values.some((v) => v.value === this.sel[id]) ? this.sel[id] : values[0]?.value ?? '';
    return [select(id, label, values, cur, (v) => { this.sel[id] = v; this.persist(); this.render(); }), cur];
  }

  private alphaSection(tokens: string[], alpha: LayerTensor[]): HTMLElement {
    const rows = alpha.flatMap(alphaRows);
    const [control, cur] = this.pick('alpha-row', 'Layer / branch', [{ value: 'all', label: `all (${rows.length})` }, ...rows.map((x) => ({ value: rowKey(x), label: rowLabel(x) }))]);
    const shown = cur === 'all' ? rows : rows.filter((x) => rowKey(x) === cur);
    return section('alpha', 'Engram gate α_t per token', [el('div', { class: 'toolbar' }, [control, legend()]), tokenStrip(tokens, shown)]);
  }

  private layerPick(id: string, ts: LayerTensor[]): LayerTensor {
    const [control, cur] = this.pick(id, 'Layer', ts.map((t) => ({ value: String(t.layer), label: `layer ${t.layer}` })));
    this.pending.push(control);
    return ts.find((t) => String(t.layer) === cur) ?? ts[0];
  }

  private pending: HTMLElement[] = [];
  private take(): HTMLElement { const c = el('div', { class: 'toolbar' }, this.pending); this.pending = []; return c; }

  private moeSection(tokens: string[], ts: LayerTensor[]): HTMLElement {
    const t = this.layerPick('moe-layer', ts);
    const [T, E] = [t.dims[1], t.dims[2]];
    const m = { id: 'moe-matrix', what: `MoE routing probability, layer ${t.layer}`, rows: labels(tokens, T), cols: range(E).map((e) => `e${e}`), value: (r: number, c: number) => t.data[r * E + c] };
    return section('moe', 'MoE routing (token × expert)', [this.take(), ...this.exportable(m)]);
  }

  private attnSection(tokens: string[], ts: LayerTensor[]): HTMLElement {
    const t = this.layerPick('attn-layer', ts);
    const [H, T] = [t.dims[1], t.dims[2]];
    const [headPick, hs] = this.pick('attn-head', 'Head', range(H).map((h) => ({ value: String(h), label: `head ${h}` })));
    this.pending.push(headPick);
    const h = Number(hs) || 0;
    const lab = labels(tokens, T);
    const m = { id: 'attn-matrix', what: `attention, layer ${t.layer}, head ${h} (query → key)`, rows: lab, cols: lab, value: (q: number, k: number) => t.data[(h * T + q) * T + k] };
    return section('attn', 'Attention (query × key)', [this.take(), ...this.exportable(m)]);
  }

  private hcSection(tokens: string[], ts: LayerTensor[]): HTMLElement {
    const t = this.layerPick('hc-layer', ts);
    const [T, n] = [t.dims[1], t.dims[2]];
    const [tokPick, cur] = this.pick('hc-token', 'Token', range(T).map((i) => ({ value: String(i), label: `${i}: ${visible(tokens[i] ?? '')}` })));
    this.pending.push(tokPick);
    const i = Number(cur) || 0;
    const streams = range(n).map((s) => `stream ${s}`);
    const m = { id: 'hc-matrix', what: `hyper-connection mixing, layer ${t.layer}, token ${i}`, rows: streams, cols: streams, value: (a: number, b: number) => t.data[(i * n + a) * n + b] };
    return section('hc', 'Hyper-connection mixing matrices', [this.take(), ...this.exportable(m, false)]);
  }

  private tokenGateSection(tokens: string[], kind: TokenGate['kind'], ts: TokenGate[]): HTMLElement {
    const spec = tokenGateSpec(kind, ts, labels(tokens, ts.find((t) => t.kind === kind)!.dims[1]));
    return this.heat(`${kind}-section`, `${TOKEN_GATE_TITLES[kind]} (layers × tokens${spec.scale && spec.scale > 1 ? `, colour scale 0 … ${spec.scale.toFixed(2)}` : ''})`, spec);
  }

  private heat(id: string, heading: string, spec: MatrixSpec): HTMLElement {
    return section(id, heading, this.exportable(spec));
  }

  /** Export buttons (PNG, CSV), the colour bar and the matrix. */
  private exportable(spec: MatrixSpec, withLegend = true): HTMLElement[] {
    const name = exportName(spec);
    const buttons = el('div', { class: 'toolbar' }, [
      button(`${name}-png`, 'Export PNG', () => this.post({ type: 'exportHeatmap', name, format: 'png', data: matrixPng(spec) })),
      button(`${name}-csv`, 'Export CSV', () => this.post({ type: 'exportHeatmap', name, format: 'csv', data: matrixCsv(spec) })),
    ]);
    return [buttons, ...(withLegend ? [legend()] : []), matrix(spec)];
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const labels = (tokens: readonly string[], T: number): string[] => range(T).map((i) => visible(tokens[i] ?? `#${i}`));
