/**
 * mHC stability (issue 13): both hyper-connections of a layer are exported (`hc_res_l{i}`, `hc_res_l{i}_b`), and the
 * composite gain of the residual mixing across depth (max |row sum| of H^res_L ⋯ H^res_0, webview/gateViews.ts) stays
 * at 1 for mHC (Sinkhorn–Knopp) and grows with depth for the unconstrained HC baseline (sinkhorn_iters: 0).
 * The mHC paper (DeepSeek-AI, arXiv 2512.24880) reports ≈ 3000× for HC and ≈ 1.6 for mHC on trained 27B models;
 * these are random-initialisation probes of the Llama-3-8B examples (32 layers, 64 HCs, d 64, n 4, T 8), so the
 * figures are of the same kind, not equal: the engine finds 1.000 for mHC and 14.5 for HC (3.1 after 8 layers) with
 * the compiler's seed. HC's H^res starts at I + a random dynamic term; training, not modelled here, drives the 3000×.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { probeModel } from '../../language-server/src/compile/probe';
import { compileModel } from '../../language-server/src/compile/compile';
import type { ModelInstance } from '../../language-server/src/semantic/instances';
import { parseGates } from '../../webview/heatmap';
import { compositeGain } from '../../webview/gateViews';
import { compileRunCheck } from './compile-harness';

const ROOT = path.join(__dirname, '..', '..');
const model = (file: string, name: string): ModelInstance =>
  analyze(path.join(ROOT, 'examples', file), nodeHost()).models.find((m) => m.name === name)!;
const MHC = model('mhc_llama.arch', 'Llama3_8B_mHC');
const HC = model('hc_llama.arch', 'Llama3_8B_HC');

/** Composite gain after each H^res in depth order (max over tokens), from a compiled probe of `layers` layers. */
async function gains(m: ModelInstance, layers: number): Promise<{ names: string[]; gain: number[] }> {
  const T = 8;
  const c = compileModel(probeModel(m, { layers, d_model: 64, seq: T }), { seq: T });
  const s = await ort.InferenceSession.create(c.bytes, { executionProviders: ['cpu'] });
  const ids = BigInt64Array.from({ length: T }, (_, i) => BigInt((i * 7 + 3) % 50));
  const out = await s.run({ input_ids: new ort.Tensor('int64', ids, [1, T]) });
  const hc = parseGates(Object.entries(out).map(([name, t]) => ({ name, dims: [...t.dims], data: Array.from(t.data as Float32Array) }))).hc;
  return { names: c.gates.filter((n) => n.startsWith('hc_res')), gain: compositeGain(hc).map((row) => Math.max(...row)) };
}

test('HC baseline: same parameters as mHC (8,055,428,800); its probe compiles and counts equal', async () => {
  const h100 = findHardware('h100')!;
  const hc = costModel(HC, { hardware: h100 }).totals.params.total;
  assert.equal(hc, 8_030_261_248 + 64 * 393_243);
  assert.equal(hc, costModel(MHC, { hardware: h100 }).totals.params.total);
  assert.equal(costModel(HC, { hardware: h100, seq: 4096 }).totals.cacheBytesPerSequence, costModel(MHC, { hardware: h100, seq: 4096 }).totals.cacheBytesPerSequence);
  await compileRunCheck(probeModel(HC, { layers: 2, d_model: 64, seq: 16 }), 16);
});

test('both hyper-connections of a layer are exported, attention side first', async () => {
  const { names } = await gains(MHC, 2);
  assert.deepEqual(names, ['hc_res_l0', 'hc_res_l0_b', 'hc_res_l1', 'hc_res_l1_b']);
});

test('composite gain across depth: mHC stays ≈ 1, unconstrained HC grows > 10× over the 32 layers', async () => {
  const m = await gains(MHC, 32);
  const h = await gains(HC, 32);
  assert.equal(m.gain.length, 64);
  assert.equal(h.gain.length, 64);
  for (const g of m.gain) assert.ok(g >= 0.99 && g <= 2, `mHC gain ${g}`); // doubly stochastic: row sums 1
  console.log(`composite gain after 32 layers (64 HCs): mHC ${m.gain[63].toFixed(3)}, HC ${h.gain[63].toFixed(1)} (after 8 layers: ${h.gain[15].toFixed(1)})`);
  assert.ok(h.gain[15] > 2, `HC after 8 layers: ${h.gain[15]}`);
  assert.ok(h.gain[63] > 10 && h.gain[63] > 3 * h.gain[15], `HC after 32 layers: ${h.gain[63]}`); // 14.5 with the compiler's seed
});
