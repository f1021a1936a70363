/**
 * The gate visualization panel: tokenizes the text (byte-level, models/tokenizer.ts), runs the ONNX model in the
 * inference child process (InferenceRunner), and posts the gate outputs to the webview. In an untrusted
 * workspace only the model bundled with the extension runs (and compiled probes: Archlens generates their graph).
 * A compiled probe of an .arch model (compiled by the inference process, inference/probeJob.ts) has a fixed sequence
 * length: the text's ids are fitted to it (modulo its vocabulary, truncated or padded), and the panel says its weights
 * are untrained; it runs only while its file still has the SHA-256 it was compiled with.
 */
import * as vscode from 'vscode';
import type { InferenceRunner } from '../inference/runner';
import { attemptView, type CompiledProbe, type ProviderChoice, type ResultMessage } from '../../language-server/src/protocol/inference';
import { encode, tokenPieces } from '../../models/tokenizer';
import { PanelViewTypes } from '../../language-server/src/protocol/lsp';
import { gateOutputs } from './gateOutputs';
import type { GateRun, WebviewMessage, WebviewState } from '../../language-server/src/protocol/webview';
import { createPanel, WebviewHost } from './base';
import { fitPieces } from './probeGates';
import { mergeChunks, planChunks, type Chunk } from './chunks';

export interface GatesDeps {
  readonly extensionUri: vscode.Uri;
  readonly runner: Pick<InferenceRunner, 'run'>;
  /** The model shipped with the extension (runs in Restricted Mode too). */
  readonly bundledModel: vscode.Uri;
  /** Whether a model's weights are untrained (its gates then mean nothing); default: never. */
  readonly isUntrained?: (modelPath: string) => boolean;
  /** Deletes the compiled probe files (called when the panel closes). */
  readonly releaseProbes?: () => void;
  /** The provider setting (default `auto`). */
  readonly provider?: () => ProviderChoice;
  /** Starts the inference process and the bundled model's session ahead of the first run (called when the panel opens). */
  readonly warm?: () => void;
}


interface ChunkedRun { result: ResultMessage; runMs: number; outputs: GateRun['outputs']; dropped: string[]; notes: string[] }

export class GatesPanel implements vscode.Disposable {
  static current: GatesPanel | undefined;
  private readonly host: WebviewHost;
  private model: vscode.Uri;
  private job: AbortController | undefined;
  private disposed = false;
  /** Set while the model is a compiled probe (fixed T, untrained). */
  private probe: CompiledProbe | undefined;

  static show(deps: GatesDeps, text?: string, probe?: CompiledProbe): GatesPanel {
    const p = GatesPanel.current ?? (GatesPanel.current = new GatesPanel(createPanel(PanelViewTypes.gates, 'Archlens: gates'), deps));
    p.host.panel.reveal(undefined, true);
    if (probe) { p.probe = probe; p.model = vscode.Uri.file(probe.path); p.postModel(); }
    if (text) {
      // Text selected in the editor is run at once: that is what the command was asked for.
      const t = text.slice(0, 100_000);
      p.host.post({ type: 'setText', text: t });
      void p.run(t);
    }
    return p;
  }

  static revive(panel: vscode.WebviewPanel, deps: GatesDeps, _state: WebviewState | undefined): GatesPanel {
    GatesPanel.current?.dispose();
    return (GatesPanel.current = new GatesPanel(panel, deps)); // the webview restores its own text and last run
  }

  private constructor(panel: vscode.WebviewPanel, private readonly deps: GatesDeps) {
    this.model = deps.bundledModel;
    this.host = new WebviewHost(panel, deps.extensionUri, 'gates', (m) => void this.onMessage(m));
    panel.onDidDispose(() => this.dispose());
    this.postModel();
    deps.warm?.();
  }

  private bundled(uri: vscode.Uri): boolean {
    return uri.toString() === this.deps.bundledModel.toString();
  }

  private postModel(): void {
    const label = this.probe?.label ?? this.model.path.split('/').pop() ?? this.model.path;
    const untrained = this.untrained();
    this.host.post({ type: 'gatesModel', model: { label, bundled: this.bundled(this.model), untrained, trusted: vscode.workspace.isTrusted } });
  }

  private untrained(): boolean {
    return this.probe !== undefined || (this.deps.isUntrained?.(this.model.fsPath) ?? false);
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'runGates': return this.run(m.text);
      case 'cancelGates': this.job?.abort(); return;
      case 'useBundledModel': this.model = this.deps.bundledModel; this.probe = undefined; this.postModel(); return;
      case 'chooseModel': return this.choose();
      case 'exportHeatmap': return saveExport(m);
      default: return;
    }
  }

  private async choose(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'ONNX model': ['onnx'] }, title: 'Model with gate outputs (engram_alpha_l{i}, …)' });
    if (!picked?.[0]) return;
    if (!vscode.workspace.isTrusted && !this.bundled(picked[0])) {
      this.host.post({ type: 'gatesError', message: 'Restricted Mode: Archlens runs only its bundled model until you trust this workspace.' });
      return;
    }
    this.model = picked[0];
    this.probe = undefined;
    this.postModel();
  }

  private async run(text: string): Promise<void> {
    if (!text.trim()) { this.host.post({ type: 'gatesError', message: 'Type some text to run the model on.' }); return; }
    if (!vscode.workspace.isTrusted && !this.bundled(this.model) && !this.probe) {
      this.host.post({ type: 'gatesError', message: 'Restricted Mode: workspace models do not run in an untrusted workspace; the bundled model does.' });
      return;
    }
    this.job?.abort();
    const job = (this.job = new AbortController());
    const chunks = planChunks(encode(text), this.probe ? { seq: this.probe.seq, vocab: this.probe.vocab } : undefined);
    const started = Date.now();
    let stage = 'starting';
    const tick = (): void => this.host.post({ type: 'gatesStatus', state: 'running', message: `Running (${stage})…`, elapsedMs: Date.now() - started });
    const timer = setInterval(tick, 250);
    tick();
    try {
      const run = await this.runChunks(chunks, job.signal, (s) => { stage = s; });
      this.host.post({ type: 'gates', run: this.gateRun(text, chunks, run) });
      this.host.post({ type: 'gatesStatus', state: 'idle', message: '', elapsedMs: Date.now() - started });
    } catch (e) {
      const cancelled = job.signal.aborted || (e as { code?: string }).code === 'cancelled';
      this.host.post({ type: 'gatesStatus', state: 'idle', message: '', elapsedMs: Date.now() - started });
      this.host.post({ type: 'gatesError', message: cancelled ? 'Cancelled.' : `Inference failed: ${(e as Error).message}` });
    } finally {
      clearInterval(timer);
      if (this.job === job) this.job = undefined;
    }
  }

  /** Runs the chunks one after another (progress `chunk i/n`); the last result carries provider and timings. */
  private async runChunks(chunks: Chunk[], signal: AbortSignal, onStage: (s: string) => void): Promise<ChunkedRun> {
    const parts: GateRun['outputs'][] = [];
    const notes: string[] = [];
    let last: ResultMessage | undefined;
    let runMs = 0;
    for (const [i, chunk] of chunks.entries()) {
      const of = chunks.length > 1 ? `chunk ${i + 1}/${chunks.length}, ` : '';
      last = await this.deps.runner.run({ modelPath: this.model.fsPath, inputIds: chunk.ids, sha256: this.probe?.sha256, provider: this.deps.provider?.() }, {
        signal, onProgress: (p) => onStage(`${of}${p.provider ? `${p.stage}, ${p.provider}` : p.stage}`),
      });
      parts.push(gateOutputs(last.outputs, notes));
      runMs += last.ms.runMs;
    }
    return { result: last!, runMs, notes: [...new Set(notes)], ...mergeChunks(parts, chunks) };
  }

  private gateRun(text: string, chunks: Chunk[], run: ChunkedRun): GateRun {
    const r = run.result;
    const real = chunks.reduce((s, c) => s + c.real, 0);
    const all = tokenPieces(text).slice(0, real).map((p) => (p.continuation ? '·' : p.display));
    const pieces = this.probe && chunks.length === 1 ? fitPieces(all, real, this.probe.seq) : all;
    const label = this.probe?.label ?? this.model.path.split('/').pop() ?? '';
    const total = encode(text).length;
    const chunked = (chunks.length > 1 ? ` · ${chunks.length} chunks${run.dropped.length ? ` (not joined: ${run.dropped.join(', ')})` : ''}` : '')
      + (total > real ? ` · first ${real} of ${total} tokens` : '');
    return {
      model: label, provider: r.provider, ...(r.device ? { device: r.device } : {}), ms: run.runMs, text, tokens: pieces, outputs: run.outputs,
      detail: `load ${r.ms.loadMs.toFixed(0)} ms · session ${r.ms.createMs.toFixed(0)} ms${r.cachedSession ? ' (cached)' : ''} · run ${run.runMs.toFixed(1)} ms${chunked}`,
      attempts: r.attempts.map(attemptView),
      untrained: this.untrained(),
      ...(run.notes.length ? { notes: run.notes } : {}),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.job?.abort();
    if (GatesPanel.current === this) GatesPanel.current = undefined;
    this.host.dispose();
    this.host.panel.dispose();
    this.deps.releaseProbes?.();
  }
}

/** Writes an exported heatmap where the user picks (PNG bytes from the data URL, or the CSV text). */
async function saveExport(m: Extract<WebviewMessage, { type: 'exportHeatmap' }>): Promise<void> {
  const filters: Record<string, string[]> = m.format === 'png' ? { 'PNG image': ['png'] } : { 'CSV table': ['csv'] };
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({ filters, title: 'Export heatmap', defaultUri: base ? vscode.Uri.joinPath(base, `${m.name}.${m.format}`) : undefined });
  if (!target) return;
  const buf = m.format === 'png' ? Buffer.from(m.data.slice(m.data.indexOf(',') + 1), 'base64') : Buffer.from(m.data, 'utf8');
  await vscode.workspace.fs.writeFile(target, new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer));
}
