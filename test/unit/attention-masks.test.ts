/**
 * Attention masks beyond causal: prefix-LM, candidate isolation (Phoenix) and cross-attention (encoder–decoder):
 * keys per query against a brute-force count of the mask, costs, validation, compile-and-count (cross-attention
 * with its `memory` input), T5-small's count in the engine and in the compiled graph.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { prefillKeys, visible } from '../../language-server/src/kinds/masks';
import { attention } from '../../language-server/src/kinds/attention';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { HARDWARE } from '../../language-server/src/cost/hardware';
import { checkModel } from '../../language-server/src/compile/check';
import { analyzeText } from '../helpers/memoryHost';
import { compileRunCheck } from './compile-harness';
import { checkDecodeStep } from './decode-harness';
import { main } from '../../language-server/src/cli/main';
import type { Args, Dims } from '../../language-server/src/kinds/types';

const ROOT = path.join(__dirname, '..', '..');
const dims: Dims = { d_model: 64, dtype: 'bf16', state_dtype: 'fp32', tied: false };
const args = (a: Record<string, unknown>): Args => ({ window: 0, qk_norm: false, qkv_bias: false, out_bias: false, sinks: false, mask: 'causal', prefix: 0, candidates: 0, heads: 4, ...a }) as Args;

test('keys per query equal a brute-force count of the visible pairs, for every mask', () => {
  for (const L of [1, 7, 16, 33]) {
    for (const a of [args({}), args({ mask: 'bidirectional' }), args({ mask: 'prefix', prefix: 5 }), args({ mask: 'prefix', prefix: 40 }),
      args({ mask: 'candidates', candidates: 4 }), args({ mask: 'candidates', candidates: 50 }), args({ window: 3 })]) {
      const see = visible(a, Number(a.window), L);
      let pairs = 0;
      for (let t = 0; t < L; t++) for (let s = 0; s < L; s++) if (see(t, s)) pairs++;
      assert.ok(Math.abs(prefillKeys(a, L, Number(a.window)) * L - pairs) < 1e-9, `${a.mask} L=${L}`);
    }
  }
  assert.equal(prefillKeys(args({ mask: 'prefix', prefix: 0 }), 16, 0), 8.5, 'prefix 0 = causal');
  assert.equal(prefillKeys(args({ mask: 'prefix', prefix: 16 }), 16, 0), 16, 'prefix L = bidirectional');
  assert.equal(prefillKeys(args({ mask: 'candidates', candidates: 0 }), 16, 0), 8.5, 'no candidates = causal');
});

test('cross-attention: K/V projections over S once per sequence, cache 2·KV·hd·S constant in L', () => {
  const a = args({ mask: 'cross', kv_len: 100, kv_dim: 32 });
  const at = (L: number) => attention.cost(a, dims, { seq: L, batch: 1 });
  assert.equal(at(10).params, 2 * 64 * 64 + 2 * 32 * 64);
  assert.equal(at(10).cacheBytes, 2 * 64 * 100 * 2);
  assert.equal(at(10).cacheBytes, at(1000).cacheBytes);
  assert.equal(at(10).decodeFlops, 2 * 2 * 64 * 64 + 4 * 64 * 100);
  assert.equal(at(10).prefillFlops, 2 * 2 * 64 * 64 + (2 * 2 * 32 * 64 * 100) / 10 + 4 * 64 * 100);
  assert.equal(at(10).decodeFlops, at(1000).decodeFlops, 'decode does not grow with L');
});

test('validation: mask arguments need their mask', () => {
  const issues = (a: Record<string, unknown>) => (attention.validate?.(args(a), dims) ?? []).map((i) => i.arg);
  assert.deepEqual(issues({ prefix: 3 }), ['prefix']);
  assert.deepEqual(issues({ candidates: 3, mask: 'prefix' }), ['candidates']);
  assert.deepEqual(issues({ kv_len: 3 }), ['kv_len']);
  assert.deepEqual(issues({ window: 3, mask: 'prefix', prefix: 2 }), ['window']);
  assert.deepEqual(issues({ mask: 'cross', kv_len: 3 }), []);
});

test('compile: prefix-LM and candidate-isolation masks lower, and the graph counts the engine\'s FLOPs', () => {
  for (const body of ['attention(heads: 4, mask: prefix, prefix: 6)', 'attention(heads: 4, mask: candidates, candidates: 5)']) {
    const m = analyzeText(`model M {\n  vocab = 100\n  d_model = 64\n  embedding\n  layers 2 {\n    rmsnorm\n    ${body}\n  }\n  lm_head\n}\n`).models[0];
    const c = checkModel(m, { seq: 16 });
    assert.equal(c.graph.params, c.engine.params);
    assert.ok(Math.abs(c.flopsError) < 1e-9, `${body}: ${c.graph.flopsPerToken} vs ${c.engine.flopsPerToken}`);
  }
});

test('T5-small: 60,506,624 parameters (HF t5-small num_parameters()) in the engine and in the compiled graph, cross-attention reads `memory`', () => {
  const m = analyze(path.join(ROOT, 'examples/t5_small.arch'), nodeHost()).models[0];
  assert.equal(costModel(m, { hardware: HARDWARE[0] }).totals.params.total, 60_506_624);
  const c = checkModel(m, { seq: 4 });
  assert.equal(c.graph.params, 60_506_624, 'initializer parameters of the compiled graph');
  assert.deepEqual(c.compiled.inputs.map((i) => [i.name, i.type, i.dims]), [['input_ids', 'int64', [1, 4]], ['memory', 'float32', [1, 512, 512]]], 'S = kv_len 512 encoder positions of width 512');
});

test('compile: cross-attention at S ≠ T and kv_dim ≠ d_model runs, counts the engine\'s parameters and FLOPs; a second shape is memory_1', async () => {
  const m = analyzeText('model M {\n  vocab = 100\n  d_model = 64\n  embedding\n  layers 2 {\n    rmsnorm\n    attention(heads: 4)\n    rmsnorm\n' +
    '    attention(heads: 4, kv_heads: 2, mask: cross, kv_len: 10, kv_dim: 24, qk_norm: true, qkv_bias: true, gate: true, sinks: true)\n  }\n' +
    '  rmsnorm\n  attention(heads: 2, mask: cross, kv_len: 5)\n  lm_head\n}\n').models[0];
  const r = await compileRunCheck(m, 16);
  assert.equal(r.check.flopsError, 0, 'exact: the K/V projections over S once per sequence, S keys per query');
  assert.deepEqual(r.check.compiled.inputs.map((i) => [i.name, i.dims]), [['input_ids', [1, 16]], ['memory', [1, 10, 24]], ['memory_1', [1, 5, 64]]]);
  assert.deepEqual(r.outputs.logits.dims, [1, 16, 100]);
});

test('cross-attention decode step: `memory` fed again, no cache input for it; logits = the prefill\'s at position L', async () => {
  const m = analyzeText('model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  layers 2 {\n    rmsnorm\n    attention(heads: 4)\n    rmsnorm\n' +
    '    attention(heads: 4, kv_heads: 2, mask: cross, kv_len: 7, kv_dim: 24)\n  }\n  rmsnorm\n  lm_head\n}\n').models[0];
  const { decode } = await checkDecodeStep(m, 12);
  assert.equal(decode.caches, 2, 'only the self-attentions cache K/V');
  assert.deepEqual(decode.inputs.filter((i) => !i.name.startsWith('past_')).map((i) => [i.name, i.dims]), [['input_ids', [1, 1]], ['memory', [1, 7, 24]]]);
});

test('archlens compile names the extra input of a cross-attention probe', async () => {
  let out = '';
  const code = await main(['compile', path.join(ROOT, 'examples/t5_small.arch'), '--probe', 'layers=1,width=8'], { out: (x) => { out += x; return true; }, err: () => true });
  assert.equal(code, 0, out);
  assert.match(out, /params {3}graph (\d+) {2}engine \1 {2}equal/);
  assert.match(out, /inputs {3}input_ids int64 \[1, 16\], memory float32 \[1, 16, 64\]/);
});
