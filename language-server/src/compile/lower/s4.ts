/**
 * S4 with the DPLR state matrix (kinds/s4.ts), as state-spaces/s4 `models/s4/s4.py` S4Block → FFTConv →
 * SSMKernelDPLR (rank 1), the system in s4dplr.ts:
 * - prefill of P = past + T positions (SSMKernelDPLR.forward, the paper's Algorithm 1): C̃ = (I − Ā^P)ᵀ·C (line 1;
 *   Ā^P by squaring, setup as in the reference's `_setup_C`, not charged); the truncated generating function at the
 *   ⌊P/2⌋ + 1 rfft nodes ω by Cauchy sums over both conjugate poles of the (B, P) × (C̃, P*) products, each term one
 *   complex `#mac` product (4 real MACs); the rank-1 Woodbury correction; an inverse DFT of P points gives the
 *   kernel (the irfft: the conjugate half of the spectrum is mirrored, the real part kept). The bilinear factor
 *   2/(1 + ω) is folded into the Cauchy denominators, (1 − ω) − Δλ·(1 + ω)/2, which stay finite at ω = −1;
 * - then hyena's FFT convolution, the skip D, GELU, output_linear (H → 2H, bias) + GLU as s4d;
 * - decode: the O(N) step (s4dplr.ts) on state `ssm` [B, H, N/2, 2]; y = 2·Re(C·x) + D·u. A prefill with state
 *   output continues from x_T = Σ_k Ā^{T−1−k}·B̄·u_k (powers Ā^j·B̄ by doubling, setup: not charged).
 */
import { num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { activation, add, concat, gather, linear, mul, reduceSum, reshape, slice, sub, transpose, unary } from './ops';
import { type Ctx, type KindLowering } from './context';
import { fftConv } from './hyena';
import { stateIn, stateOut, stateScope } from './state';
import { apply, cadd, cinv, cmul, cscale, csub, dplrStep, dplrSystem, reDot, split, squarings, stack, transition, type Cx, type Dplr } from './s4dplr';

/** The rfft nodes k = 0 … K − 1 of P points: 1 − ω and (1 + ω)/2 as constants [K, 1, 1]. */
function nodes(c: Ctx, P: number): { oneMinus: Cx; half: Cx } {
  const K = Math.floor(P / 2) + 1;
  const at = (f: (k: number) => number, label: string): Tensor => c.g.constF(Float32Array.from({ length: K }, (_, k) => f(k)), [K, 1, 1], label);
  const th = (k: number): number => (-2 * Math.PI * k) / P; // ω_k = e^{iθ}
  return {
    oneMinus: { re: at((k) => 1 - Math.cos(th(k)), 's4_om_re'), im: at((k) => -Math.sin(th(k)), 's4_om_im') },
    half: { re: at((k) => (1 + Math.cos(th(k))) / 2, 's4_half_re'), im: at((k) => Math.sin(th(k)) / 2, 's4_half_im') },
  };
}

/** Σ over both conjugate poles of v/((1 − ω) − w·(1 + ω)/2): [4, K, H] for v [4, 1, H, S]; `#mac` products. */
function cauchy(c: Ctx, v: Cx, w: Cx, P: number): Cx {
  const { g } = c;
  const { oneMinus, half } = nodes(c, P);
  const term = (vv: Cx, ww: Cx): Cx => cmul(c, vv, cinv(c, csub(c, oneMinus, cmul(c, ww, half))), '#mac');
  const both = cadd(c, term(v, w), term({ re: v.re, im: unary(g, 'Neg', v.im) }, { re: w.re, im: unary(g, 'Neg', w.im) }));
  return { re: reduceSum(g, both.re, [-1], false), im: reduceSum(g, both.im, [-1], false) };
}

/** C̃ = (I − Ā^P)ᵀ·C as a Cx [1, H, S], from the real output functional c = (2·Re C, −2·Im C). */
function cTilde(c: Ctx, s: Dplr, pows: Tensor[], P: number): Cx {
  const { g } = c;
  const c0 = concat(g, [mul(g, s.C.re, g.scalar(2)), mul(g, s.C.im, g.scalar(-2))], -1); // [1, H, N]
  let v = reshape(g, c0, [s.H, 2 * s.S]);
  pows.forEach((X, k) => { if ((P >> k) & 1) v = apply(c, X, v, false); });
  const ct = reshape(g, sub(g, c0, reshape(g, v, [1, s.H, 2 * s.S])), [1, s.H, 2 * s.S]);
  return { re: mul(g, slice(g, ct, -1, 0, s.S), g.scalar(0.5)), im: mul(g, slice(g, ct, -1, s.S, 2 * s.S), g.scalar(-0.5)) };
}

/** The kernel [P, H] of the first P positions: Cauchy + Woodbury at the rfft nodes, then the inverse DFT. */
function kernel(c: Ctx, s: Dplr, Ct: Cx, P: number): Tensor {
  const { g } = c;
  const pick = (a: Cx, b: Cx): Cx => cscale(c, cmul(c, a, b), s.dt);
  const pairs = [pick(s.B, Ct), pick(s.B, s.conjP), pick(s.P, Ct), pick(s.P, s.conjP)]; // 00, 01, 10, 11
  const v = { re: concat(g, pairs.map((p) => p.re), 0), im: concat(g, pairs.map((p) => p.im), 0) }; // [4, H, S]
  const four = (t: Tensor): Tensor => reshape(g, t, [4, 1, s.H, s.S]);
  const r = cauchy(c, { re: four(v.re), im: four(v.im) }, s.dtL, P);
  const at = (i: number): Cx => ({ re: reshape(g, slice(g, r.re, 0, i, i + 1), r.re.shape.slice(1)), im: reshape(g, slice(g, r.im, 0, i, i + 1), r.im.shape.slice(1)) });
  const K = Math.floor(P / 2) + 1;
  const { half } = nodes(c, P);
  const gK: Cx = { re: reshape(g, half.re, [K, 1]), im: reshape(g, half.im, [K, 1]) }; // (1 + ω)/2
  const corr = cmul(c, gK, cmul(c, cmul(c, at(1), at(2)), cinv(c, cadd(c, { re: g.scalar(1), im: g.scalar(0) }, cmul(c, gK, at(3))))));
  const kf = csub(c, at(0), corr); // [K, H]
  const idx = g.constI(Array.from({ length: P }, (_, k) => (k < K ? k : P - k)), [P], 's4_mirror');
  const sign = g.constF(Array.from({ length: P }, (_, k) => (k < K ? 1 : -1)), [P, 1], 's4_sign');
  const full = stack(c, { re: gather(g, kf.re, idx), im: mul(g, gather(g, kf.im, idx), sign) }); // [P, H, 2]
  const inv = g.op('DFT', [transpose(g, full, [1, 0, 2])], [s.H, P, 2], { axis: { int: 1 }, inverse: { int: 1 }, onesided: { int: 0 } });
  return transpose(g, reshape(g, slice(g, inv, -1, 0, 1), [s.H, P]), [1, 0]);
}

/** The state [B, H, S, 2] after the T inputs u [B, T, H]: Σ_k Ā^{T−1−k}·B̄·u_k. */
function prefillState(c: Ctx, s: Dplr, pows: Tensor[], u: Tensor): Tensor {
  const { g } = c;
  const [B, T, H] = u.shape;
  const zero = g.constF(new Float32Array(s.S), [1, 1, s.S], 'zeros');
  const b = dplrStep(c, s, { re: zero, im: zero }, g.scalar(1)); // B̄ [1, H, S]
  let W = concat(g, [b.re, b.im], -1); // [m, H, N]: Ā^j·B̄ for j < m
  for (let k = 0; W.shape[0] < T; k++) W = concat(g, [W, apply(c, pows[k], W, true)], 0);
  const rev = gather(g, W, g.constI(Array.from({ length: T }, (_, k) => T - 1 - k), [T], 's4_rev'));
  const x = reduceSum(g, mul(g, reshape(g, u, [B, T, H, 1]), reshape(g, rev, [1, T, H, 2 * s.S])), [1], false);
  return transpose(g, reshape(g, x, [B, H, 2, s.S]), [0, 1, 3, 2]);
}

/** One decode step on u [B, 1, H] from state `ssm`. */
function step(c: Ctx, scope: string, s: Dplr, u: Tensor): Tensor {
  const { g, B } = c;
  const x = split(c, stateIn(c, scope, 'ssm', [B, s.H, s.S, 2]));
  const u3 = reshape(g, u, [B, s.H, 1]);
  const nx = dplrStep(c, s, x, u3, '#mac');
  stateOut(c, scope, 'ssm', stack(c, nx));
  const y = add(g, reDot(c, { re: mul(g, s.C.re, g.scalar(2)), im: mul(g, s.C.im, g.scalar(2)) }, nx, '#mac'), mul(g, u3, reshape(g, s.D, [s.H, 1]), '#mac'));
  return reshape(g, y, [B, 1, s.H]);
}

export const s4: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const rank = num(b.args, 'rank');
    if (rank !== 1) throw new Error(`compile: s4(rank: ${rank}) is costed but only rank 1 is lowered (its Woodbury corrections need an r × r inverse); use rank 1 or 'report'`);
    const { g } = c;
    const H = c.d, S = num(b.args, 'd_state') / 2;
    const u = c.h ?? c.x;
    const scope = stateScope(c, 's4');
    const s = dplrSystem(c, H, S);
    let y: Tensor;
    if (scope && c.cache?.decode) y = step(c, scope, s, u);
    else {
      const P = c.past + c.T;
      const pows = squarings(c, transition(c, s), Math.max(1, Math.floor(Math.log2(P)) + 1));
      if (scope) stateOut(c, scope, 'ssm', prefillState(c, s, pows, u));
      y = add(g, fftConv(c, u, kernel(c, s, cTilde(c, s, pows, P), P)), mul(g, u, s.D, '#mac'));
    }
    const z = linear(g, activation(g, y, 'gelu'), 2 * H, 'output_linear', true);
    return mul(g, slice(g, z, -1, 0, H), unary(g, 'Sigmoid', slice(g, z, -1, H, 2 * H)));
  },
};
