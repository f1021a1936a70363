/**
 * Hyena operator (Poli et al. 2023, "Hyena Hierarchy", arXiv 2302.10866; reference code HazyResearch/safari
 * `src/models/sequence/hyena.py`). Order N: N+1 projections (v, x¹..x^N), each through a short depthwise
 * conv, then z¹ = v, z^{n+1} = x^n ⊙ (h^n ∗ z^n), y = out_proj(z^{N+1}) (paper Def. 3.1: N long filters).
 * The filters h^n are implicit: an MLP on emb_dim positional features, emb_dim → fw → fw → N·d (biases;
 * the last bias plays safari's per-channel filter bias). Safari's Sin frequencies and decay modulation
 * (a few hundred scalars) are not counted. Safari's code runs N−1 long convolutions for `order` N; we use
 * the paper's N.
 * Prefill long convolutions use FFTs of length 2L. A real FFT of n points costs ≈ 2.5·n·log2 n FLOPs
 * (half of Cooley–Tukey's 5·n·log2 n); input FFT + filter FFT + inverse FFT = 3 per channel per filter,
 * 3·2.5·2L·log2(2L) / L = FFT_CONST·log2(2L) per token with FFT_CONST = 15.
 * Decode has no recurrent form here: the step at position L is a direct convolution over the history
 * (2·N·d·L FLOPs), the filters are materialised once (read, not recomputed), and the cache must hold the
 * inputs z¹..z^N of the N long convolutions for every past token (N·d·L activations) plus the short-conv window.
 */
import type { BlockKind } from './types';
import { byteWidths, dModel, decodeTraffic, num } from './formulas';
import { arg } from './probeScale';

/** FLOPs per channel per filter per token of an FFT long convolution is FFT_CONST·log2(2L). */
export const FFT_CONST = 15;

export const hyena: BlockKind = {
  name: 'hyena',
  summary: 'Hyena operator: gated implicit long convolutions (FFT in prefill), no attention.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  probe: (a, w) => { a.filter_width = Math.max(2, Math.round(arg(a, 'filter_width') / w)); },
  params: [
    { name: 'order', type: 'int', default: 2, min: 1, doc: 'Hyena order N: N long convolutions and N+1 projections.' },
    { name: 'filter_width', type: 'int', default: 64, min: 1, doc: 'Hidden width of the implicit filter MLP (safari filter_order).' },
    { name: 'emb_dim', type: 'int', default: 3, min: 1, doc: 'Positional features fed to the filter MLP (safari default 3: t plus one sin/cos band).' },
    { name: 'short_conv', type: 'int', default: 3, min: 1, doc: 'Kernel of the short depthwise conv on the projections (with bias).' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const N = num(args, 'order');
    const fw = num(args, 'filter_width');
    const e = num(args, 'emb_dim');
    const k = num(args, 'short_conv');
    const L = ctx.seq;
    const proj = (N + 1) * d * d + d * d;
    const filterMlp = e * fw + fw * fw + fw * N * d;
    const filterParams = filterMlp + 2 * fw + N * d;
    const params = proj + (N + 1) * d + d + (N + 1) * d * (k + 1) + filterParams;
    const shortFlops = 2 * (N + 1) * d * k;
    const fftFlops = N * d * FFT_CONST * Math.log2(2 * Math.max(1, L));
    const { weight, kv } = byteWidths(dims);
    const shortState = (N + 1) * d * (k - 1);
    const cacheElems = N * d * L + shortState;
    const stepWeights = (params - filterParams) * weight + N * d * L * weight; // projections + materialised filter taps
    return {
      params,
      active: params,
      prefillFlops: 2 * proj + shortFlops + 2 * filterMlp + fftFlops,
      decodeFlops: 2 * proj + shortFlops + 2 * N * d * L,
      cacheBytes: cacheElems * kv,
      weightBytes: params * weight,
      hostWeightBytes: 0,
      decodeBytes: decodeTraffic(stepWeights, cacheElems * kv, (N * d + (N + 1) * d) * kv, ctx),
      hostDecodeBytes: 0,
      formula: [
        `params = (N+1)·d² + d² + biases + (N+1)·d·(short_conv+1) + filter MLP (e·fw + fw² + fw·N·d + biases) = ${params}`,
        `prefill FLOPs/token = 2·proj + 2·(N+1)·d·short_conv + 2·filter MLP + N·d·${FFT_CONST}·log2(2L) (FFT conv)`,
        `decode FLOPs = 2·proj + short conv + 2·N·d·L (direct conv, no recurrent form) = … + 2·${N}·${d}·${L}`,
        `cache = N·d·L + (N+1)·d·(short_conv−1) activations = ${cacheElems}·${kv} B (grows with L)`,
      ],
    };
  },
};
