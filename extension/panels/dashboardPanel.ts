/**
 * The cost dashboard panel: asks the language server (archlens/dashboard) for the chosen model's data and
 * posts it to the webview; follows edits (debounced 300 ms), settings changes and the active .arch editor.
 * "Measured vs estimated" (on the webview's request only): the inference child process loads the model from the
 * server's program snapshot (fenced, unsaved buffers included), compiles the probe, times it and computes the
 * roofline estimate (InferenceRunner.measure); the extension host only relays. In Restricted Mode only probes run.
 */
import { inferenceProvider } from '../config';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DashboardRequest, PanelViewTypes, type DashboardParams } from '../../language-server/src/protocol/lsp';
import type { DeploymentParams, SourceRange, TrainingParams } from '../../language-server/src/protocol/dashboard';
import type { MeasureSettings, WebviewMessage, WebviewState } from '../../language-server/src/protocol/webview';
import type { InferenceRunner } from '../inference/runner';
import { requestSnapshot } from '../snapshot';
import { createPanel, Debouncer, WebviewHost } from './base';
import { measureTrustProblem } from './trust';

export interface DashboardDeps {
  readonly extensionUri: vscode.Uri;
  readonly client: Pick<LanguageClient, 'sendRequest'>;
  /** Runs measurements in the inference child process (absent: the section says it is unavailable). */
  readonly runner?: Pick<InferenceRunner, 'measure'>;
}

/** What the panel shows; `deployment` holds the Deployment section's choices once the user changed one. */
interface Target { uri: vscode.Uri; model?: string; offset?: number; compare: string[]; deployment?: DeploymentParams; training?: TrainingParams }

export class DashboardPanel implements vscode.Disposable {
  static current: DashboardPanel | undefined;
  private readonly host: WebviewHost;
  private readonly debounce = new Debouncer(300, () => void this.refresh());
  private readonly subs: vscode.Disposable[] = [];
  private seq = 0;
  private measureJob: AbortController | undefined;
  /** The files the last dashboard's layer map points into: the only ones `revealSource` may open. */
  private sources = new Set<string>();

  /** Opens (or reveals and retargets) the dashboard for `model` of `uri` (the model under the cursor when absent). */
  static show(deps: DashboardDeps, uri: vscode.Uri, model?: string, offset?: number): DashboardPanel {
    const target: Target = { uri, model, offset, compare: [] };
    const cur = DashboardPanel.current;
    if (cur) { cur.retarget(target); cur.host.panel.reveal(undefined, true); return cur; }
    return (DashboardPanel.current = new DashboardPanel(createPanel(PanelViewTypes.dashboard, 'Archlens: cost'), deps, target));
  }

  /** Restores a panel VS Code kept across a restart (state from the webview's setState). */
  static revive(panel: vscode.WebviewPanel, deps: DashboardDeps, state: WebviewState | undefined): DashboardPanel {
    const active = vscode.window.activeTextEditor?.document;
    const uri = state?.uri ? vscode.Uri.parse(state.uri) : active?.languageId === 'arch' ? active.uri : undefined;
    DashboardPanel.current?.dispose();
    const p = new DashboardPanel(panel, deps, uri ? { uri, model: state?.model, compare: state?.compare ?? [] } : undefined);
    return (DashboardPanel.current = p);
  }

  private constructor(panel: vscode.WebviewPanel, private readonly deps: DashboardDeps, private target: Target | undefined) {
    this.host = new WebviewHost(panel, deps.extensionUri, 'dashboard', (m) => this.onMessage(m));
    this.subs.push(
      this.host, this.debounce,
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => { if (this.target && e.document.uri.toString() === this.target.uri.toString()) this.debounce.schedule(); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('archlens')) this.settingsChanged(); }),
      vscode.window.onDidChangeActiveTextEditor((ed) => this.follow(ed)),
    );
    if (target) void this.refresh();
    else this.host.post({ type: 'dashboardError', message: 'Open an .arch file and run "Archlens: Open Cost Dashboard".', models: [] });
  }

  /** New archlens.* settings: the Deployment section follows them again (its own choices are dropped). */
  private settingsChanged(): void {
    if (this.target) this.target = { ...this.target, deployment: undefined };
    this.debounce.schedule();
  }

  private retarget(t: Target): void {
    this.target = t;
    void this.refresh();
  }

  /** Switches to another .arch document when the user focuses it (its first model / the model under the cursor). */
  private follow(ed: vscode.TextEditor | undefined): void {
    if (!ed || ed.document.languageId !== 'arch' || ed.document.uri.toString() === this.target?.uri.toString()) return;
    this.retarget({ uri: ed.document.uri, offset: ed.document.offsetAt(ed.selection.active), compare: [], deployment: this.target?.deployment });
  }

  private onMessage(m: WebviewMessage): void {
    if (m.type === 'dashboardOptions' && this.target) this.retarget({ ...this.target, model: m.model, compare: m.compare, training: m.model === this.target.model ? this.target.training : undefined });
    else if (m.type === 'deploymentOptions' && this.target) this.retarget({ ...this.target, deployment: m.deployment });
    else if (m.type === 'trainingOptions' && this.target) this.retarget({ ...this.target, training: m.training });
    else if (m.type === 'revealSource') void this.reveal(m.range);
    else if (m.type === 'selectHardware') void vscode.commands.executeCommand('archlens.selectHardware');
    else if (m.type === 'measure') void this.measure(m);
    else if (m.type === 'cancelMeasure') this.measureJob?.abort();
  }

  /** Shows a layer map cell's block in its file; only a file the last dashboard named, as a file: URI. */
  private async reveal(r: SourceRange): Promise<void> {
    const uri = vscode.Uri.parse(r.uri, true);
    if (uri.scheme !== 'file' || !this.sources.has(uri.toString())) return;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: false });
  }

  private async measure(m: MeasureSettings): Promise<void> {
    const t = this.target;
    const runner = this.deps.runner;
    if (!t || !runner) { this.host.post({ type: 'measureError', message: t ? 'Measurement is not available here (no inference process).' : 'Open an .arch model first.' }); return; }
    const untrusted = measureTrustProblem(m.probe, vscode.workspace.isTrusted);
    if (untrusted) { this.host.post({ type: 'measureError', message: untrusted }); return; }
    this.measureJob?.abort();
    const job = (this.measureJob = new AbortController());
    const started = Date.now();
    this.host.forget('measureError');
    this.host.post({ type: 'measureStatus', state: 'running', message: `Measuring ${t.model ?? 'the model'} (probe ${m.probe || 'none: full model'}, T = ${m.seq}, ${m.runs} runs)…` });
    try {
      const snapshot = await requestSnapshot(this.deps.client, t.uri);
      const r = await runner.measure({ snapshot, model: t.model, probe: m.probe, seq: m.seq, runs: m.runs, provider: inferenceProvider() }, { signal: job.signal });
      this.host.post({ type: 'measured', result: r.result });
      this.host.post({ type: 'measureStatus', state: 'idle', message: `Measured in ${((Date.now() - started) / 1000).toFixed(1)} s.` });
    } catch (e) {
      this.host.post({ type: 'measureStatus', state: 'idle', message: '' });
      this.host.post({ type: 'measureError', message: job.signal.aborted ? 'Cancelled.' : `Measurement failed: ${(e as Error).message}` });
    } finally {
      if (this.measureJob === job) this.measureJob = undefined;
    }
  }

  async refresh(): Promise<void> {
    const t = this.target;
    if (!t) return;
    const mine = ++this.seq;
    const params: DashboardParams = { uri: t.uri.toString(), model: t.model, offset: t.model ? undefined : t.offset, compare: t.compare, deployment: t.deployment, training: t.training };
    try {
      let r = await this.deps.client.sendRequest(DashboardRequest.type, params);
      if (r === null) { await vscode.workspace.openTextDocument(t.uri); r = await this.deps.client.sendRequest(DashboardRequest.type, params); }
      if (mine !== this.seq) return; // a newer request is on its way
      if (r === null) this.host.post({ type: 'dashboardError', message: `The language server has no document ${t.uri.fsPath}.`, models: [] });
      else if ('error' in r) this.host.post({ type: 'dashboardError', message: r.error, models: [...r.models] });
      else {
        this.host.forget('dashboardError');
        this.host.post({ type: 'dashboard', data: r });
        this.target = { ...t, model: r.model, compare: [...r.compare], deployment: t.deployment, training: t.training };
        this.sources = new Set(r.layerMap.flatMap((s) => s.cells.map((c) => (c.source ? vscode.Uri.parse(c.source.uri, true).toString() : ''))).filter(Boolean));
        this.host.panel.title = `Archlens: ${r.model}`;
      }
    } catch (e) {
      if (mine === this.seq) this.host.post({ type: 'dashboardError', message: `Dashboard request failed: ${(e as Error).message}`, models: [] });
    }
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.measureJob?.abort();
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    for (const s of this.subs.splice(0)) s.dispose();
    this.host.panel.dispose();
  }
}
