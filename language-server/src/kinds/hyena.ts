/**
 * Hyena operator (Poli et al. 2023, "Hyena Hierarchy", arXiv 2302.10866; reference code HazyResearch/safari
 * `src/models/sequence/hyena.py`). Order N: N+1 projections (v, x¹..x^N), each through a short depthwise
 * conv, then gated long convolutions and y = out_proj(z).
 * - `style: paper` (Def. 3.1): N long convolutions, z¹ = v, z^{n+1} = x^n ⊙ (h^n ∗ z^n).
 * - `style: safari`: the code of safari and StripedHyena gates first, z = x¹ ⊙ v, then N−1 long convolutions.
 * Filters:
 * - `implicit`: an MLP on emb_dim positional features, emb_dim → fw → fw → C·d (biases; the last bias plays
 *   safari's per-channel filter bias). Safari's Sin frequencies and decay modulation are not counted.
 * - `modal` (StripedHyena, togethercomputer/stripedhyena `ParallelHyenaFilter`): per channel S complex poles p and
 *   residues R, h[t] = Re Σ_s R_s·p_s^t, plus a skip D: 4·S + 1 parameters per channel and long convolution.
 * Prefill long convolutions use FFTs of length 2L: a real FFT of n points costs ≈ 2.5·n·log2 n FLOPs (half of
 * Cooley–Tukey's 5·n·log2 n); input + filter + inverse FFT = 3 per channel per filter, FFT_CONST·log2(2L) per token.
 * Decode (`decode`), the three forms of the literature:
 * - `direct`: cache every earlier input of each long convolution, y = Σ h[L−s]·z[s] (2·C·d·L FLOPs; grows with L);
 * - `fft`: the same cache, the step's output from one FFT convolution over it (3 FFTs of 2(L+1) points);
 * - `recurrent`: the modal form as a diagonal recurrence x ← p·x + u, y = Re Σ R·x + D·u (StripedHyena
 *   `engine.step_iir`): a constant state of S complex numbers per channel. Exact only for modal filters
 *   (an implicit filter must first be distilled into one: Massaroli et al. 2023, "Laughing Hyena").
 * `auto` decodes modal filters recurrently (StripedHyena's released inference) and implicit ones directly.
 */
import type { Args, ArgIssue, BlockKind, ContextClass, DecodeState } from './types';
import { byteWidths, dModel, decodeTraffic, num, str } from './formulas';
import { arg } from './probeScale';

/** FLOPs per channel per filter per token of an FFT long convolution is FFT_CONST·log2(2L). */
export const FFT_CONST = 15;

export type HyenaDecode = 'direct' | 'fft' | 'recurrent';

/** The decode form of one use: `auto` is recurrent for modal filters, direct for implicit ones. */
export function hyenaDecode(args: Args): HyenaDecode {
  const m = str(args, 'decode');
  if (m === 'direct' || m === 'fft' || m === 'recurrent') return m;
  return str(args, 'filter') === 'modal' ? 'recurrent' : 'direct';
}

/** Long convolutions C: N (paper) or N − 1 (safari / StripedHyena code). */
export function hyenaConvs(args: Args): number {
  return num(args, 'order') - (str(args, 'style') === 'safari' ? 1 : 0);
}

function classify(args: Args): { context: ContextClass; decodeState: DecodeState } {
  return hyenaDecode(args) === 'recurrent' ? { context: 'recurrent', decodeState: 'state' } : { context: 'attention', decodeState: 'kv-cache' };
}

function validate(args: Args): ArgIssue[] {
  const out: ArgIssue[] = [];
  if (hyenaConvs(args) < 1) out.push({ message: 'style safari needs order ≥ 2 (it runs order − 1 long convolutions)', arg: 'order' });
  if (str(args, 'decode') === 'recurrent' && str(args, 'filter') !== 'modal') {
    out.push({ message: 'an implicit filter has no exact recurrent form: use filter: modal (distilled, as StripedHyena) or decode: direct / fft', arg: 'decode' });
  }
  return out;
}

/** Filter parameters and the FLOPs per token of producing the filter (and the modal skip D·z). */
function filterCost(args: Args, d: number, C: number): { params: number; flops: number; line: string } {
  if (str(args, 'filter') === 'modal') {
    const S = num(args, 'state_size');
    return { params: C * d * (4 * S + 1), flops: 2 * C * d * (2 * S + 1), line: `modal filter C·d·(4·S + 1), S = ${S}` };
  }
  const fw = num(args, 'filter_width');
  const mlp = num(args, 'emb_dim') * fw + fw * fw + fw * C * d;
  return { params: mlp + 2 * fw + C * d, flops: 2 * mlp, line: 'filter MLP (e·fw + fw² + fw·C·d + biases)' };
}

export const hyena: BlockKind = {
  name: 'hyena',
  summary: 'Hyena operator: gated long convolutions (FFT in prefill); implicit or modal filters; direct, FFT or recurrent decode.',
  needs: ['d_model'],
  context: 'attention',
  decodeState: 'kv-cache',
  classify,
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w) => { a.filter_width = Math.max(2, Math.round(arg(a, 'filter_width') / w)); },
  params: [
    { name: 'order', type: 'int', default: 2, min: 1, doc: 'Hyena order N: N+1 projections (and N long convolutions, N−1 with style safari).' },
    { name: 'style', type: 'enum', default: 'paper', values: ['paper', 'safari'], doc: 'paper: N long convolutions (Def. 3.1); safari: gate x¹ ⊙ v first, N−1 convolutions (safari / StripedHyena code).' },
    { name: 'filter', type: 'enum', default: 'implicit', values: ['implicit', 'modal'], doc: 'implicit: MLP on positional features (safari); modal: S complex poles and residues per channel plus a skip D (StripedHyena).' },
    { name: 'state_size', type: 'int', default: 2, min: 1, doc: 'Modal order S per channel (StripedHyena-7B: 2).' },
    { name: 'decode', type: 'enum', default: 'auto', values: ['auto', 'direct', 'fft', 'recurrent'],
      doc: 'Decode step: direct convolution over a cache of inputs, FFT over that cache, or the modal recurrence (constant state); auto: recurrent for modal filters, direct otherwise.' },
    { name: 'filter_width', type: 'int', default: 64, min: 1, doc: 'Hidden width of the implicit filter MLP (safari filter_order).' },
    { name: 'emb_dim', type: 'int', default: 3, min: 1, doc: 'Positional features fed to the filter MLP (safari default 3: t plus one sin/cos band).' },
    { name: 'short_conv', type: 'int', default: 3, min: 1, doc: 'Kernel of the short depthwise conv on the projections (with bias).' },
  ],
  validate,
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const N = num(args, 'order');
    const C = hyenaConvs(args);
    const k = num(args, 'short_conv');
    const L = ctx.seq;
    const mode = hyenaDecode(args);
    const proj = (N + 1) * d * d + d * d;
    const filter = filterCost(args, d, C);
    const params = proj + (N + 1) * d + d + (N + 1) * d * (k + 1) + filter.params;
    const shortFlops = 2 * (N + 1) * d * k;
    const fftFlops = C * d * FFT_CONST * Math.log2(2 * Math.max(1, L));
    const { weight, kv, state } = byteWidths(dims);
    const step = stepCost(args, C * d, L);
    const shortState = (N + 1) * d * (k - 1);
    const cacheBytes = step.cacheElems * (mode === 'recurrent' ? state : kv) + shortState * kv;
    const stepWeights = (params - filter.params) * weight + step.filterElems * weight;
    return {
      params,
      active: params,
      prefillFlops: 2 * proj + shortFlops + filter.flops + fftFlops,
      decodeFlops: 2 * proj + shortFlops + step.flops,
      cacheBytes,
      weightBytes: params * weight,
      hostWeightBytes: 0,
      decodeBytes: decodeTraffic(stepWeights, cacheBytes, (C * d + (N + 1) * d) * kv, ctx),
      hostDecodeBytes: 0,
      formula: [
        `params = (N+1)·d² + d² + biases + (N+1)·d·(short_conv+1) + ${filter.line} = ${params}   (C = ${C} long convs)`,
        `prefill FLOPs/token = 2·proj + 2·(N+1)·d·short_conv + filter + C·d·${FFT_CONST}·log2(2L) (FFT conv)`,
        `decode FLOPs = 2·proj + short conv + ${step.line}`,
        `${mode === 'recurrent' ? 'state' : 'cache'} = ${step.cacheLine} + (N+1)·d·(short_conv−1) = ${cacheBytes} B${mode === 'recurrent' ? ' (constant in L)' : ' (grows with L)'}`,
      ],
    };
  },
};

/** One decode step's long-convolution FLOPs, cache elements and filter elements read, for Cd = C·d channels. */
function stepCost(args: Args, Cd: number, L: number): { flops: number; cacheElems: number; filterElems: number; line: string; cacheLine: string } {
  const mode = hyenaDecode(args);
  const skip = str(args, 'filter') === 'modal' ? 2 * Cd : 0;
  if (mode === 'recurrent') {
    const S = num(args, 'state_size');
    // x ← p·x + u: one complex × complex product (4 MACs) per state; y = Re Σ R·x (2 MACs) + D·u.
    return { flops: Cd * 12 * S + skip, cacheElems: Cd * 2 * S, filterElems: Cd * (4 * S + 1),
      line: `C·d·(12·S + 2) (modal recurrence, S = ${S})`, cacheLine: `C·d·2·S = ${Cd}·${2 * S} state values` };
  }
  const cacheLine = `C·d·L = ${Cd}·${L} cached inputs`;
  if (mode === 'fft') {
    const P = L + 1;
    return { flops: Cd * FFT_CONST * P * Math.log2(2 * P) + skip, cacheElems: Cd * L, filterElems: 0, line: `C·d·${FFT_CONST}·(L+1)·log2(2(L+1)) (FFT over the cache)`, cacheLine };
  }
  return { flops: 2 * Cd * L + skip, cacheElems: Cd * L, filterElems: Cd * L, line: `2·C·d·L (direct conv over the cache) = 2·${Cd}·${L}`, cacheLine };
}
