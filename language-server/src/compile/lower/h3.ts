/**
 * H3 (kinds/h3.ts), as HazyResearch/H3 `src/models/ssm/h3.py` (H3.forward / H3.step):
 * - q, k, v = Linear(d, d, bias)(u);
 * - shift SSM on k (`ss_kernel_shift.py`): the state is a shift register, x ← shift(x) + B·k, y = C·x, i.e. a causal
 *   depthwise convolution whose taps are w[j] = Σ_m B[m]·C[m + j] (j < N; SSKernelShift.forward's irfft of
 *   conj(B̂)·Ĉ), plus the skip ssm_k_D·k; decode state `shift` [B, N − 1, d] (the last inputs the taps read);
 * - diagonal SSM (`ss_kernel_diag.py`, SSKernelDiag with its default bilinear discretisation): per head, poles
 *   dA = (1 + Δ·A/2)/(1 − Δ·A/2), residues 2·C·B·Δ/(1 − Δ·A/2), skip D, as a hyena modal filter (hyenaFilters.ts),
 *   applied to the outer product K⊙V [h × h per head] by FFT convolution in prefill and by the modal recurrence
 *   (state `modal0` [B, C, N/2, 2], C = d·h) in decode;
 * - y = Σ_{d1} q[d1]·y[d1, d2], channels ordered (d2, head) as h3.py's rearrange, then output_linear.
 */
import { num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { add, concat, div, expand, gather, linear, mul, reduceSum, reshape, slice, sub, transpose, unary } from './ops';
import { type Ctx, type KindLowering } from './context';
import { checkElements } from '../limits';
import { fftConv } from './hyena';
import { modalFilter, modalPrefillState, modalStep, type Modal } from './hyenaFilters';
import { stateIn, stateOut, stateScope } from './state';

/** atan2(y, x) = 2·atan(y / (√(x² + y²) + x)) (ONNX has no Atan2; undefined only on the negative real axis). */
function atan2(c: Ctx, y: Tensor, x: Tensor): Tensor {
  const { g } = c;
  const r = unary(g, 'Sqrt', add(g, mul(g, x, x), mul(g, y, y)));
  return mul(g, unary(g, 'Atan', div(g, y, add(g, r, x))), g.scalar(2));
}

/** The shift SSM's taps as Conv weights [d, 1, N]: w[i] = Σ_m B[m]·C[m + N − 1 − i] (lag N − 1 − i). */
function shiftTaps(c: Ctx, d: number, N: number): Tensor {
  const { g } = c;
  const B = g.param('shift_B', [d, 1, N], { normal: 0.5 });
  const C = g.param('shift_C', [d, N], { normal: 1 / Math.sqrt(N) });
  checkElements(N * N, `the H3 shift-kernel index [${N}, ${N}]`);
  const padded = concat(g, [C, g.constF(new Float32Array(d * N), [d, N], 'zeros')], 1);
  const idx = Array.from({ length: N * N }, (_, k) => (k % N) + N - 1 - Math.floor(k / N));
  const shifted = gather(g, padded, g.constI(idx, [N, N], 'shift_idx'), 1); // [d, N (i), N (m)]
  return reshape(g, reduceSum(g, mul(g, shifted, B), [2], false), [d, 1, N]);
}

/** The shift SSM on k [B, T, d] continuing from the window state `shift` [B, N − 1, d]; plus the skip D·k. */
function shiftSsm(c: Ctx, scope: string | undefined, k: Tensor, N: number): Tensor {
  const { g } = c;
  const [B, T, d] = k.shape;
  const full = concat(g, [stateIn(c, scope, 'shift', [B, N - 1, d]), k], 1); // zeros in prefill
  stateOut(c, scope, 'shift', slice(g, full, 1, T, T + N - 1));
  const y = g.op('Conv', [transpose(g, full, [0, 2, 1]), shiftTaps(c, d, N)], [B, d, T], {
    group: { int: d }, kernel_shape: { ints: [N] }, pads: { ints: [0, 0] },
  });
  return add(g, transpose(g, y, [0, 2, 1]), mul(g, k, g.param('shift_D', [d], { normal: 1 }), '#mac'));
}

/** SSKernelDiag's bilinear system on H heads as a Modal: log|dA|, arg dA, residues 2·C·B·Δ/(1 − x), x = Δ·A/2. */
function diagModal(c: Ctx, H: number, S: number): Modal {
  const { g } = c;
  const dt = unary(g, 'Exp', reshape(g, g.param('log_dt', [H], { uniform: [-6.9, -2.3] }), [1, H, 1]));
  const half = mul(g, dt, g.scalar(0.5));
  const xr = mul(g, half, unary(g, 'Neg', unary(g, 'Exp', g.param('inv_A_real', [1, H, S], { fill: Math.log(0.5) }))));
  const xi = mul(g, half, g.param('A_imag', [1, H, S], { uniform: [0, Math.PI * S] }));
  const one = g.scalar(1);
  const [pr, mr] = [add(g, one, xr), sub(g, one, xr)]; // Re(1 + x), Re(1 − x)
  const sq = (re: Tensor): Tensor => add(g, mul(g, re, re), mul(g, xi, xi));
  const a = mul(g, sub(g, unary(g, 'Log', sq(pr)), unary(g, 'Log', sq(mr))), g.scalar(0.5));
  const theta = add(g, atan2(c, xi, pr), atan2(c, xi, mr));
  const part = (t: Tensor, i: number): Tensor => reshape(g, slice(g, t, -1, i, i + 1), [1, H, S]);
  const Cp = g.param('C', [1, H, S, 2], { normal: 0.7 }), Bp = g.param('B', [1, H, S, 2], { normal: 0.7 });
  const [cr, ci, br, bi] = [part(Cp, 0), part(Cp, 1), part(Bp, 0), part(Bp, 1)];
  const nr = sub(g, mul(g, cr, br), mul(g, ci, bi)), ni = add(g, mul(g, cr, bi), mul(g, ci, br)); // C·B
  const scale = div(g, mul(g, dt, g.scalar(2)), sq(mr)); // 2Δ/|1 − x|², times conj(1 − x) = (1 − xr, xi)
  const re = mul(g, sub(g, mul(g, nr, mr), mul(g, ni, xi)), scale);
  const im = mul(g, add(g, mul(g, ni, mr), mul(g, nr, xi)), scale);
  const m = modalFilter(c, 0, H, S);
  m.a.push(a); m.theta.push(theta); m.R.push(concat(g, [re, im], -1)); m.D.push(g.param('D', [H], { normal: 1 }));
  return m;
}

/** The same system repeated over the r = h² channels of each head (layout head-major), for the per-channel state. */
function tiled(c: Ctx, m: Modal, H: number, r: number): Modal {
  if (r === 1) return m;
  const { g } = c;
  const rep = (t: Tensor): Tensor => {
    const w = t.shape[t.shape.length - 1];
    return reshape(g, expand(g, reshape(g, t, [1, H, 1, w]), [1, H, r, w]), [1, H * r, w]);
  };
  const D = reshape(g, expand(g, reshape(g, m.D[0], [H, 1]), [H, r]), [H * r]);
  return { S: m.S, a: [rep(m.a[0])], theta: [rep(m.theta[0])], R: [rep(m.R[0])], D: [D], taps: m.taps };
}

/** The diagonal SSM on kv [B, T, H, h, h]: FFT convolution per head (prefill) or the modal step (decode). */
function diagSsm(c: Ctx, scope: string | undefined, kv: Tensor, m: Modal): Tensor {
  const { g } = c;
  const [B, T, H, h] = kv.shape;
  const flat = (): Tensor => reshape(g, kv, [B, T, H * h * h]);
  if (scope && c.cache?.decode) return reshape(g, modalStep(c, scope, 0, flat(), tiled(c, m, H, h * h)), kv.shape);
  if (scope) stateOut(c, scope, 'modal0', modalPrefillState(c, flat(), tiled(c, m, H, h * h), 0));
  const perHead = reshape(g, transpose(g, kv, [0, 3, 4, 1, 2]), [B * h * h, T, H]);
  const conv = transpose(g, reshape(g, fftConv(c, perHead, m.taps()), [B, h, h, T, H]), [0, 3, 4, 1, 2]);
  return add(g, conv, mul(g, kv, reshape(g, m.D[0], [H, 1, 1]), '#mac'));
}

export const h3: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const d = c.d, N = num(b.args, 'd_state'), h = num(b.args, 'head_dim'), H = d / h;
    const u = c.h ?? c.x;
    const [B, T] = u.shape;
    const scope = stateScope(c, 'h3');
    const m = diagModal(c, H, N / 2);
    const [q, k, v] = ['q_proj', 'k_proj', 'v_proj'].map((n) => linear(g, u, d, n, true));
    const ks = shiftSsm(c, scope, k, N);
    const kv = mul(g, reshape(g, ks, [B, T, H, h, 1]), reshape(g, v, [B, T, H, 1, h]), '#mac');
    const y = diagSsm(c, scope, kv, m);
    const qy = reduceSum(g, mul(g, y, reshape(g, q, [B, T, H, h, 1]), '#mac'), [3], false); // [B, T, H, h (d2)]
    return linear(g, reshape(g, transpose(g, qy, [0, 1, 3, 2]), [B, T, d]), d, 'output_linear', true);
  },
};
