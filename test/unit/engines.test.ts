/** `engines.vscode` is the oldest VS Code Archlens supports; @types/vscode must describe that same API (no newer). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const read = (p: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8')) as Record<string, unknown>;
const minor = (range: string): string => {
  const m = /^[\^~]?(\d+)\.(\d+)\.\d+$/.exec(range.trim());
  assert.ok(m, `unexpected version range ${range}`);
  return `${m[1]}.${m[2]}`;
};

test('engines.vscode and @types/vscode name the same VS Code release', () => {
  const pkg = read('package.json') as { engines: { vscode: string }; devDependencies: Record<string, string> };
  assert.match(pkg.engines.vscode, /^\^\d+\.\d+\.\d+$/, 'engines.vscode is a caret range from the oldest supported release');
  assert.match(pkg.devDependencies['@types/vscode'], /^~\d+\.\d+\.\d+$/, '@types/vscode is pinned to one minor (patches only)');
  assert.equal(minor(pkg.devDependencies['@types/vscode']), minor(pkg.engines.vscode));
  const installed = read('node_modules/@types/vscode/package.json') as { version: string };
  assert.equal(minor(installed.version), minor(pkg.engines.vscode), 'the installed @types/vscode matches too');
});
