/**
 * `h3`: the Hungry Hungry Hippos layer of Fu, Dao et al. 2023 ("Hungry Hungry Hippos: Towards Language Modeling with
 * State Space Models", ICLR 2023, arXiv 2212.14052, §3.1 Fig. 1 / Algorithm 1); parameters as HazyResearch/H3
 * `src/models/ssm/h3.py` (class H3, __init__) with its kernels `ss_kernel.py` (SSKernel), `ss_kernel_shift.py`
 * (SSKernelShift) and `ss_kernel_diag.py` (SSKernelDiag):
 * - q_proj, k_proj, v_proj, output_linear: nn.Linear(d, d) with bias each: 4d² + 4d;
 * - shift SSM on K (SSKernel mode 'shift'): SSKernelShift registers B (d × N, initialised to e₁) and C (1 × d × N),
 *   both trained (OptimModule.register makes a parameter unless lr = 0): 2dN; its skip ssm_k_D: d;
 * - diagonal SSM on K⊙V (SSKernel mode 'diag', H = d / head_dim channels, N/2 complex modes): C and B H·N/2 complex
 *   each (2·H·N reals), inv_A_real and A_imag H·N/2 each, log_dt H; its skip D: H — H·(3N + 2).
 * params = 4d² + 4d + 2dN + d + H·(3N + 2). Check: d 768, N 64, head_dim 1: 2,610,432 per layer, and H3-125M
 * (12 layers, attention at layer 6) totals 126,387,456 — the count the H3 README prints for its 125M checkpoint.
 * Per token, with head_dim h: the SSM runs on K⊙V of C = H·h² = d·h channels (the outer product per head):
 * - projections 8d²; shift SSM as a causal depthwise convolution of N taps 2dN (its kernel has N non-zero taps;
 *   h3.py computes it by FFT) + skip 2d; K⊙V 2dh; diagonal kernel taps 2·H·N (Vandermonde: 2·(N/2) MACs per head and
 *   position, as s4d.ts); FFT convolution 5·log2(2L) per transform (hyena.ts's FFT_CONST / 3), one transform of K⊙V
 *   and one inverse per channel C plus one of the kernel per head H; skip D 2C; the product with Q summed over
 *   d1: 2dh.
 * Decode (H3.step): shift state = the last N − 1 inputs of K per channel (the shift register; the convolution over
 * them is 2dN); the diagonal recurrence over N/2 complex modes per channel C (12 FLOPs per complex mode + 2 for D,
 * as s4d.ts): state d·(N − 1) + C·N reals, constant in L.
 */
import type { BlockKind } from './types';
import { byteWidths, dModel, num, recurrentCost } from './formulas';
import { FFT_CONST } from './hyena';
import { arg, divisorAtMost, scaleEvenState } from './probeScale';

/** FLOPs of one real FFT of 2L points per token (hyena's FFT_CONST counts three per channel). */
const FFT_ONE = FFT_CONST / 3;

export const h3: BlockKind = {
  name: 'h3',
  summary: 'H3 (Fu, Dao et al. 2023): q, k, v projections, a shift SSM on k, a diagonal SSM on k⊙v per head, times q, output projection.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    scaleEvenState(a, w);
    if (arg(a, 'head_dim') > 1) a.head_dim = divisorAtMost(d, Math.max(1, Math.round(arg(a, 'head_dim') / w)));
  },
  params: [
    { name: 'd_state', type: 'int', default: 64, min: 2, doc: 'State size N: taps of the shift SSM and N/2 complex modes of the diagonal SSM (h3.py default 64; even).' },
    { name: 'head_dim', type: 'int', default: 1, min: 1, doc: 'Head dimension h: the diagonal SSM runs on the h × h outer product K⊙V of each of the d/h heads (h3.py default 1).' },
  ],
  validate(args, dims) {
    const N = num(args, 'd_state'), h = num(args, 'head_dim'), d = dims.d_model ?? 0;
    const issues = [];
    if (N % 2 !== 0) issues.push({ arg: 'd_state', message: `d_state (${N}) must be even: N/2 complex modes` });
    if (d > 0 && d % h !== 0) issues.push({ arg: 'head_dim', message: `head_dim (${h}) must divide d_model (${d})` });
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims), N = num(args, 'd_state'), h = num(args, 'head_dim'), H = d / h, C = d * h;
    const params = 4 * d * d + 4 * d + 2 * d * N + d + H * (3 * N + 2);
    const proj = 8 * d * d, shift = 2 * d * N + 2 * d, prods = 2 * C + 2 * C;
    const fft = FFT_ONE * Math.log2(2 * Math.max(1, ctx.seq)) * (2 * C + H);
    const prefill = proj + shift + prods + 2 * H * N + 2 * C + fft;
    const decode = proj + shift + prods + C * (6 * N + 2);
    const state = d * (N - 1) + C * N;
    const cost = recurrentCost(dims, ctx, {
      params, flops: decode, stateElems: state,
      formula: [
        `params = 4d² + 4d (q, k, v, output_linear) + 2dN + d (shift SSM B, C, D) + H·(3N + 2) (diagonal SSM C, B, A, log_dt, D) = ${params} (d = ${d}, N = ${N}, H = d/h = ${H})`,
        `prefill FLOPs/token = 8d² + 2dN + 2d (shift conv, skip) + 4dh (K⊙V, ·Q) + 2HN + 2C (kernel, skip) + (2C + H)·${FFT_ONE}·log2(2L) (FFT conv, C = dh = ${C}) = ${Math.round(prefill)}`,
        `decode FLOPs = 8d² + 2dN + 2d + 4dh + C·(6N + 2) (diagonal recurrence) = ${decode}, constant in L`,
        `state = d·(N − 1) (shift register) + C·N (diagonal modes) = ${state} reals × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
    return { ...cost, prefillFlops: prefill };
  },
};
