/**
 * Messages that help a new user (issue 16): no silent success on a file without a model, no totals that quietly
 * leave out blocks, one root cause instead of a cascade, and a hint where `32K` was probably meant as 32,768.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../language-server/src/cli/main';
import { analyzeText } from '../helpers/memoryHost';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { handleCodeActions } from '../../language-server/src/server/features/codeActions';
import { binaryReading } from '../../language-server/src/semantic/unitHints';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-messages-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function report(name: string, text: string): Promise<{ code: number; out: string; err: string }> {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  let out = '', err = '';
  const code = await main(['report', file], { out: (s) => { out += s; return true; }, err: (s) => { err += s; return true; } });
  return { code, out, err };
}

const TYPO = 'model M {\n  vocab = 32000\n  dmodel = 4096\n  embedding\n  layers 2 {\n    rmsnorm\n    attention(heads: 32)\n    gated_mlp(d_ff: 11008)\n  }\n  rmsnorm\n  lm_head\n}\n';

test('an empty or model-less file says "no model in FILE" and exits 1', async () => {
  for (const [name, text] of [['empty.arch', ''], ['comment.arch', '# just a comment\n'], ['blocks.arch', 'block B {\n  rmsnorm\n}\n']]) {
    const r = await report(name, text);
    assert.equal(r.code, 1, name);
    assert.equal(r.out, '', name);
    assert.match(r.err, new RegExp(`no model in .*${name.replace('.', '\\.')}`), name);
  }
});

test('a model whose blocks all have errors prints no table of zeros', async () => {
  const r = await report('typo.arch', TYPO);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.out, /params +0 total/);
  assert.match(r.out, /^model M: no totals, no block could be analysed \(1 error above\)$/m);
});

test('totals that leave out blocks with errors say so', async () => {
  const r = await report('partial.arch', 'model P {\n  vocab = 32000\n  d_model = 4096\n  embedding\n  attention(heds: 32)\n  lm_head\n}\n');
  assert.equal(r.code, 1);
  assert.match(r.out, /params +262,144,000 total/);
  assert.match(r.out, /^incomplete +these totals leave out the blocks with errors \(2 errors in model P above\)$/m);
});

test('one typo reports its root cause once and hides the "needs d_model" errors it explains', () => {
  const errors = analyzeText(TYPO).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.code), ['unknown-setting']);
  assert.match(errors[0].message, /did you mean 'd_model'\?\); 6 blocks needing 'd_model' not checked until it is set$/);
  // Only the model holding the typo: another model's missing d_model is still reported.
  const other = analyzeText(`${TYPO}model N {\n  vocab = 10\n  rmsnorm\n}\n`).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(other.map((d) => d.code), ['unknown-setting', 'missing-dim']);
  // A typo that suggests nothing hides nothing.
  const unrelated = analyzeText('model Q {\n  vocab = 10\n  zzzzzz = 4\n  rmsnorm\n}\n').diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(unrelated.map((d) => d.code), ['unknown-setting', 'missing-dim']);
});

test('context = 32K gets a hint and a quick fix to 32Ki = 32,768 where a power of two is likely', async () => {
  const text = 'model C {\n  vocab = 1000\n  d_model = 64\n  context = 32K\n  rmsnorm\n}\n';
  const hints = analyzeText(text).diagnostics.filter((d) => d.code === 'si-context');
  assert.equal(hints.length, 1);
  assert.equal(hints[0].severity, 'info');
  assert.equal(text.slice(hints[0].start, hints[0].end), '32K');
  assert.match(hints[0].message, /context = 32K is 32,000 tokens .*32Ki = 32,768\?/);
  const fixes = handleCodeActions(new DocState('file:///mem/main.arch', '/mem/main.arch', text, analyzeText(text), DEFAULT_SETTINGS), 0, text.length);
  const fix = fixes.find((f) => f.diagnostic.code === 'si-context');
  assert.equal(fix?.title, 'Change to 32Ki (= 32,768)');
  assert.equal(fix?.edit.newText, '32Ki');
  const cli = await report('ctx.arch', text);
  assert.equal(cli.code, 0, 'a note is not an error');
  assert.match(cli.err, /ctx\.arch:4:13: note: context = 32K is 32,000 tokens/);
  for (const raw of ['100K', '32Ki', '32_768', '1000']) {
    const t = text.replace('32K', raw);
    assert.deepEqual(analyzeText(t).diagnostics.filter((d) => d.code === 'si-context'), [], raw);
  }
  assert.deepEqual(binaryReading('1M'), { text: '1Mi', value: 1_048_576 });
  assert.deepEqual(binaryReading('128K'), { text: '128Ki', value: 131_072 });
});
