/**
 * The client never parses `.arch`: no module under extension/ imports the syntax, semantic, kinds or compile code;
 * the inference process reaches it only through the core loading pipeline (language-server/src/load/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const ANALYSER = /from '(?:\.\.\/)+language-server\/src\/(syntax|semantic|kinds|compile|import|host)\//;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

test('extension/ imports no analyser code (only protocol, load/ in the inference process, and views)', () => {
  const offenders = tsFiles(path.join(ROOT, 'extension')).flatMap((f) =>
    fs.readFileSync(f, 'utf8').split('\n').filter((l) => ANALYSER.test(l)).map((l) => `${path.relative(ROOT, f)}: ${l.trim()}`));
  assert.deepEqual(offenders, []);
});

test('the bundled client (dist/extension.js) holds no parser or elaborator', { skip: !fs.existsSync(path.join(ROOT, 'dist', 'extension.js')) && 'build first' }, () => {
  const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'extension.js'), 'utf8');
  for (const name of ['Elaborator = class', 'function loadProgram', 'function compileModel']) assert.ok(!bundle.includes(name), name);
});
