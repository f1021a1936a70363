/**
 * Imports cannot escape the workspace or read arbitrary files (real temp folders, real symbolic links): `../`
 * escapes and links pointing outside are refused with a clear diagnostic, link loops do not hang, `std/` is
 * always allowed but cannot be used to leave the standard library.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';

let tmp = '';
let ws = '';
let secret = '';
const MODEL = 'model M {\n  vocab = 1000\n  d_model = 64\n  B()\n}\n';
const BLOCK = 'block B() {\n  gated_mlp(d_ff: 256)\n}\n';

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-sec-')));
  ws = path.join(tmp, 'workspace');
  secret = path.join(tmp, 'outside');
  fs.mkdirSync(path.join(ws, 'sub'), { recursive: true });
  fs.mkdirSync(secret);
  fs.writeFileSync(path.join(secret, 'secret.arch'), BLOCK);
  fs.writeFileSync(path.join(ws, 'sub', 'inside.arch'), BLOCK);
  fs.symlinkSync(path.join(secret, 'secret.arch'), path.join(ws, 'link-out.arch'));
  fs.symlinkSync(secret, path.join(ws, 'dir-out'));
  fs.symlinkSync(path.join(ws, 'sub', 'inside.arch'), path.join(ws, 'link-in.arch'));
  fs.symlinkSync(path.join(ws, 'loop-b.arch'), path.join(ws, 'loop-a.arch'));
  fs.symlinkSync(path.join(ws, 'loop-a.arch'), path.join(ws, 'loop-b.arch'));
  fs.symlinkSync('.', path.join(ws, 'self'));
});
after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

/** Analyses main.arch in the workspace with `imports` and returns the import diagnostics. */
function importDiagnostics(imports: string[], root: string | undefined = ws): { code: string; message: string }[] {
  const main = path.join(ws, 'main.arch');
  const text = imports.map((i) => `import "${i}"\n`).join('') + MODEL;
  const a = analyze(main, nodeHost({ root, overlay: new Map([[main, text]]) }), text);
  return a.diagnostics.filter((d) => d.code.startsWith('import')).map((d) => ({ code: d.code, message: d.message }));
}

test('imports inside the workspace (also through a link that stays inside) are allowed', () => {
  assert.deepEqual(importDiagnostics(['sub/inside.arch']), []);
  assert.deepEqual(importDiagnostics(['./sub/inside']), []);
  assert.deepEqual(importDiagnostics(['link-in.arch']), []);
});

test('../ escapes are refused with a clear diagnostic, however spelled', () => {
  for (const spec of ['../outside/secret.arch', '../outside/secret', 'sub/../../outside/secret.arch', secret + '/secret.arch', '../../../../../../../../etc/passwd']) {
    const d = importDiagnostics([spec]);
    assert.equal(d.length, 1, spec);
    if (spec.includes('passwd')) { assert.equal(d[0].code, 'import-not-found', 'a file that does not exist is not found (nothing to refuse)'); continue; }
    assert.equal(d[0].code, 'import-refused', spec);
    assert.match(d[0].message, /outside the workspace folder/);
    assert.ok(d[0].message.includes(spec), 'names the import');
  }
});

test('symbolic links pointing outside the workspace are refused, and the message says so', () => {
  for (const spec of ['link-out.arch', 'dir-out/secret.arch']) {
    const [d] = importDiagnostics([spec]);
    assert.equal(d.code, 'import-refused', spec);
    assert.match(d.message, /through a symbolic link outside the workspace folder/);
  }
});

test('a symbolic-link loop (a → b → a) is reported at once, not followed', () => {
  const t = performance.now();
  const [d] = importDiagnostics(['loop-a.arch']);
  assert.equal(d.code, 'import-refused');
  assert.match(d.message, /loop of symbolic links/);
  assert.ok(performance.now() - t < 1000);
});

test('a directory link back to itself does not make a chain of new files: the same file is a cycle', () => {
  const f = path.join(ws, 'selfimport.arch');
  fs.writeFileSync(f, `import "self/selfimport.arch"\n${MODEL}`);
  const a = analyze(f, nodeHost({ root: ws }));
  const codes = a.diagnostics.filter((d) => d.code.startsWith('import')).map((d) => d.code);
  assert.deepEqual(codes, ['import-cycle']);
});

test('std/ is always allowed (even with the workspace elsewhere) but cannot leave the standard library', () => {
  assert.deepEqual(importDiagnostics(['std/llama3.arch']), []);
  assert.deepEqual(importDiagnostics(['std/llama3']), []);
  assert.deepEqual(importDiagnostics(['std/llama3.arch'], path.join(tmp, 'elsewhere')), []);
  for (const root of [ws, undefined]) {
    assert.deepEqual(importDiagnostics(['std/../stdlib/llama3.arch'], root), [], 'a path that leaves and re-enters the stdlib stays allowed');
  }
  const stdlibEscape = path.relative(path.join(__dirname, '..', '..', 'language-server', 'stdlib'), path.join(secret, 'secret.arch'));
  const [d] = importDiagnostics([`std/${stdlibEscape}`], undefined);
  assert.equal(d.code, 'import-refused', 'even without a workspace root, std/ cannot reach other files');
  assert.match(d.message, /not a file of the standard library/);
});

test('only .arch files can be imported: arbitrary files are never read', () => {
  fs.writeFileSync(path.join(ws, 'notes.txt'), 'model Secret {}');
  const [d] = importDiagnostics(['notes.txt']);
  assert.equal(d.code, 'import-not-found', 'notes.txt is looked up as notes.txt.arch');
});

test('the language server keeps imports inside the document folder when no workspace folder is open', async () => {
  const { Workspace } = await import('../../language-server/src/server/workspace');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const fsm = await import('fs');
  const osm = await import('os');
  const pathm = await import('path');
  const dir = fsm.mkdtempSync(pathm.join(osm.tmpdir(), 'archlens-noroot-'));
  const inner = pathm.join(dir, 'proj');
  fsm.mkdirSync(inner);
  fsm.writeFileSync(pathm.join(dir, 'outside.arch'), 'block Secret {\n  rmsnorm\n}\n');
  const file = pathm.join(inner, 'main.arch');
  const text = 'import "../outside.arch"\nmodel M {\n  d_model = 8\n}\n';
  const ws = new Workspace(undefined);
  const state = ws.state(TextDocument.create(`file://${file}`, 'arch', 1, text));
  const refused = state.analysis.diagnostics.filter((d) => d.file === file && d.code.startsWith('import'));
  assert.equal(refused.length, 1, JSON.stringify(state.analysis.diagnostics));
  fsm.rmSync(dir, { recursive: true, force: true });
});
