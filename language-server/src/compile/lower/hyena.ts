/**
 * Hyena operator (Poli et al. 2023): N+1 projections through a short causal depthwise conv, implicit filters
 * from an MLP on positional features (emb_dim → fw → fw → N·d, Sin activations), and N gated long
 * convolutions z^{n+1} = x^n ⊙ (h^n ∗ z^n) computed with ONNX DFT (zero-padded to 2T: input FFT, filter FFT,
 * complex product, inverse FFT — the engine's "3 FFTs per channel per filter"). count.ts charges each DFT the
 * engine's real-FFT convention, 2.5·n·log2(n) FLOPs per transform of n = 2T points; the filter FFT is computed
 * once per channel, i.e. per sequence at batch 1 (the engine also charges it per sequence, so batch must be 1
 * for an exact FLOP match).
 */
import { num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { add, concat, gather, linear, mul, reduceSum, reshape, slice, sub, transpose, unary } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { convState, stateIn, stateOut, stateScope } from './state';

function dft(c: Ctx, x: Tensor, inverse: boolean): Tensor {
  return c.g.op('DFT', [x], [x.shape[0], x.shape[1], 2], { axis: { int: 1 }, inverse: { int: inverse ? 1 : 0 }, onesided: { int: 0 } });
}

/** Causal long convolution of z [B,T,d] with filters hf [T,d], via FFTs of length 2T. */
function fftConv(c: Ctx, z: Tensor, hf: Tensor): Tensor {
  const { g, B, T, d } = c;
  const padded = (t: Tensor, rows: number): Tensor => reshape(g, concat(g, [t, g.constF(new Float32Array(rows * T), [...t.shape.slice(0, -1), T], 'zeros')], -1), [rows, 2 * T, 1]);
  const Z = reshape(g, dft(c, padded(transpose(g, z, [0, 2, 1]), B * d), false), [B, d, 2 * T, 2]);
  const H = reshape(g, dft(c, padded(transpose(g, hf, [1, 0]), d), false), [1, d, 2 * T, 2]);
  const part = (t: Tensor, i: number): Tensor => slice(g, t, -1, i, i + 1);
  const re = sub(g, mul(g, part(Z, 0), part(H, 0)), mul(g, part(Z, 1), part(H, 1)));
  const im = add(g, mul(g, part(Z, 0), part(H, 1)), mul(g, part(Z, 1), part(H, 0)));
  const y = dft(c, reshape(g, concat(g, [re, im], -1), [B * d, 2 * T, 2]), true);
  return transpose(g, reshape(g, slice(g, slice(g, y, -1, 0, 1), 1, 0, T), [B, d, T]), [0, 2, 1]);
}

/**
 * Decode step of the long convolution: y = Σ_s hf[P−1−s]·z[s] over the P = L + 1 positions of history ⧺ z,
 * history = state `hist{n}` [B, L, d] (every earlier z); outputs the grown history.
 */
function stepConv(c: Ctx, scope: string, n: number, z: Tensor, hf: Tensor): Tensor {
  const { g, B, d, past } = c;
  const all = concat(g, [stateIn(c, scope, `hist${n}`, [B, past, d]), z], 1); // [B, P, d]
  stateOut(c, scope, `hist${n}`, all);
  const P = past + 1;
  const reversed = gather(g, hf, g.constI(Array.from({ length: P }, (_, i) => P - 1 - i), [P], 'reverse'));
  return reduceSum(g, mul(g, all, reversed), [1]);
}

/** Positional features [P, e] of all P = past + T positions: t/P, then sin/cos pairs of increasing frequency. */
function positions(c: Ctx, e: number): Tensor {
  const T = c.past + c.T;
  const data = new Float32Array(T * e);
  for (let t = 0; t < T; t++) for (let j = 0; j < e; j++) {
    const band = Math.floor((j + 1) / 2);
    data[t * e + j] = j === 0 ? t / T : (j % 2 ? Math.sin : Math.cos)((2 * Math.PI * band * t) / T);
  }
  return c.g.constF(data, [T, e], 'hyena_pos');
}

export const hyena: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const d = dModelOf(b);
    const N = num(b.args, 'order');
    const fw = num(b.args, 'filter_width');
    const scope = stateScope(c, 'hyena');
    const proj = convState(c, scope, 'conv', linear(g, c.h ?? c.x, (N + 1) * d, 'in_proj', true), num(b.args, 'short_conv'), 'short_conv', { bias: true });
    let h = unary(g, 'Sin', linear(g, positions(c, num(b.args, 'emb_dim')), fw, 'filter_in', true));
    h = unary(g, 'Sin', linear(g, h, fw, 'filter_hidden', true));
    const filters = linear(g, h, N * d, 'filter_out', true); // [past + T, N·d]
    let z = slice(g, proj, -1, 0, d);
    for (let n = 0; n < N; n++) {
      const hf = slice(g, filters, -1, n * d, (n + 1) * d);
      if (scope && !c.cache?.decode) stateOut(c, scope, `hist${n}`, z);
      const conv = scope && c.cache?.decode ? stepConv(c, scope, n, z, hf) : fftConv(c, z, hf);
      z = mul(g, slice(g, proj, -1, (n + 1) * d, (n + 2) * d), conv);
    }
    return linear(g, z, c.d, 'out_proj', true);
  },
};
