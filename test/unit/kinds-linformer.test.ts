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
import { GraphBuilder } from '../../language-server/src/compile/graph';
import { linformerAttend } from '../../language-server/src/compile/lower/linformer';
import * as ort from 'onnxruntime-node';

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

/** Eq. 7 for one head in TypeScript: q, k, v [T][hd], E, F [n][k] (first T rows used) → [T][hd]. */
function reference(q: number[][], k: number[][], v: number[][], E: number[][], F: number[][]): number[][] {
  const T = q.length, K = E[0].length, hd = q[0].length;
  const proj = (P: number[][], x: number[][]) => Array.from({ length: K }, (_, j) => Array.from({ length: hd }, (_, c) => x.reduce((s, row, t) => s + P[t][j] * row[c], 0)));
  const kb = proj(E, k), vb = proj(F, v);
  return Array.from({ length: T }, (_, t) => {
    const s = kb.map((row) => row.reduce((a, x, c) => a + x * q[t][c], 0) / Math.sqrt(hd));
    const m = Math.max(...s), w = s.map((x) => Math.exp(x - m)), z = w.reduce((a, x) => a + x, 0);
    return Array.from({ length: hd }, (_, c) => vb.reduce((a, row, j) => a + (w[j] / z) * row[c], 0));
  });
}

test('linformer: the compiled attention (E, F cut to T rows) equals eq. 7 in TypeScript', async () => {
  const T = 5, hd = 3, n = 7, K = 4;
  const val = (i: number, j: number, s: number) => Math.sin(s * (i + 1) + 0.7 * j);
  const mat = (r: number, c: number, s: number) => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => val(i, j, s)));
  const [q, k, v] = [1.1, 1.7, 2.3].map((s) => mat(T, hd, s));
  const E = mat(n, K, 0.37), F = mat(n, K, 0.91);
  const b = new GraphBuilder(1);
  const heads = (name: string) => b.input(name, [1, 1, T, hd]);
  const out = linformerAttend(b, heads('q'), heads('k'), heads('v'), b.constF(E.flat(), [n, K]), b.constF(F.flat(), [n, K]));
  b.output(out, 'o');
  const s = await ort.InferenceSession.create(b.serialize('linformer'));
  const feed = (x: number[][]) => new ort.Tensor('float32', Float32Array.from(x.flat()), [1, 1, T, hd]);
  const got = Array.from((await s.run({ q: feed(q), k: feed(k), v: feed(v) })).o.data as Float32Array);
  reference(q, k, v, E, F).flat().forEach((x, i) => assert.ok(Math.abs(got[i] - x) < 1e-5, `o[${i}] ${got[i]} vs ${x}`));
});

test('linformer(reuse: true) with no earlier layerwise holder is a located error at the use (semantic/sharedHolders.ts), not a compile failure', () => {
  const model = (body: string): string => `model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  layers 3 {\n${body}\n  }\n  lm_head\n}\n`;
  const holder = 'linformer(heads: 4, k: 8, max_len: 16, share: layerwise)';
  const reader = 'linformer(heads: 4, k: 8, max_len: 16, share: layerwise, reuse: true)';
  const errors = (body: string) => analyzeText(model(body)).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors(`${holder} at first 1\n${reader} at not first 1`), []);
  assert.deepEqual(errors(`${holder} at first 1\n${reader}`), [], 'the holder runs first in layer 0');
  for (const body of [reader, `${reader} at first 1\n${holder} at not first 1`]) {
    const e = errors(body);
    assert.equal(e.length, 1, body);
    assert.match(e[0].message, /reads the shared linformer E but no earlier use/);
    assert.equal(model(body).slice(e[0].start, e[0].end), 'linformer');
  }
});
