// Real VS Code workbench for end-to-end tests: code-server (VS Code server + browser workbench, real
// Node extension host) driven by playwright-core and Debian chromium. Install first: bash test/e2e/setup.sh
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { CODE_SERVER, DEFAULT_SETTINGS, E2E, NODE24, freePort, installExtension } from '../../extension/dev/codeServer';

export { CODE_SERVER, DEFAULT_SETTINGS, E2E, NODE24, ROOT, freePort, installExtension } from '../../extension/dev/codeServer';

const HERE = typeof __dirname === 'string' ? __dirname : path.join(process.cwd(), 'test', 'e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(HERE, 'shots');
// Temp dirs: project-local when the path is short (unix socket paths inside must stay < 108 bytes).
export const TMP = path.join(E2E, 't').length <= 48 ? path.join(E2E, 't') : path.join(os.tmpdir(), 'archlens-e2e');

export interface WorkbenchOptions {
  /** A built extension folder (package.json + code); installed into code-server's --extensions-dir. */
  extensionDir?: string;
  workspaceDir: string;
  settings?: Record<string, unknown>;
  /** Keep the temp dir (logs, profile) after stop(). Also kept when ARCHLENS_E2E_KEEP=1. */
  keep?: boolean;
  /** Milliseconds to wait for the explorer to show the workspace. */
  timeout?: number;
}

export interface Workbench {
  url: string;
  page: Page;
  browser: Browser;
  /** Short project-local temp dir: user data, extensions, logs. */
  dir: string;
  /** code-server output plus extension host logs (remoteexthost.log, extensions' output channels). */
  logs(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => { for (const p of live) killGroup(p, 'SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { for (const p of live) killGroup(p, 'SIGKILL'); process.exit(130); });
}

function killGroup(p: ChildProcess, sig: NodeJS.Signals): void {
  if (p.pid === undefined) return;
  try { process.kill(-p.pid, sig); } catch { /* already gone */ }
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve((res.statusCode ?? 500) < 400); });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => { req.destroy(); resolve(false); });
  });
}

export async function startWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  for (const f of [NODE24, CODE_SERVER, CHROMIUM]) {
    if (!fs.existsSync(f)) throw new Error(`missing ${f}: run bash test/e2e/setup.sh`);
  }
  const t0 = Date.now();
  fs.mkdirSync(TMP, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMP, 'w'));
  const ud = path.join(dir, 'ud');
  const exts = path.join(dir, 'ex');
  const tmp = path.join(dir, 'tmp');
  for (const d of [path.join(ud, 'User'), exts, tmp, path.join(dir, 'xdg')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2));
  if (opts.extensionDir) installExtension(opts.extensionDir, exts);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.writeFileSync(path.join(dir, 'cfg.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(dir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const server = spawn(NODE24, [CODE_SERVER, '--config', path.join(dir, 'cfg.yaml'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', ud, '--extensions-dir', exts], {
    detached: true, // own process group (setsid): stop() kills the extension host and watchers too
    stdio: ['ignore', out, out],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg'), XDG_DATA_HOME: path.join(dir, 'xdg'),
      TMPDIR: tmp, HOME: process.env.HOME ?? dir, NODE_OPTIONS: '' },
  });
  fs.closeSync(out);
  live.add(server);
  let browser: Browser | undefined;
  const logs = () => readLogs(dir);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await browser?.close().catch(() => undefined);
    killGroup(server, 'SIGTERM');
    for (let i = 0; i < 30 && server.exitCode === null && server.signalCode === null; i++) await sleep(100);
    killGroup(server, 'SIGKILL');
    live.delete(server);
    if (!opts.keep && process.env.ARCHLENS_E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 30_000;
    while (!(await httpOk(`${url}/healthz`))) {
      if (server.exitCode !== null) throw new Error(`code-server exited ${server.exitCode}`);
      if (Date.now() > deadline) throw new Error('code-server did not listen within 30 s');
      await sleep(100);
    }
    const tListen = Date.now();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg'), XDG_CACHE_HOME: path.join(dir, 'xdg') },
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}/?folder=${encodeURIComponent(path.resolve(opts.workspaceDir))}`);
    await page.locator('.explorer-folders-view .monaco-list-row').first()
      .waitFor({ timeout: opts.timeout ?? 60_000 });
    if (process.env.ARCHLENS_E2E_VERBOSE) {
      console.log(`# workbench: listening ${tListen - t0} ms, explorer ready ${Date.now() - t0} ms`);
    }
    return { url, page, browser, dir, logs, stop };
  } catch (e) {
    const tail = logs().slice(-3000);
    await stop();
    throw new Error(`${(e as Error).message}\n--- code-server log tail ---\n${tail}`);
  }
}

function readLogs(dir: string): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^(server|remoteagent|remoteexthost)\.log$/.test(e.name) ||
        (/\.log$/.test(e.name) && /[/\\]exthost\d+[/\\]/.test(p) && !/[/\\]vscode\.|Telemetry/.test(p))) files.push(p);
    }
  };
  try { walk(dir); } catch { /* removed */ }
  return files.map((f) => `=== ${path.relative(dir, f)}\n${fs.readFileSync(f, 'utf8')}`).join('\n');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `get` until `ok` holds (a failed or undefined read counts as not yet), or throws naming `what`. */
export async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeout = 60_000, pollMs = 250): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await get().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await sleep(pollMs);
  }
}

async function quickPick(page: Page, keys: string, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press(keys);
    try { await input.waitFor({ state: 'visible', timeout: 3000 }); break; } catch (e) {
      if (attempt >= 2) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await input.fill(text);
}

/** Opens a workspace file by name through Quick Open (Ctrl+P) and waits for its editor. */
export async function openFile(page: Page, name: string): Promise<void> {
  await quickPick(page, 'Control+P', name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(name) }).first();
  await row.waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: path.basename(name) }).waitFor({ timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** Page coordinates of the centre of the first visible occurrence of `word` in the active editor. */
async function wordPoint(page: Page, word: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((w) => {
    const lines = document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line');
    for (const line of Array.from(lines)) {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = (n.textContent ?? '').replace(/\u00a0/g, ' ');
        const i = t.indexOf(w);
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + w.length);
        const b = r.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      }
    }
    return null;
  }, word);
}

/** Hovers `word` in the active editor and returns the hover card text (re-hovers until `expect` shows). */
export async function hoverWord(page: Page, word: string, opts: { expect?: string | RegExp; timeout?: number } = {}): Promise<string> {
  const deadline = Date.now() + (opts.timeout ?? 20_000);
  const hover = page.locator('.monaco-editor .monaco-hover').filter({ visible: true });
  let last = '';
  while (Date.now() < deadline) {
    const p = await wordPoint(page, word);
    if (!p) throw new Error(`"${word}" is not visible in the active editor`);
    await page.mouse.move(5, 5);
    await page.mouse.move(p.x, p.y, { steps: 4 });
    try {
      await hover.first().waitFor({ timeout: 2500 });
      await sleep(300); // let async providers fill in
      last = (await hover.allInnerTexts()).join('\n').trim();
      const ok = opts.expect === undefined ? last.length > 0 && !/^Loading/.test(last)
        : typeof opts.expect === 'string' ? last.includes(opts.expect) : opts.expect.test(last);
      if (ok) return last;
    } catch { /* no hover yet (extension host still starting): retry */ }
    await sleep(500);
  }
  throw new Error(`no hover for "${word}" matching ${String(opts.expect ?? 'non-empty')}; last: ${JSON.stringify(last)}`);
}

/** Runs a command by its palette title (e.g. "Archlens: Show Report"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await quickPick(page, 'Control+Shift+P', `>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').first();
  await row.filter({ hasText: title }).waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

/** Opens the Problems view and returns its text (waits `settleMs` for diagnostics first). */
export async function problems(page: Page, settleMs = 500): Promise<string> {
  await sleep(settleMs);
  await runCommand(page, 'View: Focus Problems');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ timeout: 10_000 });
  await sleep(200);
  return (await panel.innerText()).trim();
}

/** The content frame of the newest webview (panel or view); its creation is async, so poll inside it. */
export function webview(page: Page): FrameLocator {
  return page.locator('iframe.webview').last().contentFrame().locator('#active-frame').contentFrame();
}

/** Visible notification toasts' text. */
export async function notifications(page: Page): Promise<string> {
  return (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).join('\n');
}

/** Saves a PNG to test/e2e/shots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}
