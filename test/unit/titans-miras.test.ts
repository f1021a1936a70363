/**
 * MIRAS choices for the Titans memory (Behrouz et al. 2025, arXiv 2504.13173; kinds/miras.ts): the cost of each
 * rule against a hand count, Titans' default rule unchanged, and the ONNX update rule (compile/lower/titans.ts
 * `lossGradient` + `writeMemory`, run on onnxruntime) against a plain TypeScript reference for every loss,
 * retention and momentum choice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { dims, run } from '../helpers/kinds';
import { GraphBuilder } from '../../language-server/src/compile/graph';
import { matmul, sub, transpose } from '../../language-server/src/compile/lower/ops';
import { lossGradient, writeMemory } from '../../language-server/src/compile/lower/titans';
import { memoryRule, type MemoryRule } from '../../language-server/src/kinds/miras';

const D = 1024;
const P = D * D + D * D; // memory_depth 2, width d: P_mem = d·w + w·d
const DENSE = 4 * D * D + 12 * D; // W_Q, W_K, W_V, W_O and the q, k, v convs (kernel 4)

test('titans: Titans\' rule (l2, decay, momentum) is the default: 10·P_mem FLOPs, 2·P_mem state, 3 gates', () => {
  const plain = run('titans', {}, dims(D)).cost;
  const explicit = run('titans', { loss: 'l2', retention: 'decay', momentum: true }, dims(D)).cost;
  assert.deepEqual(explicit, plain);
  assert.equal(plain.params, DENSE + 3 * D + 3 + P);
  assert.equal(plain.prefillFlops, 2 * (4 * D * D + 15 * D) + 10 * P);
  assert.equal(plain.cacheBytes, 2 * P * 4);
});

test('titans: MIRAS choices change the gates, the update FLOPs and the state', () => {
  const cost = (a: Record<string, unknown>) => run('titans', a as never, dims(D), { seq: 4096, batch: 1 }).cost;
  // Moneta-style (ℓp, p 3, decay, plain GD): θ and α gates; write = the decay (2·P_mem); state M only
  const moneta = cost({ loss: 'lp', p: 3, momentum: false });
  assert.equal(moneta.params, DENSE + 2 * D + 2 + P);
  assert.equal(moneta.prefillFlops, 2 * (4 * D * D + 14 * D) + 10 * P);
  assert.equal(moneta.cacheBytes, P * 4);
  // momentum without retention: θ and η gates; the write is the momentum product; state M + S
  const noDecay = cost({ loss: 'huber', retention: 'none' });
  assert.equal(noDecay.params, DENSE + 2 * D + 2 + P);
  assert.equal(noDecay.cacheBytes, 2 * P * 4);
  // plain GD, no retention: θ only, M − θ·∇ has no state product: 8·P_mem
  const gd = cost({ retention: 'none', momentum: false });
  assert.equal(gd.params, DENSE + D + 1 + P);
  assert.equal(gd.prefillFlops, 2 * (4 * D * D + 13 * D) + 8 * P);
  assert.equal(gd.decodeBytes - (gd.params - P) * 2, 2 * P * 4, 'decode reads and writes M only');
  assert.ok(gd.formula.some((l) => l.startsWith('MIRAS rule:')));
  assert.ok(!run('titans', {}, dims(D)).cost.formula.some((l) => l.startsWith('MIRAS rule:')), 'the default formula is unchanged');
  // the variants take the rule too: MAL with plain GD updates at 6·P_mem
  assert.equal(run('titans', { variant: 'mal', retention: 'none', momentum: false }, dims(D)).cost.updateFlops, 6 * P);
  assert.deepEqual(run('titans', { p: 3 }, dims(D)).issues.map((i) => i.message), ["'p' needs loss: lp"]);
  assert.deepEqual(run('titans', { loss: 'lp', delta: 1 }, dims(D)).issues.map((i) => i.message), ["'delta' needs loss: huber"]);
});

/** One write of a linear memory M [i,o] from key k [1,i], value v [1,o] in TypeScript (the rule of kinds/miras.ts). */
function reference(r: MemoryRule, M: number[], S: number[], k: number[], v: number[], g: { alpha: number; eta: number; theta: number }) {
  const I = k.length, O = v.length;
  const e = Array.from({ length: O }, (_, o) => k.reduce((s, kk, i) => s + kk * M[i * O + o], 0) - v[o]);
  const dl = e.map((x) => (r.loss === 'lp' ? r.p * Math.sign(x) * Math.abs(x) ** (r.p - 1) : r.loss === 'huber' ? Math.max(-r.delta, Math.min(r.delta, x)) : 2 * x));
  const M2: number[] = [], S2: number[] = [];
  for (let i = 0; i < I; i++) {
    for (let o = 0; o < O; o++) {
      const grad = k[i] * dl[o];
      const step = r.momentum ? g.eta * S[i * O + o] - g.theta * grad : -g.theta * grad;
      S2.push(step);
      M2.push((r.decay ? 1 - g.alpha : 1) * M[i * O + o] + step);
    }
  }
  return { M: M2, S: S2 };
}

async function onnxWrite(r: MemoryRule, M: number[], S: number[], k: number[], v: number[], gv: Record<string, number>) {
  const I = k.length, O = v.length;
  const b = new GraphBuilder(1);
  const Mt = b.input('M', [1, I, O]), kt = b.input('k', [1, 1, I]), vt = b.input('v', [1, 1, O]);
  const St = r.momentum ? b.input('S', [1, I, O]) : undefined;
  const names = ['theta', ...(r.decay ? ['alpha'] : []), ...(r.momentum ? ['eta'] : [])];
  const gates = Object.fromEntries(names.map((n) => [n, b.input(n, [1, 1, 1])]));
  const e = sub(b, matmul(b, kt, Mt), vt);
  const grad = matmul(b, transpose(b, kt, [0, 2, 1]), lossGradient(b, e, r));
  const w = writeMemory(b, Mt, St, grad, gates);
  b.output(w.M, 'M2');
  if (w.S) b.output(w.S, 'S2');
  const session = await ort.InferenceSession.create(b.serialize('miras_write'));
  const f = (x: number[], shape: number[]) => new ort.Tensor('float32', Float32Array.from(x), shape);
  const feeds: Record<string, ort.Tensor> = { M: f(M, [1, I, O]), k: f(k, [1, 1, I]), v: f(v, [1, 1, O]), theta: f([gv.theta], [1, 1, 1]) };
  if (r.momentum) { feeds.S = f(S, [1, I, O]); feeds.eta = f([gv.eta], [1, 1, 1]); }
  if (r.decay) feeds.alpha = f([gv.alpha], [1, 1, 1]);
  const out = await session.run(feeds);
  return { M: Array.from(out.M2.data as Float32Array), S: out.S2 ? Array.from(out.S2.data as Float32Array) : undefined };
}

for (const args of [{}, { loss: 'lp', p: 3 }, { loss: 'lp', p: 1.5, momentum: false }, { loss: 'huber', delta: 0.3 },
  { loss: 'huber', delta: 0.3, retention: 'none' }, { retention: 'none', momentum: false }]) {
  test(`titans: the ONNX memory write equals the TypeScript rule (${JSON.stringify(args)})`, async () => {
    const r = memoryRule(args as never);
    const I = 3, O = 4;
    const M = Array.from({ length: I * O }, (_, i) => Math.sin(i + 1) * 0.8);
    const S = Array.from({ length: I * O }, (_, i) => Math.cos(2 * i) * 0.3);
    const k = [0.9, -1.3, 0.4], v = [1.5, -0.2, 0.05, -2];
    const gv = { alpha: 0.07, eta: 0.8, theta: 0.2 };
    const want = reference(r, M, S, k, v, gv);
    const got = await onnxWrite(r, M, S, k, v, gv);
    got.M.forEach((x, i) => assert.ok(Math.abs(x - want.M[i]) < 1e-5, `M[${i}] ${x} vs ${want.M[i]}`));
    if (r.momentum) got.S!.forEach((x, i) => assert.ok(Math.abs(x - want.S[i]) < 1e-5, `S[${i}]`));
    // the loss matters: the rule's write differs from ℓ2's where the error is large
    if (r.loss !== 'l2') assert.notDeepEqual(want.M, reference({ ...r, loss: 'l2' }, M, S, k, v, gv).M);
  });
}
