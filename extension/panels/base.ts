/**
 * One webview panel's plumbing: CSP'd HTML, a ready handshake (messages wait until the webview says ready and
 * the latest of each type is re-sent whenever it reloads, since retainContextWhenHidden is off), and runtime
 * validation of everything the webview sends.
 */
import * as vscode from 'vscode';
import { isWebviewMessage, type HostMessage, type PanelKind, type WebviewMessage } from '../../language-server/src/protocol/webview';
import { panelHtml, webviewOptions } from './html';

export function createPanel(viewType: string, title: string): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
    enableScripts: true,
    retainContextWhenHidden: false,
    enableFindWidget: true,
  });
}

export class WebviewHost implements vscode.Disposable {
  private ready = false;
  /** The latest message of each type, re-sent in order after every (re)load of the webview. */
  private readonly latest = new Map<HostMessage['type'], HostMessage>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, kind: PanelKind, onMessage: (m: WebviewMessage) => void) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = panelHtml(panel.webview, extensionUri, kind, panel.title);
    this.subs.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isWebviewMessage(m)) return; // never act on a malformed message
        if (m.type === 'ready') { this.ready = true; this.flush(); }
        onMessage(m);
      }),
      panel.onDidChangeViewState((e) => { if (!e.webviewPanel.visible) this.ready = false; }),
    );
  }

  post(m: HostMessage): void {
    this.latest.delete(m.type);
    this.latest.set(m.type, m);
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  /** Forgets a stored message type (e.g. a stale error once data arrives). */
  forget(type: HostMessage['type']): void {
    this.latest.delete(type);
  }

  private flush(): void {
    for (const m of this.latest.values()) void this.panel.webview.postMessage(m);
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

/** Calls `fn` once `ms` after the last `schedule()`. */
export class Debouncer implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(private readonly ms: number, private readonly fn: () => void) {}
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; this.fn(); }, this.ms);
  }
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
