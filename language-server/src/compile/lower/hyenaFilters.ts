/**
 * Hyena long-convolution filters (kinds/hyena.ts) and the modal recurrence.
 * - implicit: an MLP on positional features (emb_dim → fw → fw → C·d, Sin activations), evaluated at every
 *   position 0 … past + T − 1 (the features are t / P, so the filter depends on the length P);
 * - modal (StripedHyena `ParallelHyenaFilter`): per channel S poles p = e^{a + iθ} (stored as a, θ: the
 *   released model stores re/im, the same 2 reals) and residues R, h[t] = Re Σ_s R_s·p_s^t, and a skip D.
 *   The taps' final products with R are `#mac` (2·S MACs per channel and position, the engine's filter cost).
 * The modal recurrence x ← p·x + u, y = Re Σ R·x + D·u (StripedHyena `engine.step_iir`) continues a prefill
 * exactly: after T inputs x = Σ_k p^{T−1−k}·u_k (computed from the same powers, not charged: the engine's
 * prefill is the plain FFT convolution).
 */
import type { Args } from '../../kinds/types';
import { num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { checkElements } from '../limits';
import { add, concat, linear, mul, reduceSum, reshape, slice, sub, unary } from './ops';
import type { Ctx } from './context';
import { stateIn, stateOut } from './state';

/** Positional features [P, e] of all P = past + T positions: t/P, then sin/cos pairs of increasing frequency. */
function positions(c: Ctx, e: number): Tensor {
  const T = c.past + c.T;
  checkElements(T * e, `the positional features [${T}, ${e}]`);
  const data = new Float32Array(T * e);
  for (let t = 0; t < T; t++) for (let j = 0; j < e; j++) {
    const band = Math.floor((j + 1) / 2);
    data[t * e + j] = j === 0 ? t / T : (j % 2 ? Math.sin : Math.cos)((2 * Math.PI * band * t) / T);
  }
  return c.g.constF(data, [T, e], 'hyena_pos');
}

/** Implicit filters [past + T, width] from the filter MLP. */
export function implicitFilter(c: Ctx, args: Args, width: number): Tensor {
  const { g } = c;
  const fw = num(args, 'filter_width');
  let h = unary(g, 'Sin', linear(g, positions(c, num(args, 'emb_dim')), fw, 'filter_in', true));
  h = unary(g, 'Sin', linear(g, h, fw, 'filter_hidden', true));
  return linear(g, h, width, 'filter_out', true);
}

export interface Modal {
  readonly S: number;
  /** Per convolution: log-magnitudes a and angles θ [1, d, S], residues R = (Re ⧺ Im) [1, d, 2S], skip D [d]. */
  readonly a: Tensor[];
  readonly theta: Tensor[];
  readonly R: Tensor[];
  readonly D: Tensor[];
  /** Filter taps [past + T, C·d] at absolute positions 0 … past + T − 1. */
  taps(): Tensor;
}

/** p^t for t = 0 … P−1 as (re, im) [P, d, S] (positions `order`: the t of each row). */
function powers(c: Ctx, m: Modal, n: number, order: readonly number[]): { re: Tensor; im: Tensor } {
  const { g } = c;
  const t = g.constF(Float32Array.from(order), [order.length, 1, 1], 'hyena_t');
  const mag = unary(g, 'Exp', mul(g, m.a[n], t));
  const ang = mul(g, m.theta[n], t);
  return { re: mul(g, mag, unary(g, 'Cos', ang)), im: mul(g, mag, unary(g, 'Sin', ang)) };
}

/** Re Σ_s R·(re + i·im) over the last axis: `#mac`, 2·S MACs per element of the result. */
function readout(c: Ctx, m: Modal, n: number, re: Tensor, im: Tensor): Tensor {
  const { g } = c;
  const both = concat(g, [re, unary(g, 'Neg', im)], -1);
  return reduceSum(g, mul(g, both, m.R[n], '#mac'), [-1], false);
}

export function modalFilter(c: Ctx, C: number, d: number, S: number): Modal {
  const { g } = c;
  const m: Modal = {
    S, a: [], theta: [], R: [], D: [],
    taps: () => {
      const P = c.past + c.T;
      const order = Array.from({ length: P }, (_, t) => t);
      return concat(g, m.a.map((_, n) => { const { re, im } = powers(c, m, n, order); return readout(c, m, n, re, im); }), -1);
    },
  };
  for (let n = 0; n < C; n++) {
    m.a.push(g.param(`pole_log_mag${n}`, [1, d, S], { uniform: [-0.6, -0.05] }));
    m.theta.push(g.param(`pole_angle${n}`, [1, d, S], { uniform: [-1, 1] }));
    m.R.push(g.param(`residues${n}`, [1, d, 2 * S], { normal: 0.5 }));
    m.D.push(g.param(`D${n}`, [d], { normal: 0.5 }));
  }
  return m;
}

/** The modal state [B, d, S, 2] after the T inputs z [B, T, d] of convolution n: x = Σ_k p^{T−1−k}·z_k. */
export function modalPrefillState(c: Ctx, z: Tensor, m: Modal, n: number): Tensor {
  const { g } = c;
  const [B, T, d] = z.shape;
  const { re, im } = powers(c, m, n, Array.from({ length: T }, (_, k) => T - 1 - k));
  const u = reshape(g, z, [B, T, d, 1]);
  const part = (p: Tensor): Tensor => reshape(g, reduceSum(g, mul(g, p, u), [1], false), [B, d, m.S, 1]);
  return concat(g, [part(re), part(im)], -1);
}

/** One step of the modal recurrence for convolution n on z [B, 1, d]; state `modal{n}` [B, d, S, 2]; y [B, 1, d]. */
export function modalStep(c: Ctx, scope: string, n: number, z: Tensor, m: Modal): Tensor {
  const { g, B } = c;
  const d = z.shape[2];
  const state = stateIn(c, scope, `modal${n}`, [B, d, m.S, 2]);
  const [xr, xi] = [0, 1].map((i) => reshape(g, slice(g, state, -1, i, i + 1), [B, d, m.S]));
  const { re: pr, im: pi } = powers(c, m, n, [1]);
  const mac = (x: Tensor, y: Tensor): Tensor => mul(g, x, y, '#mac');
  const u = reshape(g, z, [B, d, 1]);
  const nr = add(g, sub(g, mac(pr, xr), mac(pi, xi)), u);
  const ni = add(g, mac(pr, xi), mac(pi, xr));
  stateOut(c, scope, `modal${n}`, concat(g, [reshape(g, nr, [B, d, m.S, 1]), reshape(g, ni, [B, d, m.S, 1])], -1));
  const y = add(g, readout(c, m, n, nr, ni), mul(g, reshape(g, z, [B, d]), m.D[n], '#mac'));
  return reshape(g, y, [B, 1, d]);
}
