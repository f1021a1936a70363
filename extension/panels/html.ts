/**
 * Webview HTML with a strict Content-Security-Policy: a fresh crypto-random nonce per render, the script and
 * stylesheet loaded from dist/ through asWebviewUri, no inline script or style, no unsafe-inline/unsafe-eval.
 * `renderHtml` is pure (the webview test harness builds its page with it); 'vscode' is imported for types only.
 */
import type * as vscode from 'vscode';
import { randomBytes } from 'crypto';
import type { PanelKind } from '../../language-server/src/protocol/webview';

export interface HtmlParts {
  /** webview.cspSource: the origin the webview's own resources are served from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly panel: PanelKind;
  readonly title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** 128 bits from the OS CSPRNG, base64 (as in the VS Code webview guide). */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderHtml(p: HtmlParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(p.styleUri)}">
<title>${escapeAttr(p.title)}</title>
</head>
<body data-panel="${p.panel}">
<main id="app" aria-live="polite"></main>
<script nonce="${escapeAttr(p.nonce)}" src="${escapeAttr(p.scriptUri)}"></script>
</body>
</html>`;
}

/** `base`/segment without vscode.Uri.joinPath (so this module needs 'vscode' for types only). */
function child(base: vscode.Uri, segment: string): vscode.Uri {
  return base.with({ path: `${base.path.replace(/\/$/, '')}/${segment}` });
}

/** Scripts on, and only dist/ and media/ of the extension readable by the webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [child(extensionUri, 'dist'), child(extensionUri, 'media')] };
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, panel: PanelKind, title: string): string {
  const dist = child(extensionUri, 'dist');
  return renderHtml({
    cspSource: webview.cspSource,
    nonce: newNonce(),
    scriptUri: webview.asWebviewUri(child(dist, 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(child(dist, 'webview.css')).toString(),
    panel,
    title,
  });
}
