/**
 * Sparse attention masks (kinds/sparseMasks.ts): Longformer global + local, BigBird block-sparse (ITC), Sparse
 * Transformer strided and fixed. Keys per query and per decode step against a brute-force count of the mask rule,
 * the released parameter counts, the lowering's mask against the rule (attention probabilities), compile-and-count
 * equality, and a decode step equal to the prefill for the causal patterns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { prefillKeys, stepKeys, visible } from '../../language-server/src/kinds/masks';
import { attention } from '../../language-server/src/kinds/attention';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { HARDWARE } from '../../language-server/src/cost/hardware';
import { checkModel } from '../../language-server/src/compile/check';
import { compileModel } from '../../language-server/src/compile/compile';
import { countGraph } from '../../language-server/src/compile/count';
import * as ort from 'onnxruntime-node';
import { readOnnxInfo } from '../../language-server/src/onnx/info';
import { TRAINING_KINDS } from '../../language-server/src/training/kinds';
import { analyzeText } from '../helpers/memoryHost';
import { compileRunCheck } from './compile-harness';
import { checkDecodeStep } from './decode-harness';
import type { Args, Dims } from '../../language-server/src/kinds/types';

const ROOT = path.join(__dirname, '..', '..');
const dims: Dims = { d_model: 64, dtype: 'bf16', state_dtype: 'fp32', tied: false };
const args = (a: Record<string, unknown>): Args => ({ window: 0, qk_norm: false, qkv_bias: false, out_bias: false, sinks: false, heads: 4, ...a }) as Args;
const params = (rel: string, name?: string): number => {
  const models = analyze(path.join(ROOT, rel), nodeHost()).models;
  return costModel(name ? models.find((m) => m.name === name)! : models[0], { hardware: HARDWARE[0] }).totals.params.total;
};

/** Visible pairs of the rule over an L×L prefill, and the keys of the last row. */
function brute(a: Args, L: number): { pairs: number; last: number } {
  const see = visible(a, Number(a.window), L);
  let pairs = 0, last = 0;
  for (let t = 0; t < L; t++) for (let s = 0; s < L; s++) if (see(t, s)) { pairs++; if (t === L - 1) last++; }
  return { pairs, last };
}

const PATTERNS = [
  args({ mask: 'global_local', window: 4, global: 2 }), args({ mask: 'global_local', window: 10, global: 0 }),
  args({ mask: 'global_local', window: 2, global: 40 }),
  args({ mask: 'block_sparse', block: 2, random: 1 }), args({ mask: 'block_sparse', block: 3, random: 2 }),
  args({ mask: 'block_sparse', block: 4, random: 0 }), args({ mask: 'block_sparse' }),
  args({ mask: 'strided', stride: 4 }), args({ mask: 'strided', stride: 1 }), args({ mask: 'strided', stride: 7 }),
  args({ mask: 'fixed', stride: 4, summary: 2 }), args({ mask: 'fixed', stride: 5 }), args({ mask: 'fixed', stride: 3, summary: 3 }),
];

test('keys per prefill query and per decode step equal a brute-force count of the mask (partial blocks, short L included)', () => {
  for (const L of [1, 2, 7, 16, 33, 50, 61]) {
    for (const a of PATTERNS) {
      const { pairs, last } = brute(a, L);
      assert.ok(Math.abs(prefillKeys(a, L, Number(a.window)) * L - pairs) < 1e-9, `${JSON.stringify(a)} L=${L}: ${prefillKeys(a, L, 0) * L} vs ${pairs}`);
      assert.equal(stepKeys(a, L, Number(a.window)).read, last, `${a.mask} decode L=${L}`);
    }
  }
});

test('released sizes: the closed forms equal the mask at Longformer-base (L 4096, w 512) and BigBird-base (b 64, r 3)', () => {
  const longformer = args({ mask: 'global_local', window: 512, global: 1 });
  assert.ok(Math.abs(prefillKeys(longformer, 4096, 512) * 4096 - brute(longformer, 4096).pairs) < 1e-6);
  const bigbird = args({ mask: 'block_sparse', block: 64, random: 3 });
  for (const L of [704, 705, 4096, 4000]) assert.ok(Math.abs(prefillKeys(bigbird, L, 0) * L - brute(bigbird, L).pairs) < 1e-6, `L=${L}`);
  // HF falls back to full attention at L ≤ (5 + 2r)·b = 704; middle query blocks see (3 + 2 + r)·b = 512 keys
  assert.equal(prefillKeys(bigbird, 704, 0), 704);
  const see = visible(bigbird, 0, 4096);
  const row = (t: number): number => Array.from({ length: 4096 }, (_, s) => see(t, s)).filter(Boolean).length;
  assert.equal(row(64 * 30 + 5), (3 + 2 + 3) * 64);
  assert.equal(row(10), 4096, 'the first block is global');
});

test('Sparse Transformer: strided reads ≈ l + L/l keys per step but keeps all L; fixed keeps only what later queries read', () => {
  const L = 12_288;
  const lastRow = (a: Args): number => { const see = visible(a, 0, L); let n = 0; for (let s = 0; s < L; s++) if (see(L - 1, s)) n++; return n; };
  const strided = args({ mask: 'strided', stride: 128 });
  const step = stepKeys(strided, L, 0);
  assert.equal(step.read, lastRow(strided));
  assert.ok(Math.abs(step.read - (128 + L / 128)) <= 1, `${step.read} ≈ l + L/l`);
  assert.equal(step.cached, L);
  const c = attention.cost(strided, dims, { seq: L, batch: 1 });
  assert.equal(c.cacheBytes, 2 * 64 * L * 2, 'KV of every position (bf16)');
  assert.equal(c.decodeBytes - c.weightBytes, 2 * 64 * (step.read + 1) * 2, 'a step reads only its keys (and writes one)');
  assert.equal(c.decodeFlops, 2 * 4 * 64 * 64 + 4 * 64 * step.read);
  const fixedArgs = args({ mask: 'fixed', stride: 128, summary: 32 });
  const fixed = stepKeys(fixedArgs, L, 0);
  assert.equal(fixed.read, lastRow(fixedArgs));
  assert.equal(fixed.cached, fixed.read);
  assert.equal(attention.cost(fixedArgs, dims, { seq: L, batch: 1 }).cacheBytes, 2 * 64 * fixed.read * 2);
});

test('published counts: Longformer-base-4096 148,659,456, BigBird-RoBERTa-base 127,468,800, Sparse Transformer Enwik8 "95M" (94,949,376)', () => {
  // allenai/longformer-base-4096 config + HF LongformerModel (pooler included): hand count in the example's header
  assert.equal(params('examples/longformer_base.arch'), 148_659_456);
  // google/bigbird-roberta-base config + HF BigBirdModel (pooler included): block sparsity adds no parameters
  assert.equal(params('examples/bigbird_roberta_base.arch'), 127_468_800);
  // Child et al. 2019 Table 1: "Sparse Transformer 95M (fixed)" (only the rounded figure is published). The sum of the
  // sizes §5.2, §5.3 and §7.2 state (header of the example): 30 blocks, token + factorised position embeddings
  // (12,288/128 rows + 128 columns), final LayerNorm, untied W_out.
  const block = 4 * 512 * 512 + 4 * 512 + 2 * 512 * 2048 + 2048 + 512 + 2 * 2 * 512;
  const total = 30 * block + 256 * 512 + (12_288 / 128 + 128) * 512 + 2 * 512 + 512 * 256;
  assert.equal(total, 94_949_376);
  for (const name of ['Sparse_Transformer_enwik8', 'Sparse_Transformer_strided']) {
    assert.equal(params('examples/sparse_transformer.arch', name), total, name);
    assert.equal(Math.round(params('examples/sparse_transformer.arch', name) / 1e6), 95, name);
  }
});

test('Longformer global projections: + 3·(d² + d) per layer (query_global, key_global, value_global), Kg/Vg on all L, Qg on G', () => {
  const a = args({ mask: 'global_local', window: 8, global: 3, qkv_bias: true });
  const g = args({ ...a, global_proj: true });
  const at = (x: Args, L: number) => attention.cost(x, dims, { seq: L, batch: 1 });
  assert.equal(at(g, 100).params - at(a, 100).params, 3 * (64 * 64 + 64));
  const extra = at(g, 100).prefillFlops - at(a, 100).prefillFlops;
  assert.ok(Math.abs(extra - (2 * 2 * 64 * 64 + (2 * 64 * 64 * 3) / 100)) < 1e-6, `${extra}`);
  assert.equal(at(g, 100).decodeFlops, at(a, 100).decodeFlops, 'a decode step appends a local token');
});

test('validation: sparse-mask arguments need their mask, Longformer needs an even window, Sparse Transformer a stride', () => {
  const issues = (a: Record<string, unknown>) => (attention.validate?.(args(a), dims) ?? []).map((i) => i.arg ?? 'use');
  assert.deepEqual(issues({ mask: 'global_local', window: 512, global: 1, global_proj: true }), []);
  assert.deepEqual(issues({ mask: 'global_local', window: 5 }), ['window']);
  assert.deepEqual(issues({ mask: 'global_local' }), ['window']);
  assert.deepEqual(issues({ global: 2 }), ['global']);
  assert.deepEqual(issues({ mask: 'strided', block: 4, stride: 4 }), ['block']);
  assert.deepEqual(issues({ mask: 'strided' }), ['use']);
  assert.deepEqual(issues({ mask: 'fixed', stride: 4, summary: 5 }), ['summary']);
  assert.deepEqual(issues({ mask: 'block_sparse', window: 4 }), ['window']);
  const a = analyzeText('model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  attention(heads: 4, mask: strided)\n  lm_head\n}\n');
  assert.ok(a.diagnostics.some((d) => d.severity === 'error' && /needs 'stride'/.test(d.message)), 'a located diagnostic, no crash');
});

const BODIES = [
  'attention(heads: 4, mask: global_local, window: 4, global: 2, global_proj: true, qkv_bias: true)',
  'attention(heads: 4, kv_heads: 2, mask: global_local, window: 6, global: 3)',
  'attention(heads: 4, mask: block_sparse, block: 2, random: 1)',
  'attention(heads: 4, kv_heads: 2, mask: strided, stride: 4)',
  'attention(heads: 4, mask: fixed, stride: 4, summary: 2)',
];
const tiny = (body: string): string => `model M {\n  vocab = 64\n  d_model = 32\n  tied = false\n  embedding\n  layers 2 {\n    rmsnorm\n    ${body}\n  }\n  rmsnorm\n  lm_head\n}\n`;

test('compile: each sparse mask lowers, runs, and the graph counts exactly the engine\'s parameters and FLOPs', async () => {
  for (const body of BODIES) {
    const m = analyzeText(tiny(body)).models[0];
    for (const seq of [16, 24]) {
      const c = checkModel(m, { seq });
      assert.equal(c.graph.params, c.engine.params, body);
      assert.ok(Math.abs(c.flopsError) < 1e-9, `${body} @${seq}: ${c.graph.flopsPerToken} vs ${c.engine.flopsPerToken}`);
    }
    const { outputs } = await compileRunCheck(m, 16);
    const probs = outputs.attn_probs_l0;
    assert.ok(probs, `${body}: attention probabilities gate`);
    checkProbs(m.blocks.find((b) => b.kind === 'attention')!.args, probs.data as Float32Array, probs.dims as number[], body);
  }
});

/** The lowered mask is the rule: probability 0 exactly where a key is not visible (Longformer's global rows come from the global pass). */
function checkProbs(a: Args, p: Float32Array, [, H, T, S]: number[], body: string): void {
  const see = visible(a, Number(a.window), T);
  const skip = a.global_proj === true ? Number(a.global) : 0;
  for (let h = 0; h < H; h++) {
    for (let t = skip; t < T; t++) {
      for (let s = 0; s < S; s++) assert.equal(p[((h * T) + t) * S + s] > 0, see(t, s), `${body}: head ${h}, query ${t}, key ${s}`);
    }
  }
}

test('decode: strided and fixed steps with the KV cache give the prefill\'s logits; Longformer\'s decode graph keeps its parameters', async () => {
  for (const body of BODIES.slice(3)) await checkDecodeStep(analyzeText(tiny(body)).models[0], 12);
  const m = analyzeText(tiny(BODIES[0])).models[0];
  const p = (bytes: Uint8Array): number => countGraph(bytes).params;
  const decode = compileModel(m, { mode: 'decode', seq: 12 });
  assert.equal(p(decode.bytes), p(compileModel(m, { seq: 12 }).bytes));
  const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', BigInt64Array.from([5n]), [1, 1]) };
  for (const i of readOnnxInfo(decode.bytes).inputs.slice(1)) {
    const dims = i.dims as number[];
    feeds[i.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((x, y) => x * y, 1)).fill(0.1), dims);
  }
  const out = await (await ort.InferenceSession.create(decode.bytes)).run(feeds);
  assert.ok((out.logits.data as Float32Array).every(Number.isFinite), 'the Longformer decode step runs');
});

const factorised = (positions: string): string => tiny(BODIES[4]).replace('  embedding\n', `  embedding(${positions})\n`);

test('factorised positions (Sparse Transformer §5.3): ⌈P/l⌉ rows + l columns, lowered as two gathers; decode = prefill', async () => {
  const embeddingParams = (positions: string): number => costModel(analyzeText(factorised(positions)).models[0], { hardware: HARDWARE[0] })
    .blocks.find((b) => b.instance.kind === 'embedding')!.all.params;
  assert.equal(embeddingParams('positions: 24, pos_stride: 4'), (64 + 6 + 4) * 32);
  assert.equal(embeddingParams('positions: 26, pos_stride: 4'), (64 + 7 + 4) * 32, '⌈26/4⌉ = 7 rows');
  assert.equal(embeddingParams('positions: 24'), (64 + 24) * 32, 'without pos_stride: one absolute table');
  const m = analyzeText(factorised('positions: 24, pos_stride: 4')).models[0];
  const { check } = await compileRunCheck(m, 16);
  const dimsOf = (part: string): number[] | undefined => readOnnxInfo(check.compiled.bytes).initializers.find((i) => i.name.includes(part))?.dims;
  assert.deepEqual(dimsOf('position_rows'), [6, 32]);
  assert.deepEqual(dimsOf('position_columns'), [4, 32]);
  await checkDecodeStep(m, 12);
  const bad = analyzeText(factorised('pos_stride: 4'));
  assert.ok(bad.diagnostics.some((d) => d.severity === 'error' && /pos_stride needs positions/.test(d.message)), 'a located diagnostic');
});

test('training: sparse masks store scores for the visible keys only (5·H·keys bytes per token, not 5·H·L)', () => {
  const row = TRAINING_KINDS.attention;
  const full = row.activation(args({ mask: 'bidirectional' }), dims, 4096).quadratic;
  const bigbird = args({ mask: 'block_sparse', block: 64, random: 3 });
  assert.equal(row.activation(bigbird, dims, 4096).quadratic, 5 * 4 * prefillKeys(bigbird, 4096, 0));
  assert.ok(row.activation(bigbird, dims, 4096).quadratic < full / 6);
});
