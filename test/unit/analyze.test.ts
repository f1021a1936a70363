import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, lineCol } from '../helpers/memoryHost';
import type { Analysis } from '../../language-server/src/semantic/analyze';

/** `line:col code message` of every diagnostic in the main file. */
function diags(a: Analysis, text: string): string[] {
  return a.diagnostics.filter((d) => d.file === '/mem/main.arch').map((d) => `${lineCol(text, d.start)} ${d.code} ${d.message}`);
}

const HEADER = 'model M {\n  vocab = 1000\n  d_model = 64\n';

test('dims are inherited and overridable per block and per scope', () => {
  const text = `${HEADER}  layers 2 {\n    d_model = 32\n    rmsnorm\n    rmsnorm(d_model: 16)\n  }\n  rmsnorm\n}`;
  const a = analyzeText(text);
  assert.deepEqual(diags(a, text), []);
  assert.deepEqual(a.models[0].blocks.map((b) => [b.dims.d_model, b.count]), [[32, 2], [16, 2], [64, 1]]);
});

test('hybrid selectors: Jamba 1:7 attention:Mamba with MoE every other layer', () => {
  const text = `${HEADER}  layers 32 {\n    custom(params: 1) at every 8 from 4\n    custom(params: 10) at not every 8 from 4\n    custom(params: 100) at every 2 from 1\n    custom(params: 1000) at not every 2 from 1\n  }\n}`;
  const a = analyzeText(text);
  assert.deepEqual(diags(a, text), []);
  const b = a.models[0].blocks;
  assert.deepEqual(b.map((x) => x.count), [4, 28, 16, 16]);
  assert.deepEqual(b[0].layers?.indices, [4, 12, 20, 28]);
});

test('selectors: first-k dense, explicit indices and ranges, x N', () => {
  const text = `${HEADER}  layers 61 {\n    custom(params: 1) at first 3\n    custom(params: 2) at not first 3\n    custom(params: 3) at [1, 15]\n    custom(params: 4) x 2 at [0..9]\n  }\n}`;
  const a = analyzeText(text);
  assert.deepEqual(diags(a, text), []);
  assert.deepEqual(a.models[0].blocks.map((x) => x.count), [3, 58, 2, 20]);
});

test('block definitions: parameters, defaults, dims in expressions, nesting', () => {
  const text = `block Ffn(mult = 4) {\n  gated_mlp(d_ff: mult * d_model)\n}\nblock Layer(h) {\n  attention(heads: h)\n  Ffn()\n}\n${HEADER}  layers 3 {\n    Layer(h: 8)\n  }\n}`;
  const a = analyzeText(text);
  assert.deepEqual(diags(a, text), []);
  const [att, ffn] = a.models[0].blocks;
  assert.equal(att.args.heads, 8);
  assert.equal(ffn.args.d_ff, 256);
  assert.equal(ffn.count, 3);
  assert.deepEqual(ffn.path, ['layers 3', 'Layer', 'Ffn', 'gated_mlp']);
  assert.equal(a.references.filter((r) => r.target.kind === 'block').length, 2);
});

test('unknown block kind gets a located error with a suggestion', () => {
  const text = `${HEADER}  atention(heads: 4)\n}`;
  assert.deepEqual(diags(analyzeText(text), text), [
    "4:3 unknown-kind unknown block 'atention': not a built-in kind or a block defined here or in an import (did you mean 'attention'?)",
  ]);
});

test('unknown parameter, wrong type, missing required argument', () => {
  const text = `${HEADER}  attention(heads: 4, kv_head: 2)\n  attention(heads: four)\n  attention(kv_heads: 2)\n  layernorm(bias: 3)\n}`;
  const d = diags(analyzeText(text), text);
  assert.equal(d.length, 4, d.join('\n'));
  assert.match(d[0], /^4:23 unknown-param unknown parameter 'kv_head' for attention \(did you mean 'kv_heads'\?\)/);
  assert.match(d[1], /^5:20 wrong-type 'heads' of attention must be an integer ≥ 1, found 'four'/);
  assert.match(d[2], /^6:3 missing-arg attention needs 'heads'/);
  assert.match(d[3], /^7:19 wrong-type 'bias' of layernorm must be true or false, found 3/);
});

test('missing dimension names the dimension and how to set it', () => {
  const text = 'model M {\n  embedding\n}';
  const d = diags(analyzeText(text), text);
  assert.equal(d.length, 2);
  assert.match(d[0], /^2:3 missing-dim embedding needs the dimension 'd_model': set 'd_model = …' on the model/);
  assert.match(d[1], /^2:3 missing-dim embedding needs the dimension 'vocab'/);
});

test('heads must divide d_model; kv_heads must divide heads', () => {
  const text = `${HEADER}  attention(heads: 5)\n  attention(heads: 8, kv_heads: 3)\n}`;
  assert.deepEqual(diags(analyzeText(text), text), [
    '4:13 invalid-args heads (5) must divide d_model (64) unless head_dim is given',
    '5:23 invalid-args kv_heads (3) must divide heads (8)',
  ]);
});

test('layer index out of range and selector outside a layers group', () => {
  const text = `${HEADER}  layers 4 {\n    rmsnorm at [1, 7]\n  }\n  rmsnorm at first 1\n}`;
  const d = diags(analyzeText(text), text);
  assert.deepEqual(d, [
    '5:20 selector layer index 7 is out of range: the group has 4 layers (0…3)',
    "7:14 selector-outside-layers 'at' selects layers, so it must be inside a 'layers N { … }' group (directly or through a block used there)",
  ]);
});

test('unknown settings and wrong setting types', () => {
  const text = 'model M {\n  d_modle = 64\n  dtype = bf17\n  tied = 1\n}';
  const d = diags(analyzeText(text), text);
  assert.equal(d.length, 3);
  assert.match(d[0], /^2:3 unknown-setting unknown setting 'd_modle'.*did you mean 'd_model'/);
  assert.match(d[1], /^3:11 wrong-type 'dtype' must be one of fp32/);
  assert.match(d[2], /^4:10 wrong-type 'tied' must be true or false/);
});

test('imports: resolved, not found, cyclic; extends across files', () => {
  const lib = 'block B {\n  rmsnorm\n}\nmodel Base {\n  d_model = 8\n  B\n}';
  const text = 'import "lib.arch"\nimport "nope.arch"\nmodel M extends Base {\n  context = 2K\n  B x 2\n}';
  const a = analyzeText(text, { '/mem/lib.arch': lib });
  assert.deepEqual(diags(a, text), ["2:8 import-not-found import not found: 'nope.arch' (paths are relative to this file; 'std/…' names the standard library)",
    '4:13 si-context context = 2K is 2,000 tokens (K, M, B, T are powers of 1,000); a power of two is likely: 2Ki = 2,048?']);
  assert.deepEqual(a.models[0].blocks.map((b) => [b.count, b.dims.d_model, b.dims.context]), [[1, 8, 2000], [2, 8, 2000]]);
  const cyc = analyzeText('import "a.arch"\nmodel M {\n}', { '/mem/a.arch': 'import "main.arch"\n' });
  assert.ok(cyc.diagnostics.some((d) => d.code === 'import-cycle' && d.file === '/mem/a.arch'));
});

test('recursive blocks and cyclic extends are errors, not hangs', () => {
  const text = 'block A {\n  A\n}\nmodel M extends N {\n  d_model = 8\n  A\n}\nmodel N extends M {\n}';
  const d = diags(analyzeText(text), text);
  assert.ok(d.some((x) => /recursive-block block 'A' uses itself/.test(x)));
  assert.ok(d.some((x) => /extends-cycle/.test(x)));
});

test('constants and arithmetic in arguments; division by zero is located', () => {
  const text = `let H = 4\n${HEADER}  attention(heads: H * 2)\n  attention(heads: 8 / 0)\n}`;
  const a = analyzeText(text);
  assert.deepEqual(diags(a, text), ['6:24 bad-value division by zero']);
  assert.equal(a.models[0].blocks[0].args.heads, 8);
});

test('the standard library resolves through std/ imports', () => {
  const text = 'import "std/llama3.arch"\nmodel Long extends Llama3_8B {\n  context = 128Ki\n}';
  const a = analyzeText(text);
  assert.deepEqual(diags(a, text), []);
  assert.equal(a.models[0].dims.context, 131072);
  assert.equal(a.models[0].blocks.length, 7);
});

test('selectors inside a block definition refine the enclosing layers group', () => {
  const text = `block JambaLayer {\n  custom(params: 1) at every 8 from 4\n  custom(params: 2) at not every 8 from 4\n  custom(params: 3)\n}\n${HEADER}  layers 32 {\n    JambaLayer\n    JambaLayer x 2 at first 8\n  }\n  JambaLayer\n}`;
  const a = analyzeText(text);
  const d = diags(a, text);
  assert.equal(d.length, 2, d.join('\n'));
  assert.ok(d.every((x) => /selector-outside-layers/.test(x)));
  assert.deepEqual(a.models[0].blocks.map((b) => b.count), [4, 28, 32, 2, 14, 16, 1]);
  assert.deepEqual(a.models[0].blocks[3].layers?.indices, [4]);
});

test('a use-site dimension argument wins over the definition\'s own setting and feeds parameter defaults', () => {
  const text = `block L(f = 4 * d_model) {\n  d_model = 32\n  gated_mlp(d_ff: f)\n}\n${HEADER}  L(d_model: 16)\n  L\n}`;
  const a = analyzeText(text);
  assert.deepEqual(diags(a, text), []);
  assert.deepEqual(a.models[0].blocks.map((b) => [b.dims.d_model, b.args.d_ff]), [[16, 64], [32, 256]]);
});

test('errors in unused constants are reported', () => {
  const text = 'let w = 2 * nope\nmodel M {\n}';
  assert.deepEqual(diags(analyzeText(text), text), ["1:13 bad-value unknown name 'nope'"]);
});
