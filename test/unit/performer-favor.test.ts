/**
 * The compiled FAVOR+ feature map (compile/lower/recurrent.ts `favorPhi`, Choromanski et al. 2021 Lemma 1), run on
 * onnxruntime: keys equal exp(ωᵀx' − ‖x'‖²/2)/√m in TypeScript, and the normalised weights φ(q)·φ(k) of two keys
 * estimate the softmax kernel's ratio exp(q·(k₁ − k₂)/√hd) — the query's max stabiliser cancels in the ratio.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../language-server/src/compile/graph';
import { favorPhi, gaussian } from '../../language-server/src/compile/lower/recurrent';

const HD = 8, M = 16_384;

async function features(xs: Record<string, number[]>, omega: number[]) {
  const b = new GraphBuilder(1);
  const w = b.constF(omega, [HD, M], 'omega');
  for (const name of Object.keys(xs)) b.output(favorPhi(b, b.input(name, [1, HD]), w, name === 'q'), `phi_${name}`);
  const s = await ort.InferenceSession.create(b.serialize('favor'));
  const out = await s.run(Object.fromEntries(Object.entries(xs).map(([n, x]) => [n, new ort.Tensor('float32', Float32Array.from(x), [1, HD])])));
  return Object.fromEntries(Object.keys(xs).map((n) => [n, Array.from(out[`phi_${n}`].data as Float32Array)]));
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

test('FAVOR+: the compiled key features equal exp(ωᵀx\' − ‖x\'‖²/2)/√m', async () => {
  const omega = gaussian(HD * M, 7);
  const k = [0.3, -0.5, 0.8, 0.1, -0.2, 0.6, -0.4, 0.2];
  const { k: got } = await features({ k }, omega);
  const xs = k.map((x) => x * HD ** -0.25);
  const half = dot(xs, xs) / 2;
  for (const j of [0, 1, 777, M - 1]) {
    const u = xs.reduce((s, x, i) => s + x * omega[i * M + j], 0);
    const want = Math.exp(u - half) / Math.sqrt(M);
    assert.ok(Math.abs(got[j] - want) <= 1e-5 * want + 1e-9, `φ(k)[${j}] ${got[j]} vs ${want}`);
  }
});

test('FAVOR+: φ(q)·φ(k₁) / φ(q)·φ(k₂) estimates the softmax ratio exp(q·(k₁ − k₂)/√hd)', async () => {
  const q = [0.5, -0.3, 0.2, 0.7, -0.1, 0.4, 0.0, -0.6];
  const k1 = [0.9, 0.4, -0.7, 0.8, 0.3, -0.6, 0.5, 0.2]; // ‖k₁‖² = 2.84
  const k2 = [-0.1, 0.2, 0.05, -0.15, 0.1, 0.0, 0.2, -0.1]; // ‖k₂‖² = 0.15: the −‖x'‖²/2 term matters (×1.6)
  const phi = await features({ q, k1, k2 }, gaussian(HD * M, 11));
  const ratio = dot(phi.q, phi.k1) / dot(phi.q, phi.k2);
  const want = Math.exp((dot(q, k1) - dot(q, k2)) / Math.sqrt(HD));
  assert.ok(Math.abs(ratio / want - 1) < 0.05, `${ratio} vs ${want}`);
  // without the ‖k‖²/2 term the ratio would be off by exp((‖k₂'‖² − ‖k₁'‖²)/2) ≈ 0.61: outside the tolerance
  assert.ok(Math.abs(Math.exp((dot(k2, k2) - dot(k1, k1)) / Math.sqrt(HD) / 2) - 1) > 0.3);
});
