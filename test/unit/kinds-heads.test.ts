/**
 * Task heads and hashed embeddings (kinds/heads.ts, compile/lower/heads.ts): the head's decode step continues its
 * prefill for every pooling, the hashed rows are the ones the universal hashes pick, bad arguments get located
 * diagnostics, and the Phoenix example counts the released model's parameters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { analyzeText } from '../helpers/memoryHost';
import { compileModel } from '../../language-server/src/compile/compile';
import { readOnnxInfo, initializerFloats } from '../../language-server/src/onnx/info';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import type { ModelInstance } from '../../language-server/src/semantic/instances';

ort.env.logLevel = 'error';
const ROOT = path.join(__dirname, '..', '..');

const headModel = (head: string, front = 'embedding'): ModelInstance => {
  const a = analyzeText(`model M {\n  vocab = 64\n  d_model = 32\n  ${front}\n  layers 2 {\n    rmsnorm\n    attention(heads: 4)\n    rmsnorm\n    mlp(d_ff: 32)\n  }\n  rmsnorm\n  ${head}\n}\n`);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return a.models[0];
};

const run = async (bytes: Uint8Array, feeds: Record<string, ort.Tensor>) => (await ort.InferenceSession.create(bytes)).run(feeds);

/** Head outputs of a decode step on token L (fed the prefix's cache and state) vs a prefill of L + 1 tokens. */
async function decodeMatches(m: ModelInstance, L: number): Promise<{ full: ort.Tensor; step: ort.Tensor }> {
  const ids = BigInt64Array.from({ length: L + 1 }, (_, i) => BigInt((i * 11 + 5) % 60));
  const full = await run(compileModel(m, { seq: L + 1 }).bytes, { input_ids: new ort.Tensor('int64', ids, [1, L + 1]) });
  const pfx = await run(compileModel(m, { seq: L, exposeCache: true }).bytes, { input_ids: new ort.Tensor('int64', ids.slice(0, L), [1, L]) });
  const decode = compileModel(m, { seq: L, mode: 'decode' });
  const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids.slice(L), [1, 1]) };
  for (const i of decode.inputs.slice(1)) feeds[i.name] = pfx[i.name.startsWith('past_') ? i.name.replace('past_', 'present_') : `new_${i.name}`];
  const step = (await run(decode.bytes, feeds)).logits;
  return { full: full.logits, step };
}

for (const [pool, state] of [['mean', 'state_head_0_sum'], ['cls', 'state_head_0_first'], ['last', undefined], ['none', undefined]] as const) {
  test(`head(pool: ${pool}): a decode step gives the (L + 1)-token prefill's outputs${state ? ` (state ${state})` : ''}`, async () => {
    const m = headModel(`head(outputs: 3, pool: ${pool}, hidden: 8)`);
    const L = 9;
    const names = compileModel(m, { seq: L, mode: 'decode' }).inputs.map((i) => i.name);
    assert.equal(names.includes(state ?? 'none'), state !== undefined, names.join(', '));
    const { full, step } = await decodeMatches(m, L);
    const rows = pool === 'none' ? L + 1 : 1;
    assert.deepEqual([...full.dims], [1, rows, 3]);
    assert.deepEqual([...step.dims], [1, 1, 3]);
    const a = full.data as Float32Array, b = step.data as Float32Array;
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(a[(rows - 1) * 3 + k] - b[k]) < 1e-4, `output ${k}: ${a[(rows - 1) * 3 + k]} vs ${b[k]}`);
  });
}

test('head(pool: none, positions: C) scores only the last C positions; its FLOPs are C/L of a per-position head', () => {
  const m = headModel('head(outputs: 19, pool: none, positions: 4, bias: false)');
  const report = costModel(m, { hardware: findHardware('h100')!, seq: 16 });
  const h = report.blocks.find((b) => b.instance.kind === 'head')!;
  assert.equal(h.all.params, 32 * 19);
  assert.equal(h.one.prefillFlops, (2 * 32 * 19 * 4) / 16);
  assert.equal(h.one.decodeFlops, 2 * 32 * 19);
  const out = readOnnxInfo(compileModel(m, { seq: 16 }).bytes).outputs.find((o) => o.name === 'logits');
  assert.deepEqual(out?.dims, [1, 4, 19]);
});

/** Universal hash of the lowering, recomputed here: ((a_i·x + c_i) mod p) mod buckets. */
function bucket(x: number, i: number, buckets: number): number {
  const P = 2_147_483_647n;
  const a = BigInt(((2_654_435_761 * (i + 1)) % 2_147_483_647) | 1), c = BigInt((40_503 * (i + 1) * 7_919) % 2_147_483_647);
  return Number(((a * BigInt(x) + c) % P) % BigInt(buckets));
}

for (const combine of ['sum', 'concat'] as const) {
  test(`hashed_embedding(combine: ${combine}): each position is its hashed table rows, ${combine === 'sum' ? 'summed' : 'concatenated'}`, async () => {
    const a = analyzeText(`model H {\n  d_model = 8\n  hashed_embedding(buckets: 13, hashes: 2, combine: ${combine})\n}\n`);
    assert.deepEqual(a.diagnostics.map((d) => d.message), []);
    const compiled = compileModel(a.models[0], { seq: 6 });
    const table = initializerFloats(readOnnxInfo(compiled.bytes).initializers.find((t) => !t.name.startsWith('const/'))!);
    const dim = combine === 'sum' ? 8 : 4;
    assert.equal(table.length, 13 * dim);
    const ids = [0, 1, 7, 12, 1000, 2 ** 30];
    const out = (await run(compiled.bytes, { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, 6]) })).output.data as Float32Array;
    ids.forEach((x, t) => {
      const rows = [0, 1].map((i) => Array.from(table.subarray(bucket(x, i, 13) * dim, (bucket(x, i, 13) + 1) * dim)));
      const want = combine === 'sum' ? rows[0].map((v, j) => v + rows[1][j]) : [...rows[0], ...rows[1]];
      want.forEach((v, j) => assert.ok(Math.abs(out[t * 8 + j] - v) < 1e-6, `id ${x}, element ${j}`));
    });
    assert.ok(new Set(ids.map((x) => bucket(x, 0, 13))).size > 2, 'the hash spreads the ids');
  });
}

test('bad head / hashed_embedding arguments are located errors, not crashes', () => {
  const text = 'model B {\n  d_model = 8\n  hashed_embedding(buckets: 10, hashes: 3, combine: concat)\n  head(outputs: 2, pool: last, positions: 3)\n}\n';
  const a = analyzeText(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message).sort(), [
    'combine: concat needs hashes·dim = d_model (3·2 ≠ 8)',
    'positions applies to pool: none only (pool is last)',
  ]);
  for (const e of errors) assert.ok(e.start > 0 && e.end > e.start, 'located');
});

test('examples/phoenix_ranker.arch counts the released Phoenix ranker: 487,296 parameters', () => {
  // xai-org/x-algorithm phoenix/run_ranker.py (emb_size 128, 2 layers, 2 heads × key_size 64, widening_factor 2,
  // 19 ACTIONS in runners.py) with recsys_model.py / grok.py parameter shapes: proj_mat_1 256×128, proj_mat_2
  // 640×128, proj_mat_3 768×128, action_projection 19×128, product_surface_embedding_table 16×128,
  // per layer q/k/v/o 4·128·128 + DenseBlock 3·128·176 + 4 RMSNorm scales of 128, final norm 128, unembeddings 128×19.
  const released = 2 * 128 * 128 + 5 * 128 * 128 + 6 * 128 * 128 + 19 * 128 + 16 * 128
    + 2 * (4 * 128 * 128 + 3 * 128 * 176 + 4 * 128) + 128 + 128 * 19;
  assert.equal(released, 487_296);
  const m = analyze(path.join(ROOT, 'examples/phoenix_ranker.arch'), nodeHost()).models[0];
  assert.equal(costModel(m, { hardware: findHardware('h100')! }).totals.params.total, released);
});
