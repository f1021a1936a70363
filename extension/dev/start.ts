/**
 * `npm start`: opens a scratch copy of the bundled examples in a real editor with Archlens loaded.
 *
 * The editor never sees the checkout's `examples/`: they are copied into `.start/examples/` (git-ignored, fresh
 * each start) with their own `.vscode/settings.json`, so auto-save, "Select Hardware" and experiments stay there.
 * - With a `code` command on PATH: `code --extensionDevelopmentPath=<repo> .start/examples`.
 * - Otherwise (or with ARCHLENS_START_CODE_SERVER=1): code-server (installed by test/e2e/setup.sh) on
 *   127.0.0.1 with the extension installed in a fresh profile under `.start/profile/`; prints the address and
 *   runs until Ctrl+C (SIGINT/SIGTERM), which stops the server's whole process group, waits for it to exit and
 *   deletes `.start/`. Nothing is written to the temp folder or the home folder.
 * Non-interactive use (tests): the line `ARCHLENS_URL <url>` on stdout carries the address to open.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CODE_SERVER, DEFAULT_SETTINGS, NODE24, ROOT, freePort, installExtension } from './codeServer';

/** Everything `npm start` writes lives here (git-ignored). */
export const START_DIR = path.join(ROOT, '.start');
const SCRATCH = path.join(START_DIR, 'examples');
const PROFILE = path.join(START_DIR, 'profile');

/** The workspace's own settings: "Select Hardware" and friends write here, never into examples/. */
const WORKSPACE_SETTINGS = { 'files.autoSave': 'afterDelay', 'archlens.hardware': 'h100' };

function hasCode(): boolean {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A fresh copy of examples/ with its own workspace settings. */
export function makeScratch(): string {
  fs.rmSync(SCRATCH, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'examples'), SCRATCH, { recursive: true });
  fs.mkdirSync(path.join(SCRATCH, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(SCRATCH, '.vscode', 'settings.json'), `${JSON.stringify(WORKSPACE_SETTINGS, null, 2)}\n`);
  return SCRATCH;
}

function ensureCodeServer(): void {
  if (fs.existsSync(CODE_SERVER) && fs.existsSync(NODE24)) return;
  console.log('installing the local VS Code server (code-server) once…');
  execFileSync('bash', [path.join(ROOT, 'test', 'e2e', 'setup.sh')], { stdio: 'inherit' });
}

/** The profile folder: user data, extensions, XDG and TMPDIR for code-server, its config file. */
function makeProfile(port: number): Record<string, string> {
  const p = { ud: path.join(PROFILE, 'ud'), ex: path.join(PROFILE, 'ex'), xdg: path.join(PROFILE, 'xdg'), tmp: path.join(PROFILE, 'tmp'), cfg: path.join(PROFILE, 'cfg.yaml') };
  fs.rmSync(PROFILE, { recursive: true, force: true });
  for (const d of [path.join(p.ud, 'User'), p.xdg, p.tmp]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(p.ud, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, 'editor.hover.delay': 300 }, null, 2));
  installExtension(ROOT, p.ex);
  fs.writeFileSync(p.cfg, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  return p;
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try { process.kill(-child.pid, sig); } catch { /* already gone */ }
}

/** Stops the server's process group, waits for it (at most 5 s), then deletes `.start/`. */
async function shutdown(server: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) resolve();
    else server.once('exit', () => resolve());
  });
  killGroup(server, 'SIGTERM');
  const timer = setTimeout(() => killGroup(server, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  killGroup(server, 'SIGKILL'); // the extension host and watchers of the group, should any linger
  fs.rmSync(START_DIR, { recursive: true, force: true });
}

async function codeServer(): Promise<void> {
  ensureCodeServer();
  const workspace = makeScratch();
  const port = Number(process.env.PORT) || await freePort();
  const p = makeProfile(port);
  const server = spawn(NODE24, [CODE_SERVER, '--config', p.cfg, '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', p.ud, '--extensions-dir', p.ex], {
    detached: true, // its own process group: Ctrl+C reaches us, and we stop the whole group
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, XDG_CONFIG_HOME: p.xdg, XDG_DATA_HOME: p.xdg, TMPDIR: p.tmp, NODE_OPTIONS: '' },
  });
  let stopping = false;
  const stop = (code: number) => () => {
    if (stopping) return;
    stopping = true;
    void shutdown(server).then(() => process.exit(code));
  };
  process.on('SIGINT', stop(0));
  process.on('SIGTERM', stop(0));
  server.on('exit', (code) => { if (!stopping) { console.log(`code-server exited (${code})`); stop(code ?? 1)(); } });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nArchlens is running in VS Code (code-server) on a scratch copy of the examples (${path.relative(ROOT, workspace)},`
    + ` deleted when you stop). Open:\n\n  ${url}\n\nCtrl+C stops it.`);
  console.log(`ARCHLENS_URL ${url}`);
}

if (require.main === module) {
  if (process.env.ARCHLENS_START_CODE_SERVER !== '1' && hasCode()) {
    const r = spawnSync('code', [`--extensionDevelopmentPath=${ROOT}`, makeScratch()], { stdio: 'inherit' });
    process.exit(r.status ?? 0);
  } else {
    void codeServer();
  }
}
