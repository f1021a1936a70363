/**
 * The DPLR system of S4 (kinds/s4.ts) in real arithmetic: complex tensors as (re, im) pairs over the N/2 modes of
 * each channel, the conjugate halves implicit (state-spaces/s4 `models/s4/s4.py`, SSMKernelDPLR):
 * - the O(N) bilinear step (`_setup_linear` + `_step_state_linear`, rank 1): D̄ = 1/(2/Δ − Λ), E = 2/Δ + Λ,
 *   ρ = 1 + 2·Σ|P|²·Re D̄, R = conj(P)·D̄/ρ; x ← D̄·(y − P·2Re(R·y)), y = E·x − P·2Re(conj(P)·x) + 2B·u;
 * - Ā as a dense real N × N matrix (the step applied to the N real basis vectors of the half state, as
 *   `_setup_state` does on the identity) and its powers by repeated squaring (`power`), elementwise: setup work the
 *   reference does once (`_setup_C`, `_setup_step`), so it is not charged (count.ts counts MatMul, not these).
 * `tag` marks the step's products `#mac` in a decode step (the engine's 2·((4r + 6)·N + 1) FLOPs per channel).
 */
import type { Tensor } from '../graph';
import { checkElements } from '../limits';
import { add, concat, div, mul, reduceSum, reshape, slice, sub, transpose, unary } from './ops';
import type { Ctx } from './context';

export interface Cx { readonly re: Tensor; readonly im: Tensor }

export function cmul(c: Ctx, a: Cx, b: Cx, tag?: string): Cx {
  const { g } = c;
  const m = (x: Tensor, y: Tensor): Tensor => mul(g, x, y, tag);
  return { re: sub(g, m(a.re, b.re), m(a.im, b.im)), im: add(g, m(a.re, b.im), m(a.im, b.re)) };
}
export const cadd = (c: Ctx, a: Cx, b: Cx): Cx => ({ re: add(c.g, a.re, b.re), im: add(c.g, a.im, b.im) });
export const csub = (c: Ctx, a: Cx, b: Cx): Cx => ({ re: sub(c.g, a.re, b.re), im: sub(c.g, a.im, b.im) });
export const cconj = (c: Ctx, a: Cx): Cx => ({ re: a.re, im: unary(c.g, 'Neg', a.im) });
export const cscale = (c: Ctx, a: Cx, s: Tensor, tag?: string): Cx => ({ re: mul(c.g, a.re, s, tag), im: mul(c.g, a.im, s, tag) });
export function cinv(c: Ctx, a: Cx): Cx {
  const { g } = c;
  const n = add(g, mul(g, a.re, a.re), mul(g, a.im, a.im));
  return { re: div(g, a.re, n), im: unary(g, 'Neg', div(g, a.im, n)) };
}
/** Re Σ a·b over the last (mode) axis, kept as size 1. */
export function reDot(c: Ctx, a: Cx, b: Cx, tag?: string): Tensor {
  const { g } = c;
  return reduceSum(g, sub(g, mul(g, a.re, b.re, tag), mul(g, a.im, b.im, tag)), [-1], true);
}
/** (re, im) [.., S, 2] → Cx [.., S]. */
export function split(c: Ctx, t: Tensor): Cx {
  const shape = t.shape.slice(0, -1);
  return { re: reshape(c.g, slice(c.g, t, -1, 0, 1), shape), im: reshape(c.g, slice(c.g, t, -1, 1, 2), shape) };
}
/** Cx [.., S] → (re, im) [.., S, 2]. */
export function stack(c: Ctx, a: Cx): Tensor {
  const shape = [...a.re.shape, 1];
  return concat(c.g, [reshape(c.g, a.re, shape), reshape(c.g, a.im, shape)], -1);
}

/** The discretised DPLR system of H channels × S modes (all [1, H, S]); Δ·Λ for the Cauchy kernel. */
export interface Dplr {
  readonly H: number; readonly S: number;
  readonly Dd: Cx; readonly E: Cx; readonly P: Cx; readonly conjP: Cx; readonly R: Cx;
  readonly B2: Cx; readonly B: Cx; readonly C: Cx; readonly dtL: Cx; readonly dt: Tensor; readonly D: Tensor;
}

/** The S4 parameters (log_dt, A_real, A_imag, P, B, C, D) and the step quantities derived from them. */
export function dplrSystem(c: Ctx, H: number, S: number): Dplr {
  const { g } = c;
  const dt = unary(g, 'Exp', reshape(g, g.param('log_dt', [H], { uniform: [-6.9, -2.3] }), [1, H, 1]));
  const L: Cx = {
    re: unary(g, 'Neg', unary(g, 'Exp', g.param('A_real', [1, H, S], { fill: Math.log(0.5) }))),
    im: unary(g, 'Neg', g.param('A_imag', [1, H, S], { uniform: [0, Math.PI * S] })),
  };
  const P = split(c, g.param('P', [1, H, S, 2], { normal: 0.5 }));
  const B = split(c, g.param('B', [1, H, S, 2], { normal: 0.7 }));
  const C = split(c, g.param('C', [1, H, S, 2], { normal: 0.7 }));
  const twoOverDt = div(g, g.scalar(2), dt);
  const Dd = cinv(c, { re: sub(g, twoOverDt, L.re), im: unary(g, 'Neg', L.im) });
  const E = { re: add(g, twoOverDt, L.re), im: L.im };
  const conjP = cconj(c, P);
  const p2 = add(g, mul(g, P.re, P.re), mul(g, P.im, P.im));
  const rho = add(g, g.scalar(1), mul(g, reduceSum(g, mul(g, p2, Dd.re), [-1], true), g.scalar(2)));
  const R = cscale(c, cmul(c, conjP, Dd), div(g, g.scalar(1), rho));
  const two = g.scalar(2);
  return {
    H, S, Dd, E, P, conjP, R, B, C, dt, dtL: cscale(c, L, dt), D: g.param('D', [H], { normal: 1 }),
    B2: cscale(c, B, two),
  };
}

/** One bilinear step of the half state x (Cx [.., H, S]) with input u [.., H, 1] (or none). */
export function dplrStep(c: Ctx, s: Dplr, x: Cx, u: Tensor | undefined, tag?: string): Cx {
  const { g } = c;
  const sx = mul(g, reDot(c, s.conjP, x, tag), g.scalar(2));
  let y = csub(c, cmul(c, s.E, x, tag), cscale(c, s.P, sx, tag));
  if (u) y = cadd(c, y, cscale(c, s.B2, u, tag));
  const t = mul(g, reDot(c, s.R, y, tag), g.scalar(2));
  return cmul(c, s.Dd, csub(c, y, cscale(c, s.P, t, tag)), tag);
}

/** Mᵀ [H, N, N] of Ā in the real half-state basis (re of modes 0…S−1, then im): row j = Ā·e_j. */
export function transition(c: Ctx, s: Dplr): Tensor {
  const { g } = c;
  const N = 2 * s.S;
  checkElements(N * s.S, `the S4 transition basis [${N}, ${s.S}]`);
  const basis = (imag: boolean): Tensor => c.g.constF(Float32Array.from({ length: N * s.S }, (_, k) => {
    const j = Math.floor(k / s.S), n = k % s.S;
    return (imag ? j - s.S === n : j === n) ? 1 : 0;
  }), [N, 1, s.S], imag ? 'basis_im' : 'basis_re');
  const y = dplrStep(c, s, { re: basis(false), im: basis(true) }, undefined);
  return transpose(g, concat(g, [y.re, y.im], -1), [1, 0, 2]); // [N, H, N] → [H, N (j), N]
}

/** X·Y for stacks of N × N matrices [H, N, N], elementwise (setup: not charged). */
function matmulEw(c: Ctx, x: Tensor, y: Tensor): Tensor {
  const [H, N] = x.shape;
  return reduceSum(c.g, mul(c.g, reshape(c.g, x, [H, N, N, 1]), reshape(c.g, y, [H, 1, N, N])), [2], false);
}

/** (Mᵀ)^(2^k) [H, N, N] for k = 0 … bits − 1. */
export function squarings(c: Ctx, Mt: Tensor, bits: number): Tensor[] {
  const out = [Mt];
  while (out.length < bits) out.push(matmulEw(c, out[out.length - 1], out[out.length - 1]));
  return out;
}

/** X·v (contracting X's last axis) or, `transposed`, Xᵀ·v (its first: M^m·v from (Mᵀ)^m) for v [.., H, N]. */
export function apply(c: Ctx, X: Tensor, v: Tensor, transposed: boolean): Tensor {
  const n = v.shape[v.shape.length - 1];
  const shape = transposed ? [...v.shape, 1] : [...v.shape.slice(0, -1), 1, n];
  return reduceSum(c.g, mul(c.g, X, reshape(c.g, v, shape)), [transposed ? -2 : -1], false);
}
