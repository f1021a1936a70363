/**
 * linformer (Wang et al. 2020, arXiv 2006.04768): parameter counts against fairseq's released Linformer-RoBERTa layer
 * shapes, the four sharing options of §4, FLOPs constant in L, its checks, and the encoder's refusals (no decode step;
 * no input longer than the n its projections are built for).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dims, run } from '../helpers/kinds';
import { analyzeText } from '../helpers/memoryHost';
import { compileModel } from '../../language-server/src/compile/compile';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { layerCount } from '../../language-server/src/training/layout';

// fairseq examples/linformer linformer_roberta_base: 768 wide, 12 heads, max_positions 512, compressed 4 → k = 128,
// shared_kv_compressed 0 (headwise: compress_k and compress_v per layer, nn.Linear(512, 128, bias=False)); q, k, v,
// out_proj nn.Linear(768, 768) with bias (multihead_linear_attention.py, bias=True).
const BASE = { heads: 12, k: 128, max_len: 512, bias: true };
const ATTN = 4 * 768 * 768 + 4 * 768; // 2,362,368: RoBERTa-base's self-attention

test('linformer: fairseq linformer_roberta_base layer = RoBERTa attention + compress_k + compress_v', () => {
  const { cost, issues } = run('linformer', BASE, dims(768), { seq: 512, batch: 1 });
  assert.deepEqual(issues, []);
  assert.equal(cost.params, ATTN + 2 * 512 * 128);
  assert.equal(cost.params, 2_493_440);
  // 2·4·768² (projections) + 2·(2·12·128·64) (E·K, F·V) + 4·12·128·64 (scores, sum over k keys)
  assert.equal(cost.prefillFlops, 4_718_592 + 393_216 + 393_216);
  assert.equal(cost.cacheBytes, 0);
  assert.equal(run('linformer', BASE, dims(768), { seq: 64, batch: 1 }).cost.prefillFlops, cost.prefillFlops, 'constant in L');
});

test('linformer: sharing (paper §4): none 2·H·n·k, headwise 2·n·k, kv n·k, layerwise n·k once', () => {
  const p = (a: Record<string, unknown>) => run('linformer', { ...BASE, ...a } as never, dims(768)).cost.params;
  assert.equal(p({ share: 'none' }), ATTN + 2 * 12 * 512 * 128);
  assert.equal(p({ share: 'headwise' }), ATTN + 2 * 512 * 128);
  assert.equal(p({ share: 'kv' }), ATTN + 512 * 128);
  assert.equal(p({ share: 'layerwise' }), ATTN + 512 * 128);
  assert.equal(p({ share: 'layerwise', reuse: true }), ATTN);
  assert.equal(p({ bias: false, share: 'kv' }), 4 * 768 * 768 + 512 * 128);
});

test('linformer: a 12-layer layerwise encoder holds one E of n·k', () => {
  const a = analyzeText(`model L {\n  vocab = 1000\n  d_model = 768\n  context = 512\n  tied = true\n  embedding\n  layers 12 {\n` +
    `    linformer(heads: 12, k: 128, max_len: 512, share: layerwise, bias: true) at first 1\n` +
    `    linformer(heads: 12, k: 128, max_len: 512, share: layerwise, bias: true, reuse: true) at not first 1\n    mlp(d_ff: 3072)\n  }\n}\n`);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const m = a.models[0];
  const r = costModel(m, { hardware: findHardware('h100')!, seq: 512 });
  const lin = r.blocks.filter((b) => b.instance.kind === 'linformer').reduce((s, b) => s + b.all.params, 0);
  assert.equal(lin, 12 * ATTN + 512 * 128);
  assert.equal(layerCount(m), 12, 'linformer layers are the mixers pipeline stages split');
  assert.throws(() => compileModel(m, { mode: 'decode', seq: 8 }), /linformer/);
});

test('linformer: located checks and the compile refusal beyond max_len', () => {
  const issues = (a: Record<string, unknown>, d = dims(768)) => run('linformer', a as never, d).issues.map((i) => i.message);
  assert.deepEqual(issues({ heads: 10, k: 8, max_len: 64 }), ['heads (10) must divide d_model (768) unless head_dim is given']);
  assert.deepEqual(issues({ heads: 12, k: 128, max_len: 64 }), ['k (128) must not exceed max_len (64)']);
  assert.deepEqual(issues({ heads: 12, k: 8, max_len: 64, reuse: true }), ["'reuse' needs share: layerwise"]);
  const a = analyzeText('model L {\n  vocab = 64\n  d_model = 32\n  embedding\n  linformer(heads: 4, k: 4, max_len: 8)\n  lm_head\n}\n');
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.throws(() => compileModel(a.models[0], { seq: 16 }), /max_len 8 positions, the graph has 16/);
  const orphan = analyzeText('model L {\n  vocab = 64\n  d_model = 32\n  embedding\n  linformer(heads: 4, k: 4, max_len: 8, share: layerwise, reuse: true)\n  lm_head\n}\n');
  assert.throws(() => compileModel(orphan.models[0], { seq: 8 }), /needs an earlier linformer\(share: layerwise\)/);
});
