/**
 * `s4`: the structured state space layer of Gu, Goel & Ré 2022 ("Efficiently Modeling Long Sequences with
 * Structured State Spaces", ICLR 2022, arXiv 2111.00396) with its DPLR state matrix A = Λ − P·P* (§3.2, Thm 1), as
 * state-spaces/s4 `models/s4/s4.py`: S4Block(d_model) → FFTConv(mode 'dplr', channels 1, activation GELU) →
 * SSMKernelDPLR (d_state 64, rank 1, dt_tie: one Δ per channel), then output_linear = Linear(H, 2H) + GLU.
 * Parameters per channel (SSMKernelDiag.register_params + SSMKernelDPLR.register_params; N/2 complex = N reals):
 * inv_dt 1, C N, B N, A_real N/2, A_imag N/2, P r·N; FFTConv.D 1; output_linear 2H² + 2H:
 * params = 2H² + 4H + (3 + r)·H·N. Check: H 128, N 64, r 1: 66,048.
 * Prefill per sequence of L (SSMKernelDPLR.forward; the paper's Algorithm 1): the truncated generating function at
 * the ⌊L/2⌋ + 1 rfft nodes by Cauchy products r = Σ v/(z − λ) over all N poles (both conjugates) for each of the
 * (1 + r)² pairs of (B, P) × (C̃, P*) (rank 1: the "4 Cauchy multiplies" of §3.3 Theorem 3) — counted as one
 * complex multiply-add (4 real MACs) per pole, node and pair, as the reference's naive/keops/CUDA kernels compute
 * them (Theorem 3's Õ(N + L) needs a fast Cauchy algorithm the reference does not use); the Woodbury correction
 * r00 − r01·r10/(1 + r11) per node (O(L), not counted); an inverse FFT of L points (2.5·L·log2 L); then the FFT
 * convolution of length 2L (hyena's FFT_CONST·log2(2L) per channel). C̃ = (I − Ā^L)*C
 * (Algorithm 1, line 1) is a one-off in the reference (`_setup_C` trains C̃ in place): not counted.
 * Decode (SSMKernelDPLR._step_state_linear; §3.3 Theorem 2: one recurrent step in O(N) by Woodbury): bilinear
 * x ← D̄·(E·x − P·(P*x) + 2B·u − P·R*(…)) with the Woodbury factor R, y = 2·Re(C·x) + D·u over N/2 complex modes:
 * per mode 2 complex products (E·x, D̄·…) 8 real MACs, the input 2, the output 2, and 4 per rank (P*x, P·s,
 * R*y, P·t) — 2·((4r + 6)·N + 1) FLOPs per channel; state H·N reals (N/2 complex), constant in L.
 */
import type { BlockKind, CostContext } from './types';
import { byteWidths, dModel, num, recurrentCost } from './formulas';
import { FFT_CONST } from './hyena';
import { scaleEvenState } from './probeScale';

/** Per-channel prefill FLOPs per token of the S4 kernel and convolution at sequence length L (module comment). */
export function s4KernelFlops(N: number, r: number, ctx: CostContext): number {
  const L = Math.max(1, ctx.seq);
  const cauchy = (2 * 4 * (1 + r) ** 2 * N * (Math.floor(L / 2) + 1)) / L;
  return cauchy + 2.5 * Math.log2(L) + FFT_CONST * Math.log2(2 * L);
}

export const s4: BlockKind = {
  name: 's4',
  summary: 'S4 (Gu et al. 2022): DPLR (normal plus low-rank) SSM per channel, Cauchy kernel + FFT convolution in prefill, O(N) recurrent decode; GELU + GLU output.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: scaleEvenState,
  params: [
    { name: 'd_state', type: 'int', default: 64, min: 2, doc: 'State size N per channel: N/2 complex modes (SSMKernel default 64; even).' },
    { name: 'rank', type: 'int', default: 1, min: 1, doc: 'Rank r of the low-rank term P (SSMKernel default 1; HiPPO-LegS needs 1).' },
  ],
  validate(args) {
    const N = num(args, 'd_state');
    return N % 2 !== 0 ? [{ arg: 'd_state', message: `d_state (${N}) must be even: N/2 complex modes` }] : [];
  },
  cost(args, dims, ctx) {
    const H = dModel(dims), N = num(args, 'd_state'), r = num(args, 'rank');
    const params = 2 * H * H + 4 * H + (3 + r) * H * N;
    const out = 2 * 2 * H * H;
    const prefill = out + 2 * H + H * s4KernelFlops(N, r, ctx);
    const decode = out + H * 2 * ((4 * r + 6) * N + 1);
    const cost = recurrentCost(dims, ctx, {
      params, flops: decode, stateElems: H * N,
      formula: [
        `params = 2H² + 2H (output_linear) + H (D) + H (log Δ) + H·N (C) + H·N (B) + H·N (Λ) + r·H·N (P) = ${params} (H = ${H}, N = ${N}, r = ${r})`,
        `prefill FLOPs/token = 4H² + 2H (skip) + H·[8·(1 + r)²·N·(⌊L/2⌋ + 1)/L (Cauchy) + 2.5·log2 L (inverse FFT) + ${FFT_CONST}·log2(2L) (FFT conv)] = ${Math.round(prefill)}`,
        `decode FLOPs = 4H² + H·2·((4r + 6)·N + 1) (O(N) DPLR step, Woodbury) = ${decode}, constant in L`,
        `state = H·N = ${H * N} reals × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
    return { ...cost, prefillFlops: prefill };
  },
};
