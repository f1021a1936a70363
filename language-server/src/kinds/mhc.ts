/**
 * Hyper-connections: the residual stream widened to n streams, x ∈ R^{n×d}, mixed around each sublayer F:
 * x_{l+1} = H^res·x_l + H^postᵀ·F(H^pre·x_l). Sources: Zhu et al. 2025 (HC, arXiv 2409.19606; static HC
 * adds n·(n+2) parameters per module, App. B) and DeepSeek mHC (arXiv 2512.24880, §4.2 Eqs. 7–19):
 * coefficients from RMSNorm(vec x)·φ with φ ∈ R^{nd×(n²+2n)}, biases b (n²+2n) and 3 gains α, then
 * H^pre = σ(·), H^post = 2σ(·), H^res = Sinkhorn–Knopp (t_max = 20). One instance wraps one sublayer.
 * FLOPs/token: 2·n·d·(n²+2n) coefficient projection (dynamic only) + 2·n²·d H^res mixing + 4·n·d
 * pre/post + 2·n²·iters Sinkhorn (dynamic only; a static H^res is normalised once, not per token).
 * sinkhorn_iters 0 with dynamic coefficients: the unconstrained dynamic HC baseline (Zhu et al., "Hyper-Connections"),
 * H^res left unnormalised; same parameters.
 * Decode traffic adds the per-token activation I/O of mHC Table 2 (unfused HC): read (5n+1)·d + n²+2n,
 * write (3n+1)·d + n²+2n elements, in the model dtype. φ is held in the model dtype (the paper uses tf32).
 */
import type { BlockKind } from './types';
import { bool, byteWidths, denseCost, dModel, num } from './formulas';
import { unscaled } from './probeScale';

export const mhc: BlockKind = {
  name: 'mhc',
  summary: 'Hyper-connections / mHC: n residual streams mixed by (doubly stochastic) learned matrices.',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 0,
  role: 'residual',
  probe: unscaled,
  params: [
    { name: 'streams', type: 'int', default: 4, min: 1, doc: 'Expansion rate n: residual streams of width d_model.' },
    { name: 'dynamic', type: 'bool', default: true,
      doc: 'Input-dependent coefficients (mHC / dynamic HC): n·d·(n²+2n) + (n²+2n) + 3 params; false = static HC, n·(n+2).' },
    { name: 'sinkhorn_iters', type: 'int', default: 20, min: 0, doc: 'Sinkhorn–Knopp iterations projecting H^res onto doubly stochastic matrices.' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const n = num(args, 'streams');
    const dyn = bool(args, 'dynamic');
    const iters = num(args, 'sinkhorn_iters');
    const coeffs = n * n + 2 * n;
    const params = dyn ? n * d * coeffs + coeffs + 3 : coeffs;
    const flops = (dyn ? 2 * n * d * coeffs + 2 * n * n * iters : 0) + 2 * n * n * d + 4 * n * d;
    const { weight } = byteWidths(dims);
    const readElems = (5 * n + 1) * d + coeffs;
    const writeElems = (3 * n + 1) * d + coeffs;
    return denseCost(dims, ctx, {
      params, prefillFlops: flops, decodeFlops: flops,
      cacheReadPerSeq: readElems * weight,
      cacheWritePerSeq: writeElems * weight,
      formula: [
        dyn ? `params = n·d·(n²+2n) + (n²+2n) + 3 = ${n}·${d}·${coeffs} + ${coeffs} + 3` : `params = n·(n+2) = ${coeffs} (static HC)`,
        `FLOPs/token = ${dyn ? '2·n·d·(n²+2n) + 2·n²·iters + ' : ''}2·n²·d + 4·n·d = ${flops}`,
        `residual stream is ${n}× wider: n·d = ${n * d} values per token (activations, pipeline traffic)`,
        `decode I/O per token: read (5n+1)·d + n²+2n = ${readElems}, write (3n+1)·d + n²+2n = ${writeElems} elements (mHC Table 2)`,
      ],
    });
  },
};
