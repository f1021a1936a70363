/**
 * Headless webview harness: serves dist/webview.{js,css} and a page built by extension/panels/html.ts
 * `renderHtml` (same CSP, fresh nonce) from 127.0.0.1, stubs acquireVsCodeApi, applies VS Code theme variables
 * through CSSOM (as VS Code does) and records CSP violations. Debian chromium via playwright-core.
 */
import * as http from 'http';
import * as fs from 'fs';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newNonce, renderHtml } from '../../extension/panels/html';
import type { PanelKind } from '../../language-server/src/protocol/webview';

export const ROOT = path.join(__dirname, '..', '..');
export const SHOTS = path.join(ROOT, 'test', 'e2e', 'shots');

export type ThemeKind = 'dark' | 'light' | 'high-contrast';

const THEMES: Record<ThemeKind, Record<string, string>> = {
  dark: {
    'editor-foreground': '#cccccc', 'editor-background': '#1e1e1e', 'descriptionForeground': '#9d9d9d', 'panel-border': '#80808059',
    'button-background': '#0e639c', 'button-foreground': '#ffffff', 'badge-background': '#4d4d4d', 'badge-foreground': '#ffffff',
    'input-background': '#3c3c3c', 'input-foreground': '#cccccc', 'dropdown-background': '#3c3c3c', 'dropdown-foreground': '#f0f0f0',
    'editorWidget-background': '#252526', 'editorWidget-border': '#454545', 'editorHoverWidget-background': '#252526',
    'editorHoverWidget-foreground': '#cccccc', 'editorHoverWidget-border': '#454545', 'editorWarning-foreground': '#cca700',
    'errorForeground': '#f48771', 'focusBorder': '#007fd4', 'progressBar-background': '#0e70c0',
    'charts-blue': '#3794ff', 'charts-red': '#f14c4c', 'charts-green': '#89d185', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-yellow': '#cca700',
    'font-family': 'sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
  },
  light: {
    'editor-foreground': '#3b3b3b', 'editor-background': '#ffffff', 'descriptionForeground': '#616161', 'panel-border': '#80808059',
    'button-background': '#005fb8', 'button-foreground': '#ffffff', 'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b',
    'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b',
    'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8', 'editorHoverWidget-background': '#f8f8f8',
    'editorHoverWidget-foreground': '#3b3b3b', 'editorHoverWidget-border': '#c8c8c8', 'editorWarning-foreground': '#bf8803',
    'errorForeground': '#a1260d', 'focusBorder': '#005fb8', 'progressBar-background': '#005fb8',
    'charts-blue': '#1a85ff', 'charts-red': '#e51400', 'charts-green': '#388a34', 'charts-orange': '#d18616', 'charts-purple': '#652d90', 'charts-yellow': '#bf8803',
    'font-family': 'sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
  },
  'high-contrast': {
    'editor-foreground': '#ffffff', 'editor-background': '#000000', 'descriptionForeground': '#ffffff', 'panel-border': '#6fc3df',
    'contrastBorder': '#6fc3df', 'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
    'badge-background': '#000000', 'badge-foreground': '#ffffff', 'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df',
    'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'editorWidget-background': '#0c141f', 'editorWidget-border': '#6fc3df',
    'editorHoverWidget-background': '#0c141f', 'editorHoverWidget-foreground': '#ffffff', 'editorHoverWidget-border': '#6fc3df',
    'editorWarning-foreground': '#b89500', 'errorForeground': '#f48771', 'focusBorder': '#f38518', 'progressBar-background': '#6fc3df',
    'charts-blue': '#3794ff', 'charts-red': '#f14c4c', 'charts-green': '#89d185', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-yellow': '#cca700',
    'font-family': 'sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
  },
};

export interface Harness { origin: string; browser: Browser; close(): Promise<void> }

export async function startHarness(): Promise<Harness> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/(dashboard|gates)$/.exec(url.pathname);
    if (m) {
      const origin = `http://${req.headers.host}`;
      const html = renderHtml({ cspSource: origin, nonce: newNonce(), scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css`, panel: m[1] as PanelKind, title: m[1] });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
    const file = /^\/dist\/(webview\.(js|css))$/.exec(url.pathname);
    if (!file) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': file[2] === 'js' ? 'text/javascript' : 'text/css' }).end(fs.readFileSync(path.join(ROOT, 'dist', file[1])));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { origin, browser, close: async () => { await browser.close(); server.close(); } };
}

/**
 * Runs in the page before any of its scripts (CDP init scripts are not subject to the page's CSP). A plain
 * string, not a function: tsx would add `__name(…)` helpers that do not exist in the page.
 */
const INIT_SCRIPT = `(function (a) {
  var w = window;
  w.__sent = []; w.__csp = []; w.__state = a.state;
  w.acquireVsCodeApi = function () {
    return {
      postMessage: function (m) { w.__sent.push(JSON.parse(JSON.stringify(m))); },
      getState: function () { return w.__state; },
      setState: function (s) { w.__state = s; },
    };
  };
  document.addEventListener('securitypolicyviolation', function (e) { w.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });
  function apply() {
    if (!document.documentElement || !document.body) return false;
    for (var k in a.vars) document.documentElement.style.setProperty('--vscode-' + k, a.vars[k]);
    document.body.classList.add(a.bodyClass);
    return true;
  }
  if (!apply()) new MutationObserver(function (_, o) { if (apply()) o.disconnect(); }).observe(document, { childList: true, subtree: true });
})`;

export async function openPanel(h: Harness, panel: PanelKind, theme: ThemeKind = 'dark', state?: unknown): Promise<{ page: Page; consoleErrors: string[] }> {
  const page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.addInitScript({ content: `${INIT_SCRIPT}(${JSON.stringify({ vars: THEMES[theme], bodyClass: `vscode-${theme}`, state: state ?? null })});` });
  await page.goto(`${h.origin}/${panel}`);
  await page.waitForFunction(() => (window as unknown as { __sent: { type: string }[] }).__sent.some((m) => m.type === 'ready'));
  return { page, consoleErrors };
}

export async function postToWebview(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function sent(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __sent: { type: string }[] }).__sent);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
