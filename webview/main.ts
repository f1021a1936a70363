/**
 * Webview entry (bundled by esbuild to dist/webview.js + dist/webview.css): picks the view from
 * <body data-panel>, restores the last state (vscode.getState), validates every host message, then says ready.
 */
import './style.css';
import { isHostMessage, isWebviewState, type PanelKind, type WebviewMessage, type WebviewState } from '../language-server/src/protocol/webview';
import { DashboardView } from './dashboard';
import { GatesView } from './gates';
import { chartSummary } from './charts';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function start(): void {
  const api = acquireVsCodeApi();
  const panel: PanelKind = document.body.dataset.panel === 'gates' ? 'gates' : 'dashboard';
  const root = document.getElementById('app') ?? document.body;
  const raw = api.getState();
  const state = isWebviewState(raw) && raw.panel === panel ? raw : undefined;
  const post = (m: WebviewMessage): void => api.postMessage(m);
  const save = (s: WebviewState): void => api.setState(s);
  const view = panel === 'dashboard' ? new DashboardView(root, post, save, state) : new GatesView(root, post, save, state);
  window.addEventListener('message', (e: MessageEvent) => {
    if (!isHostMessage(e.data)) { console.warn('archlens: ignored a malformed message', e.data && (e.data as { type?: unknown }).type); return; }
    view.handle(e.data);
  });
  // Canvas colours are read from CSS variables: re-render when VS Code switches theme (body class changes).
  new MutationObserver(() => view.render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  (window as unknown as { archlens: unknown }).archlens = { charts: chartSummary };
  post({ type: 'ready', panel });
}

start();
