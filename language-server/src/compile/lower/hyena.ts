/**
 * Hyena operator (Poli et al. 2023; kinds/hyena.ts): N+1 projections through a short causal depthwise conv, then
 * C gated long convolutions computed with ONNX DFT (zero-padded to 2T: input FFT, filter FFT, complex product,
 * inverse FFT — the engine's "3 FFTs per channel per filter"). count.ts charges each DFT the engine's real-FFT
 * convention, 2.5·n·log2(n) FLOPs per transform of n = 2T points; the filter FFT is computed once per channel,
 * i.e. per sequence at batch 1 (the engine also charges it per sequence, so batch must be 1 for an exact match).
 * Filters (hyenaFilters.ts): implicit (MLP on positional features) or modal (h[t] = Re Σ R·p^t, skip D).
 * Decode: `direct` / `fft` read the history `hist{n}` [B, L, d] (every earlier input of convolution n, growing
 * like a KV cache); `recurrent` carries the modal state `modal{n}` [B, d, S, 2] (re, im) of constant size.
 */
import { num, str } from '../../kinds/formulas';
import { hyenaConvs, hyenaDecode } from '../../kinds/hyena';
import type { Tensor } from '../graph';
import { checkElements } from '../limits';
import { add, concat, gather, linear, mul, reduceSum, reshape, slice, sub, transpose } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { convState, stateIn, stateOut, stateScope } from './state';
import { implicitFilter, modalFilter, modalPrefillState, modalStep, type Modal } from './hyenaFilters';

function dft(c: Ctx, x: Tensor, inverse: boolean): Tensor {
  return c.g.op('DFT', [x], [x.shape[0], x.shape[1], 2], { axis: { int: 1 }, inverse: { int: inverse ? 1 : 0 }, onesided: { int: 0 } });
}

/** Causal long convolution of z [B,T,d] with filters hf [T,d], via FFTs of length 2T. */
export function fftConv(c: Ctx, z: Tensor, hf: Tensor): Tensor {
  const { g } = c;
  const [B, T, d] = z.shape;
  checkElements(B * d * T, `the FFT convolution's zero padding [${B * d}, ${T}]`);
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
 * Decode step of the long convolution over the P = L + 1 positions of history ⧺ z, history = state `hist{n}`
 * [B, L, d]; outputs the grown history. `direct`: y = Σ_s hf[P−1−s]·z[s]; `fft`: the last output of fftConv.
 */
function stepConv(c: Ctx, scope: string, n: number, z: Tensor, hf: Tensor, fft: boolean): Tensor {
  const { g, B, d, past } = c;
  const all = concat(g, [stateIn(c, scope, `hist${n}`, [B, past, d]), z], 1); // [B, P, d]
  stateOut(c, scope, `hist${n}`, all);
  const P = past + 1;
  if (fft) return slice(g, fftConv(c, all, hf), 1, P - 1, P);
  const reversed = gather(g, hf, g.constI(Array.from({ length: P }, (_, i) => P - 1 - i), [P], 'reverse'));
  return reduceSum(g, mul(g, all, reversed), [1]);
}

/** One long convolution n of z [B, T, d] in the mode of this graph (prefill, or one decode step). */
function longConv(c: Ctx, scope: string | undefined, n: number, z: Tensor, filters: () => Tensor, modal: Modal | undefined, mode: string): Tensor {
  const { g } = c;
  const decoding = scope !== undefined && c.cache?.decode === true;
  if (mode === 'recurrent' && modal) {
    if (decoding) return modalStep(c, scope, n, z, modal);
    if (scope) stateOut(c, scope, `modal${n}`, modalPrefillState(c, z, modal, n));
  } else if (scope && !decoding) stateOut(c, scope, `hist${n}`, z);
  const hf = slice(g, filters(), -1, n * c.d, (n + 1) * c.d);
  const conv = decoding ? stepConv(c, scope, n, z, hf, mode === 'fft') : fftConv(c, z, hf);
  return modal ? add(g, conv, mul(g, z, modal.D[n], '#mac')) : conv;
}

export const hyena: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const d = dModelOf(b);
    const N = num(b.args, 'order');
    const C = hyenaConvs(b.args);
    const mode = hyenaDecode(b.args);
    const scope = stateScope(c, 'hyena');
    const proj = convState(c, scope, 'conv', linear(g, c.h ?? c.x, (N + 1) * d, 'in_proj', true), num(b.args, 'short_conv'), 'short_conv', { bias: true });
    const part = (i: number): Tensor => slice(g, proj, -1, i * d, (i + 1) * d);
    const modal = str(b.args, 'filter') === 'modal' ? modalFilter(c, C, d, num(b.args, 'state_size')) : undefined;
    let memo: Tensor | undefined;
    const filters = (): Tensor => (memo ??= modal ? modal.taps() : implicitFilter(c, b.args, C * d));
    const safari = N - C; // 1: gate x¹ ⊙ v before the first convolution
    let z = safari ? mul(g, part(0), part(1)) : part(0);
    for (let n = 0; n < C; n++) z = mul(g, part(n + 1 + safari), longConv(c, scope, n, z, filters, modal, mode));
    return linear(g, z, c.d, 'out_proj', true);
  },
};
