/**
 * Hyper-connections (HC, Zhu et al. 2025) and manifold-constrained HC (mHC, DeepSeek 2025): n residual
 * streams X [B,T,n,d]; one instance wraps the next sublayer F: input H^pre·X, then X ← H^res·X + H^post·F(·)
 * (applied in compile.ts when the sublayer returns). Dynamic: coefficients = RMSNorm(vec X)·φ + b scaled by
 * three gains α; H^pre = σ, H^post = 2σ, H^res = Sinkhorn–Knopp(exp(·)) unrolled `sinkhorn_iters` times.
 * Static: learned H^res, H^pre, H^post. Gate outputs hc_res_l{i}, hc_pre_l{i}, hc_post_l{i} for the first mhc
 * of layer i, hc_res_l{i}_b, … for the second (the FFN-side one of a Transformer layer).
 * Counting: the engine charges n² MACs per Sinkhorn iteration; each unrolled iteration computes its row sums
 * as a MatMul with a ones vector (n² MACs, counted) and its column sums with ReduceSum (elementwise, not).
 */
import { bool, num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { add, div, expand, linear, matmul, mul, reduceSum, reshape, rmsnorm, slice, unary, unsqueeze } from './ops';
import type { Ctx, KindLowering } from './context';
import { checkElements, checkNodes } from '../limits';

function ensureStreams(c: Ctx, n: number): Tensor {
  if (c.streams && c.streams.shape[2] === n) return c.streams;
  if (c.streams) { c.x = reduceSum(c.g, c.streams, [2], false); c.streams = undefined; }
  c.streams = expand(c.g, unsqueeze(c.g, c.x, 2), [c.B, c.T, n, c.d]);
  return c.streams;
}

/**
 * Sinkhorn–Knopp on exp(logits). 0 iterations: the unconstrained dynamic HC baseline keeps the raw coefficients
 * around the identity, as HC initialises its residual matrix (Zhu et al.: static part = I, plus the dynamic term);
 * without the identity a product of small random matrices would vanish with depth instead of amplifying.
 */
function sinkhorn(c: Ctx, logits: Tensor, n: number, iters: number): Tensor {
  const { g } = c;
  checkElements(n * n, `the mHC mixing matrix [${n}, ${n}]`);
  checkNodes(2 * iters, `${iters} Sinkhorn iterations (nodes)`);
  if (iters === 0) return add(g, logits, g.constF(Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), [n, n], 'eye'));
  let m = unary(g, 'Exp', logits);
  const ones = g.constF(new Float32Array(n).fill(1), [n, 1], 'ones');
  for (let i = 0; i < iters; i++) {
    m = div(g, m, matmul(g, m, ones));
    m = div(g, m, reduceSum(g, m, [-2]));
  }
  return m;
}

function dynamicCoefficients(c: Ctx, X: Tensor, n: number, iters: number): { pre: Tensor; post: Tensor; res: Tensor } {
  const { g, B, T, d } = c;
  const k = n * n + 2 * n;
  const raw = add(g, linear(g, rmsnorm(g, reshape(g, X, [B, T, n * d])), k, 'phi', false, { normal: 0.1 / Math.sqrt(n * d) }), g.param('b', [k], { normal: 0.1 }));
  const alpha = g.param('alpha', [3], { fill: 1 });
  const part = (i: number, from: number, to: number): Tensor => mul(g, slice(g, raw, -1, from, to), slice(g, alpha, 0, i, i + 1));
  const pre = unary(g, 'Sigmoid', part(0, 0, n));
  const post = mul(g, unary(g, 'Sigmoid', part(1, n, 2 * n)), g.scalar(2));
  const res = sinkhorn(c, reshape(g, part(2, 2 * n, k), [B, T, n, n]), n, iters);
  return { pre, post, res };
}

function staticCoefficients(c: Ctx, n: number): { pre: Tensor; post: Tensor; res: Tensor } {
  const { g, B, T } = c;
  checkElements(n * n, `the mHC mixing matrix [${n}, ${n}]`);
  const eye = Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  const res = add(g, g.param('h_res', [n, n], { normal: 0.05 }), g.constF(eye, [n, n], 'eye'));
  const pre = add(g, g.param('h_pre', [n], { normal: 0.05 }), g.scalar(1 / n));
  const post = add(g, g.param('h_post', [n], { normal: 0.05 }), g.scalar(1));
  return { pre: expand(g, pre, [B, T, n]), post: expand(g, post, [B, T, n]), res: expand(g, res, [B, T, n, n]) };
}

export const mhc: KindLowering = {
  role: 'mhc',
  lower(c, b) {
    const { g, B, T, d } = c;
    const n = num(b.args, 'streams');
    if (c.pending) c.pending = undefined;
    const X = ensureStreams(c, n);
    const dyn = bool(b.args, 'dynamic');
    const { pre, post, res } = dyn ? dynamicCoefficients(c, X, n, num(b.args, 'sinkhorn_iters')) : staticCoefficients(c, n);
    const at = c.nextGate('hc_res').slice('hc_res'.length); // `_l{i}`, or `_l{i}_b` for the layer's second mhc
    c.gate(`hc_res${at}`, res);
    c.gate(`hc_pre${at}`, pre);
    c.gate(`hc_post${at}`, post);
    c.x = reshape(g, matmul(g, reshape(g, pre, [B, T, 1, n]), X), [B, T, d]);
    c.pending = { post: reshape(g, post, [B, T, n, 1]), res };
  },
};
