/**
 * `s4d`: the diagonal state space layer of Gu, Gupta, Goel & Ré 2022, "On the Parameterization and Initialization
 * of Diagonal State Space Models" (NeurIPS 2022, arXiv 2206.11893); parameters as state-spaces/s4
 * `models/s4/s4d.py` (`S4D` + `S4DKernel`): per channel (H = d_model) log_dt, N/2 complex C (stored as N reals),
 * log_A_real and A_imag (N/2 each), the skip D; then GELU and output_linear = Conv1d(H → 2H, kernel 1, bias) + GLU.
 * params = 2H² + 2H (output_linear) + H (log_dt) + H·N (C) + H·N (A) + H (D) = 2H² + 2H·N + 4H.
 * Check: H 128, N 64: 49,664.
 * Prefill: the kernel K[l] = 2·Re Σ_n C_n·(e^{dtA_n} − 1)/A_n·e^{dtA_n·l} (Vandermonde: 2·(N/2) MACs per channel and
 * position, as hyena's modal filter) and an FFT convolution of length 2L (hyena's FFT_CONST·log2(2L) per channel).
 * Decode: the same system as a diagonal recurrence x ← e^{dtA}·x + u, y = Re Σ C̃·x + D·u over N/2 complex states per
 * channel (hyena's `recurrent` decode: 12 FLOPs per complex state + 2 for the skip): constant state H·N reals.
 */
import type { BlockKind } from './types';
import { byteWidths, dModel, num, recurrentCost } from './formulas';
import { FFT_CONST } from './hyena';
import { scaleEvenState } from './probeScale';

export const s4d: BlockKind = {
  name: 's4d',
  summary: 'S4D (Gu et al. 2022): diagonal SSM per channel, FFT convolution in prefill, recurrent decode; GELU + GLU output.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: scaleEvenState,
  params: [
    { name: 'd_state', type: 'int', default: 64, min: 2, doc: 'State size N per channel: N/2 complex modes (s4d.py default 64; even).' },
  ],
  validate(args) {
    const N = num(args, 'd_state');
    return N % 2 !== 0 ? [{ arg: 'd_state', message: `d_state (${N}) must be even: N/2 complex modes` }] : [];
  },
  cost(args, dims, ctx) {
    const H = dModel(dims), N = num(args, 'd_state'), S = N / 2;
    const params = 2 * H * H + 2 * H * N + 4 * H;
    const out = 2 * 2 * H * H;
    const fft = H * FFT_CONST * Math.log2(2 * Math.max(1, ctx.seq));
    const prefill = out + 2 * H * (2 * S + 1) + fft;
    const decode = out + H * (12 * S + 2);
    const cost = recurrentCost(dims, ctx, {
      params, flops: decode, stateElems: H * N,
      formula: [
        `params = 2H² + 2H (output_linear) + H (log_dt) + H·N (C) + H·N (log_A_real, A_imag) + H (D) = ${params} (H = ${H}, N = ${N})`,
        `prefill FLOPs/token = 4H² + 2·H·(N + 1) (kernel, skip) + H·${FFT_CONST}·log2(2L) (FFT conv) = ${Math.round(prefill)}`,
        `decode FLOPs = 4H² + H·(6·N + 2) (diagonal recurrence over N/2 complex modes) = ${decode}, constant in L`,
        `state = H·N = ${H * N} reals × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
    return { ...cost, prefillFlops: prefill };
  },
};
