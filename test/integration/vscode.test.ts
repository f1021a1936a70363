/**
 * @vscode/test-electron integration suite. It needs a VS Code executable (Microsoft's builds cannot be
 * downloaded here): set VSCODE_EXECUTABLE_PATH to one. test/integration/code-server-shim.sh is such an
 * executable built from code-server (a real VS Code) + Chromium, which `npm test` uses; without either the
 * suite reports itself skipped with the reason.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..');
const exe = process.env.VSCODE_EXECUTABLE_PATH;
const reason = exe ? '' : 'VSCODE_EXECUTABLE_PATH is not set (no VS Code executable on this machine)';

test('VS Code integration suite (hover, code lens, diagnostics via the editor API)', { skip: reason || false, timeout: 180_000 }, async () => {
  assert.ok(exe && fs.existsSync(exe), `VSCODE_EXECUTABLE_PATH=${exe} does not exist`);
  const out = path.join(ROOT, '.e2e', 'integration');
  fs.mkdirSync(out, { recursive: true });
  await build({ entryPoints: [path.join(__dirname, 'suite.ts')], outfile: path.join(out, 'suite.js'), bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'warning' });
  const ws = fs.mkdtempSync(path.join(out, 'ws-'));
  fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true });
  const code = await runTests({
    vscodeExecutablePath: exe,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(out, 'suite.js'),
    launchArgs: [ws],
  });
  assert.equal(code, 0);
});
