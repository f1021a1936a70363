/**
 * `npm start`: opens the bundled examples in a real editor with Archlens loaded.
 * - With a `code` command on PATH: `code --extensionDevelopmentPath=<repo> examples/`.
 * - Otherwise: code-server (installed by test/e2e/setup.sh) on 127.0.0.1 with the extension installed
 *   in a fresh profile; prints the address to open and runs until Ctrl+C.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CODE_SERVER, DEFAULT_SETTINGS, NODE24, ROOT, freePort, installExtension } from './codeServer';

const examples = path.join(ROOT, 'examples');

function hasCode(): boolean {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function codeServer(): Promise<void> {
  if (!fs.existsSync(CODE_SERVER) || !fs.existsSync(NODE24)) {
    console.log('installing the local VS Code server (code-server) once…');
    execFileSync('bash', [path.join(ROOT, 'test', 'e2e', 'setup.sh')], { stdio: 'inherit' });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-start-'));
  const ud = path.join(dir, 'ud'), exts = path.join(dir, 'ex');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, 'editor.hover.delay': 300 }, null, 2));
  installExtension(ROOT, exts);
  const port = Number(process.env.PORT) || await freePort();
  fs.writeFileSync(path.join(dir, 'cfg.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const server = spawn(NODE24, [CODE_SERVER, '--config', path.join(dir, 'cfg.yaml'), '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', ud, '--extensions-dir', exts], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg'), XDG_DATA_HOME: path.join(dir, 'xdg'), NODE_OPTIONS: '' },
  });
  const stop = (): void => { server.kill('SIGTERM'); fs.rmSync(dir, { recursive: true, force: true }); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`\nArchlens is running in VS Code (code-server). Open:\n\n  http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples)}\n\nCtrl+C stops it.`);
  server.on('exit', (code) => { console.log(`code-server exited (${code})`); process.exit(code ?? 1); });
}

if (hasCode()) {
  const r = spawnSync('code', [`--extensionDevelopmentPath=${ROOT}`, examples], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
} else {
  void codeServer();
}
