/**
 * cms test-time updates in the compiled graph (compile/lower/cms.ts) against an independent TypeScript reference
 * of Nested Learning Eq. 30–31 (Behrouz et al. 2025): level ℓ reads a chunk of C_ℓ tokens with its chunk-start
 * weights, then θ ← θ − η·Σ_{t in chunk} ∇‖MLP_θ(u_t) − u_t‖² (the objective kinds/cms.ts declares). The tiny model
 * has no lm_head, so its output is the residual stream: embedding x plus the CMS chain of x.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { analyzeText } from '../helpers/memoryHost';
import { compileModel } from '../../language-server/src/compile/compile';
import { initializerFloats, readOnnxInfo } from '../../language-server/src/onnx/info';
import type { ModelInstance } from '../../language-server/src/semantic/instances';

ort.env.logLevel = 'error';

const D = 8, F = 4, T = 11;
const text = (lr: number): string => `model M {\n  vocab = 16\n  d_model = ${D}\n  embedding\n  cms(d_ff: ${F}, periods: [3, 5], lr: ${lr})\n}\n`;
const ids = BigInt64Array.from({ length: T }, (_, i) => BigInt((i * 7 + 3) % 16));
const instance = (lr: number): ModelInstance => {
  const a = analyzeText(text(lr));
  assert.deepEqual(a.diagnostics.map((d) => d.message), []);
  return a.models[0];
};

type Mat = number[][];
const gelu = (z: number): number => 0.5 * z * (1 + erf(z / Math.SQRT2));
const geluPrime = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2)) + (z * Math.exp(-z * z / 2)) / Math.sqrt(2 * Math.PI);
function erf(x: number): number { // Abramowitz–Stegun 7.1.26 is too coarse for 1e-5; series / continued fraction instead
  const s = Math.sign(x), a = Math.abs(x);
  if (a < 3) { let sum = a, term = a; for (let n = 1; n < 60; n++) { term *= (-a * a) / n; sum += term / (2 * n + 1); } return (s * 2 * sum) / Math.sqrt(Math.PI); }
  return s * (1 - Math.exp(-a * a) / (a * Math.sqrt(Math.PI)) * (1 - 1 / (2 * a * a)));
}
const matrix = (w: Float32Array, rows: number, cols: number): Mat => Array.from({ length: rows }, (_, r) => Array.from(w.subarray(r * cols, (r + 1) * cols)));

/** One level over the rows of u: reads each chunk of C rows, then steps W by the chunk's summed gradient. */
function level(u: Mat, up: Mat, down: Mat, C: number, lr: number): Mat {
  const out: Mat = [];
  for (let s = 0; s < u.length; s += C) {
    const gUp = up.map((r) => r.map(() => 0)), gDown = down.map((r) => r.map(() => 0));
    const chunk = u.slice(s, s + C);
    for (const x of chunk) {
      const z = up[0].map((_, j) => x.reduce((a, xi, i) => a + xi * up[i][j], 0));
      const h = z.map(gelu);
      const o = down[0].map((_, k) => h.reduce((a, hj, j) => a + hj * down[j][k], 0));
      out.push(o);
      const err = o.map((ok, k) => 2 * (ok - x[k]));
      h.forEach((hj, j) => err.forEach((e, k) => { gDown[j][k] += hj * e; }));
      const back = z.map((zj, j) => err.reduce((a, e, k) => a + e * down[j][k], 0) * geluPrime(zj));
      x.forEach((xi, i) => back.forEach((b, j) => { gUp[i][j] += xi * b; }));
    }
    if (chunk.length === C) { // a full chunk: Eq. 31's update at its boundary
      up = up.map((r, i) => r.map((w, j) => w - lr * gUp[i][j]));
      down = down.map((r, j) => r.map((w, k) => w - lr * gDown[j][k]));
    }
  }
  return out;
}

/** Output stream x + CMS(x) of the compiled model's weights, in float64. */
function reference(bytes: Uint8Array, lr: number): Mat {
  const w = new Map(readOnnxInfo(bytes).initializers.filter((t) => !t.name.startsWith('const/')).map((t) => [t.name, initializerFloats(t)]));
  const table = matrix(w.get('l0.embedding/weight')!, 16, D);
  const x = Array.from(ids, (i) => table[Number(i)]);
  let y = x;
  [3, 5].forEach((C, l) => { y = level(y, matrix(w.get(`l0.cms/level${l}_up`)!, D, F), matrix(w.get(`l0.cms/level${l}_down`)!, F, D), C, lr); });
  return x.map((r, t) => r.map((v, k) => v + y[t][k]));
}

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
  return (await ort.InferenceSession.create(bytes)).run(feeds);
}
const worst = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('cms compiled at T ≥ period: onnxruntime output = the TypeScript reference of Eq. 31, and differs from the no-update chain', async () => {
  const c = compileModel(instance(0.05), { seq: T });
  const out = (await run(c.bytes, { input_ids: new ort.Tensor('int64', ids, [1, T]) })).output.data as Float32Array;
  const ref = reference(c.bytes, 0.05).flat();
  assert.ok(worst(out, ref) < 1e-4, `max |graph − reference| = ${worst(out, ref)}`);
  const frozen = reference(c.bytes, 0).flat(); // the same weights, no update: the old lowering's chain of reads
  assert.ok(worst(out.subarray(0, 3 * D), frozen.slice(0, 3 * D)) < 1e-4, 'the first chunk reads the initial weights');
  assert.ok(worst(out.subarray(3 * D), frozen.slice(3 * D)) > 1e-3, `updated weights change later tokens (${worst(out.subarray(3 * D), frozen.slice(3 * D))})`);
  const noUpdate = compileModel(instance(0), { seq: T });
  const still = (await run(noUpdate.bytes, { input_ids: new ort.Tensor('int64', ids, [1, T]) })).output.data as Float32Array;
  assert.ok(worst(still, frozen) < 1e-4, 'lr: 0 compiles to the frozen chain');
});

test('cms decode: one decode graph stepped 7 times from a 4-token prefill reproduces every prefill position', async () => {
  const m = instance(0.05);
  const full = (await run(compileModel(m, { seq: T }).bytes, { input_ids: new ort.Tensor('int64', ids, [1, T]) })).output.data as Float32Array;
  const L = 4;
  let state = await run(compileModel(m, { seq: L, exposeCache: true }).bytes, { input_ids: new ort.Tensor('int64', ids.slice(0, L), [1, L]) });
  const decode = compileModel(m, { seq: L, mode: 'decode' });
  assert.deepEqual(decode.inputs.filter((i) => i.type === 'int64').map((i) => i.name), ['input_ids', 'state_cms_0_phase0', 'state_cms_0_phase1']);
  for (let t = L; t < T; t++) { // phases cross both periods: level 0 applies at t = 5, 8; level 1 at t = 4, 9
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids.slice(t, t + 1), [1, 1]) };
    for (const i of decode.inputs.slice(1)) feeds[i.name] = state[`new_${i.name}`];
    state = await run(decode.bytes, feeds);
    const step = state.output.data as Float32Array;
    assert.ok(worst(step, full.subarray(t * D, (t + 1) * D)) < 1e-4, `position ${t}: max |Δ| = ${worst(step, full.subarray(t * D, (t + 1) * D))}`);
  }
  assert.equal(Number((state.new_state_cms_0_phase0.data as BigInt64Array)[0]), T % 3);
  assert.equal(Number((state.new_state_cms_0_phase1.data as BigInt64Array)[0]), T % 5);
});

test('cms graph size does not grow with the number of chunks (one Scan per level), and the compile no longer refuses T ≥ period', () => {
  const m = analyzeText('model M {\n  vocab = 16\n  d_model = 8\n  embedding\n  cms(d_ff: 4, periods: [1, 2])\n  lm_head\n}\n').models[0];
  const nodes = (seq: number): number => readOnnxInfo(compileModel(m, { seq }).bytes).nodes.length;
  assert.equal(nodes(4096), nodes(64));
});
