/**
 * Test-time memories: Titans MAC / MAG / MAL (arXiv 2501.00663 §4) and HOPE's continuum memory system; update FLOPs
 * apart from reads; the variants compile (parameters and FLOPs = the engine's) and decode; MAC's segment attention is causal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { titans } from '../../language-server/src/kinds/titans';
import { cms } from '../../language-server/src/kinds/cms';
import { analyzeText } from '../helpers/memoryHost';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { HARDWARE } from '../../language-server/src/cost/hardware';
import { modelJson } from '../../language-server/src/report/json';
import { compileModel, decodeUnsupported } from '../../language-server/src/compile/compile';
import { probeModel } from '../../language-server/src/compile/probe';
import { macKeys } from '../../language-server/src/kinds/titansVariants';
import { compileRunCheck } from './compile-harness';
import { checkDecodeStep } from './decode-harness';
import type { Args, Dims } from '../../language-server/src/kinds/types';
import * as ort from 'onnxruntime-node';

const dims: Dims = { d_model: 64, dtype: 'bf16', state_dtype: 'fp32', tied: false };
const base = { memory_depth: 2, memory_width: 64, persistent: 4, chunk: 1 };
const cost = (a: Record<string, unknown>, seq = 128) => titans.cost({ ...base, ...a } as Args, dims, { seq, batch: 1 });
const P = 2 * 64 * 64;

test('the bare memory (no variant) is the unchanged 10·P_mem costing, with no update split', () => {
  const c = cost({});
  assert.equal(c.updateFlops, undefined);
  assert.equal(c.prefillFlops, 2 * (4 * 64 * 64 + 15 * 64) + 10 * P);
});

test('MAC, MAG and MAL: distinct costs; update FLOPs 8·P_mem, reads 2·P_mem per read', () => {
  const proj = 2 * (4 * 64 * 64 + 15 * 64);
  const mal = cost({ variant: 'mal' }), mag = cost({ variant: 'mag' }), mac = cost({ variant: 'mac', segment: 32 });
  for (const c of [mal, mag, mac]) assert.equal(c.updateFlops, 8 * P);
  assert.equal(mal.decodeFlops, proj + 2 * P + 8 * P);
  assert.equal(mal.prefillFlops, proj + 2 * P + 8 * P + (4 * (2 * (3 * 64 * 64 + 15 * 64) + 10 * P)) / 128, 'MAL: the N_p = 4 prefix tokens once per sequence');
  assert.equal(mag.prefillFlops, proj + 2 * P + 8 * P + 4 * 64 * 4, 'MAG: persistent keys of the SWA branch');
  // causal segment attention: the query at position t = 1 … 32 sees 4 persistent + t retrieved + t segment keys
  assert.equal(mac.prefillFlops, proj + 4 * P + 8 * P + 2 * 4 * 64 * 64 + 4 * 64 * (4 + 32 + 1), 'MAC: two reads and its segment attention');
  assert.equal(mac.params, mal.params + 4 * 64 * 64);
  assert.equal(mac.cacheBytes - mal.cacheBytes, P * 4 + 3 * 32 * 64 * 2, 'MAC: the segment-start memory (fp32) and the segment rows h, K, V (bf16)');
  assert.equal(cost({ variant: 'mac', segment: 32 }, 1 << 20).prefillFlops, mac.prefillFlops, 'constant in L');
  // L = 40 = 32 + 8: the short last segment's 8 queries see 4 + 2·t keys
  assert.equal(macKeys(4, 32, 40), 4 + (32 * 33 + 8 * 9) / 40);
  assert.equal(macKeys(4, 32, 16), 4 + 17, 'L < C: one segment of L');
  // decode: a step at position t of its segment sees 4 + 2·t keys, 4 + 33 on average over a segment, whatever L
  const [m6a, m6b] = [1024, 8192].map((seq) => cost({ variant: 'mac', segment: 6 }, seq));
  assert.equal(m6a.decodeFlops, proj + 4 * P + 8 * P + 2 * 4 * 64 * 64 + 4 * 64 * (4 + 7));
  assert.equal(m6b.decodeFlops, m6a.decodeFlops);
  assert.equal(m6b.cacheBytes, m6a.cacheBytes, 'the MAC state is bounded by the segment');
  assert.notEqual(m6a.prefillFlops, m6b.prefillFlops, '1024 and 8192 end in segments of 4 and 2 tokens');
  assert.ok(cost({ variant: 'mag', chunk: 64 }).decodeBytes < mag.decodeBytes, 'a longer update period moves less state per step');
  assert.deepEqual(titans.validate?.({ ...base, segment: 8 } as Args, dims), [{ arg: 'segment', message: "'segment' needs variant: mac" }]);
});

test('the example: three models, update FLOPs in the report JSON; each probe compiles, runs and counts the engine\'s parameters and FLOPs', async () => {
  const a = analyze(path.join(__dirname, '..', '..', 'examples/titans_variants.arch'), nodeHost());
  assert.deepEqual(a.models.map((m) => m.name), ['Titans_MAC', 'Titans_MAG', 'Titans_MAL']);
  const flops = a.models.map((m) => costModel(m, { hardware: HARDWARE[0] }).totals.flops.prefillPerToken);
  assert.equal(new Set(flops).size, 3);
  const json = modelJson(costModel(a.models[1], { hardware: HARDWARE[0] }), () => '') as { blocks: { kind: string; flops: Record<string, number> }[] };
  const t = json.blocks.find((b) => b.kind === 'titans')!;
  assert.equal(t.flops.memoryUpdatePerToken, 16 * 8 * (1024 * 1024 * 2));
  for (const m of a.models) {
    const probe = probeModel(m, { layers: 2, d_model: 64, seq: 16 });
    const r = await compileRunCheck(probe, 16);
    assert.equal(r.check.flopsError, 0, `${m.name}: graph FLOPs = engine FLOPs`);
    assert.ok(r.outputs.titans_theta_l0, `${m.name}: titans gates`);
  }
});

test('decode: MAG, MAL and MAC continue the memory state (logits = the prefill\'s at position L)', async () => {
  const text = (body: string) => `model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  layers 2 {\n${body}\n  }\n  rmsnorm\n  lm_head\n}\n`;
  for (const body of ['rmsnorm\nattention(heads: 4, window: 5)\ntitans(variant: mag, memory_depth: 2, persistent: 4)',
    'rmsnorm\ntitans(variant: mal, memory_depth: 2, memory_width: 16, persistent: 3)\nrmsnorm\nattention(heads: 4, window: 5)']) {
    const m = analyzeText(text(body)).models[0];
    assert.deepEqual(decodeUnsupported(m), []);
    const { decode } = await checkDecodeStep(m, 12);
    assert.ok(decode.inputs.some((i) => i.name === 'state_titans_0_memory0'), body);
  }
  // MAC, segment 4: L = 11 (the step closes a segment), 12 (it opens one), 13 (its second token), 14
  const mac = analyzeText(text('rmsnorm\ntitans(variant: mac, segment: 4, memory_depth: 2, memory_width: 16, persistent: 2)\nrmsnorm\nmlp(d_ff: 16)')).models[0];
  assert.deepEqual(decodeUnsupported(mac), []);
  for (const L of [11, 12, 13, 14]) {
    const { decode } = await checkDecodeStep(mac, L);
    const names = decode.inputs.map((i) => i.name);
    for (const s of ['memory0', 'momentum1', 'retrieval0', 'seg_h', 'seg_k', 'seg_v', 'conv_q', 'conv_k']) assert.ok(names.includes(`state_titans_0_${s}`), `L ${L}: ${s}`);
    assert.deepEqual(decode.inputs.find((i) => i.name === 'state_titans_0_seg_h')?.dims, [1, 4, 32], 'segment rows: C, not L');
  }
});

test('MAC prefill is causal: changing the last token leaves every earlier position\'s logits unchanged', async () => {
  const m = analyzeText('model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  titans(variant: mac, segment: 4, memory_depth: 1, persistent: 2)\n  lm_head\n}\n').models[0];
  const s = await ort.InferenceSession.create(compileModel(m, { seq: 8 }).bytes);
  const run = async (last: number) => (await s.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from([5, 9, 2, 7, 1, 3, 4, last].map(BigInt)), [1, 8]) })).logits.data as Float32Array;
  const [a, b] = [await run(6), await run(40)];
  const V = 64;
  let early = 0, lastPos = 0;
  for (let i = 0; i < 8 * V; i++) (i < 7 * V ? (early = Math.max(early, Math.abs(a[i] - b[i]))) : (lastPos = Math.max(lastPos, Math.abs(a[i] - b[i]))));
  assert.equal(early, 0, 'positions 0 … 6 (their segment holds position 7) see nothing of it');
  assert.ok(lastPos > 1e-6, 'the last position does');
});

test('cms (HOPE continuum memory): the update period changes prefill FLOPs, decode FLOPs and decode bytes', () => {
  const c = (periods: number[], seq = 1024) => cms.cost({ d_ff: 32, periods } as unknown as Args, dims, { seq, batch: 1 });
  const P = 2 * 64 * 32;
  assert.equal(c([2048]).prefillFlops, 2 * P, 'a level slower than L only reads');
  assert.equal(c([2048]).updateFlops, 0);
  assert.equal(c([16]).updateFlops, (64 * (3 * P * 16 + 2 * P)) / 1024, '64 updates: 3·P per chunk token (weight gradients 2·P, error through the down-projection P) + the step 2·P');
  assert.equal(c([16]).decodeFlops, 2 * P + 3 * P + (2 * P) / 16);
  assert.ok(c([16]).prefillFlops > c([256]).prefillFlops && c([256]).prefillFlops > c([2048]).prefillFlops);
  assert.ok(c([1]).decodeFlops > c([64]).decodeFlops && c([1]).decodeBytes > c([64]).decodeBytes);
  assert.equal(c([16, 256]).params, 2 * P);
  assert.equal(c([16, 256]).cacheBytes, c([16, 256], 8192).cacheBytes, 'state constant in L');
  const m = analyzeText('model M {\n  vocab = 64\n  d_model = 64\n  embedding\n  cms(d_ff: 32, periods: [8, 64])\n  lm_head\n}\n').models[0];
  assert.doesNotThrow(() => compileModel(m, { seq: 16 }), 'updates inside the sequence are lowered (test/unit/cms-updates.test.ts)');
  assert.doesNotThrow(() => compileModel(m, { seq: 4 }));
});
