/**
 * Hostile imports and CLI input (issue 11, High 3 and items 13/17): only regular files up to 4 MiB are read;
 * a FIFO, a folder or a huge file gets a located diagnostic at the import (never a blocked read or an abort);
 * the CLI prints located errors for deep input, never "Maximum call stack size exceeded".
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { MAX_SOURCE_BYTES, nodeHost } from '../../language-server/src/host/nodeHost';
import { main } from '../../language-server/src/cli/main';
import { lex } from '../../language-server/src/syntax/lexer';
import { FAMILIES } from '../fuzz/hostileFamilies';

let tmp = '';
const MODEL = 'model M {\n  vocab = 1000\n  d_model = 64\n}\n';

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-hostile-')));
  fs.mkdirSync(path.join(tmp, 'folder.arch'));
  fs.writeFileSync(path.join(tmp, 'big.arch'), 'A'.repeat(MAX_SOURCE_BYTES + 1));
  if (process.platform !== 'win32') execFileSync('mkfifo', [path.join(tmp, 'pipe.arch')]);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function importDiagnostics(spec: string): string[] {
  const main = path.join(tmp, 'main.arch');
  const text = `import "${spec}"\n${MODEL}`;
  fs.writeFileSync(main, text);
  const a = analyze(main, nodeHost({ root: tmp }));
  return a.diagnostics.filter((d) => d.file === main).map((d) => `${d.start}-${d.end} ${d.code} ${d.message}`);
}

test('importing a named pipe is refused at once, with a located diagnostic', { skip: process.platform === 'win32' }, () => {
  const t0 = Date.now();
  const d = importDiagnostics('pipe.arch');
  assert.ok(Date.now() - t0 < 2000, 'the read did not block');
  assert.deepEqual(d, [`7-18 import-refused cannot import 'pipe.arch': 'pipe.arch' is not a regular file (a named pipe); only .arch text files are read`]);
});

test('importing a folder is refused with a diagnostic naming it', () => {
  assert.deepEqual(importDiagnostics('folder.arch'), [`7-20 import-refused cannot import 'folder.arch': 'folder.arch' is not a regular file (a folder); only .arch text files are read`]);
});

test('importing a file over 4 MiB is refused before it is read', () => {
  assert.deepEqual(importDiagnostics('big.arch'), [`7-17 import-refused cannot import 'big.arch': 'big.arch' is 4.0 MiB; source files are limited to 4.0 MiB`]);
});

test('the CLI refuses an oversized entry file with a located message and exit 1', async () => {
  let err = '';
  const code = await main(['report', path.join(tmp, 'big.arch')], { out: () => true, err: (s) => { err += s; return true; } });
  assert.equal(code, 1);
  assert.match(err, /big\.arch:1:1: error: cannot read '.*big\.arch': 'big\.arch' is 4\.0 MiB; source files are limited to 4\.0 MiB/);
});

test('the lexer handles a 20 MB run of stray characters without spreading it, and clips the message', () => {
  const text = '§'.repeat(20_000_000);
  const { tokens } = lex(text);
  assert.equal(tokens.length, 2);
  assert.equal(tokens[0].error, `unexpected characters '${'§'.repeat(20)}…'`);
});

test('long tokens are clipped in parser messages', () => {
  const name = 'x'.repeat(1_000_000);
  const main = path.join(tmp, 'long.arch');
  fs.writeFileSync(main, `model M {\n  vocab = 10 ${name}\n}\n`);
  const a = analyze(main, nodeHost({ root: tmp }));
  assert.ok(a.diagnostics.length > 0);
  for (const d of a.diagnostics) assert.ok(d.message.length < 200, d.message.slice(0, 300));
});

test('the CLI prints located errors for every deep family, never a stack overflow', async () => {
  for (const f of FAMILIES) {
    const file = path.join(tmp, 'deep.arch');
    fs.writeFileSync(file, f.make(f.name.includes('block') ? 40 : f.name.includes('huge') ? 600 : 3000));
    let err = '';
    const code = await main(['report', file, '--json'], { out: () => true, err: (s) => { err += s; return true; } });
    assert.doesNotMatch(err, /call stack|RangeError|invalid array length/i, f.name);
    if (code !== 0) assert.match(err, /deep\.arch:\d+:\d+: error: /, `${f.name}: ${err.slice(0, 300)}`);
  }
});

test('the CLI formats 20,000 diagnostics in linear time (one line index per file)', () => {
  const file = path.join(tmp, 'many.arch');
  fs.writeFileSync(file, `${MODEL}${'model\n'.repeat(20_000)}`);
  let lines = 0;
  const t0 = Date.now();
  main(['report', file], { out: () => true, err: (s) => { lines += s.split('\n').length - 1; return true; } });
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  assert.ok(lines >= 19_000, `${lines} lines`);
});
