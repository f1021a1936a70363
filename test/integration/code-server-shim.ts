/**
 * A "VS Code executable" for @vscode/test-electron made of code-server (a full VS Code with a Node
 * extension host) and Debian Chromium: it accepts the arguments test-electron passes
 * (workspace, --extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=, --extensions-dir=),
 * opens the workbench with the development extension and the test runner, and exits with the
 * tests' exit code (reported by the workbench's smoke-test driver through codeAutomationExit).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CODE_SERVER, NODE24, freePort, sleep } from '../e2e/workbench';

const args = process.argv.slice(2);
const opt = (k: string): string | undefined => args.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const remote = (p: string, port: number): string => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;

async function main(): Promise<number> {
  if (args.includes('--version')) { console.log('1.139.1\ncode-server shim\nx64'); return 0; }
  const dev = opt('extensionDevelopmentPath'), tests = opt('extensionTestsPath');
  const ws = args.find((a) => !a.startsWith('-'));
  if (!dev || !tests) { console.error('shim: --extensionDevelopmentPath and --extensionTestsPath are required'); return 2; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alshim-'));
  const port = await freePort();
  const server = spawn(NODE24, [CODE_SERVER, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--vscode-option', 'enable-smoke-test-driver',
    '--user-data-dir', opt('user-data-dir') ?? path.join(dir, 'ud'), '--extensions-dir', opt('extensions-dir') ?? path.join(dir, 'ex')], {
    detached: true, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg'), XDG_DATA_HOME: path.join(dir, 'xdg'), TMPDIR: dir, NODE_OPTIONS: '' },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    for (let i = 0; i < 300; i++) { if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break; await sleep(100); }
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    const log: string[] = [];
    await page.exposeFunction('codeAutomationLog', (type: string, a: unknown[]) => log.push(`[ext-host ${type}] ${(a ?? []).join(' ')}`));
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(dev, port)], ['extensionTestsPath', remote(tests, port)]]);
    await page.goto(`http://127.0.0.1:${port}/?${ws ? `folder=${encodeURIComponent(path.resolve(ws))}&` : ''}payload=${encodeURIComponent(payload)}`);
    const code = await Promise.race([exit, sleep(150_000).then(() => { console.error('shim: the tests did not finish in 150 s'); return 1; })]);
    // The extension host is chatty; its log is only worth reading when the tests failed.
    if (code !== 0) console.error(log.filter((l) => !/AgentHost|ChatModelSelection/.test(l)).join('\n'));
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    try { process.kill(-server.pid!, 'SIGKILL'); } catch { /* gone */ }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
