/**
 * One status bar item with the totals of the model under the cursor in the active `.arch` editor:
 * "$(circuit-board) Llama3_8B · 8.03 B · 4.8 ms/tok (H100)". Asks the server (archlens/modelTotals) on
 * editor / selection / text changes (debounced) and on configuration changes; hidden elsewhere.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ModelTotalsRequest, type ModelTotals, Commands } from '../language-server/src/protocol/lsp';
import { formatCount, formatSeconds } from '../language-server/src/format/units';
import { findHardware } from '../language-server/src/cost/hardware';

const DEBOUNCE_MS = 250;

/** The catalogue's short name ("H100", "RTX 4090"); unknown ids in upper case. */
export function hardwareLabel(id: string): string {
  return findHardware(id)?.short ?? id.toUpperCase();
}

export function statusText(t: ModelTotals): string {
  const params = t.paramsActive > 0 && t.paramsActive < t.paramsTotal
    ? `${formatCount(t.paramsTotal)} (${formatCount(t.paramsActive)} active)` : formatCount(t.paramsTotal);
  return `$(circuit-board) ${t.name} · ${params} · ${formatSeconds(t.decodeSeconds)}/tok (${hardwareLabel(t.hardware)})`;
}

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('archlens.modelTotals', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  /** Model shown now (commands use it when run from the palette without an argument). */
  current: ModelTotals | undefined;

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'Archlens model totals';
    this.item.command = Commands.selectHardware;
    this.subs.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection((e) => { if (e.textEditor === vscode.window.activeTextEditor) this.schedule(); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document === vscode.window.activeTextEditor?.document) this.schedule(); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('archlens')) this.schedule(); }),
      client.onDidChangeState(() => this.schedule()),
    );
    this.schedule();
  }

  /** Debounced refresh (the delay also lets the server pull a changed configuration first; its requests wait for the pull). */
  schedule(delay = DEBOUNCE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.update(); }, delay);
  }

  async update(): Promise<void> {
    const ticket = ++this.seq;
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'arch' || !this.client.isRunning()) {
      this.hide();
      return;
    }
    let totals: ModelTotals | null = null;
    try {
      totals = await this.client.sendRequest(ModelTotalsRequest.type, {
        uri: this.client.code2ProtocolConverter.asUri(editor.document.uri),
        offset: editor.document.offsetAt(editor.selection.active),
      });
    } catch {
      totals = null; // server busy/restarting or an older server without the request
    }
    if (ticket !== this.seq) return; // a newer update started meanwhile
    if (!totals) { this.hide(); return; }
    this.current = totals;
    this.item.text = statusText(totals);
    const hw = findHardware(totals.hardware);
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${totals.name}**\n\n`);
    tip.appendMarkdown(`- params: ${totals.paramsTotal.toLocaleString('en-US')} total, ${totals.paramsActive.toLocaleString('en-US')} active\n`);
    tip.appendMarkdown(`- decode: ${formatSeconds(totals.decodeSeconds)} per token (${totals.bound}-bound) on ${hw?.name ?? totals.hardware}\n\n`);
    tip.appendMarkdown('Roofline estimate. Click to choose the hardware.');
    this.item.tooltip = tip;
    this.item.show();
  }

  private hide(): void {
    this.current = undefined;
    this.item.hide();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subs.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
