/**
 * `gla`: Gated Linear Attention, Yang, Wang, Shen, Panda & Kim 2024, "Gated Linear Attention Transformers with
 * Hardware-Efficient Training" (ICML 2024, arXiv 2312.06635); parameters as fla `GatedLinearAttention`
 * (fla-org/flash-linear-attention fla/layers/gla.py, defaults: no short conv, one KV group, output gate with a fused
 * RMSNorm-swish gate): q_proj, k_proj d×dk, v_proj, g_proj d×dv, gk_proj low rank d×r then r×dk with bias, o_proj
 * dv×d, no other biases, RMSNorm weight of the value head width dv/H. dk = expand_k·d, dv = expand_v·d.
 * Check: GLA 1.3B layer (d 2048, H 4, expand_k 0.5, expand_v 1, r 16) 16,827,904.
 * Per head (S dk/H × dv/H): S ← diag(α)·S + kᵀv, o = q·S, α = exp(logσ(gk)/16): 3 MACs per state element (decay,
 * update, read-out), as the other recurrent kinds count theirs; the norm and the swish gate are elementwise.
 */
import type { ArgIssue, Args, BlockKind, Dims } from './types';
import { byteWidths, dModel, num, recurrentCost } from './formulas';
import { arg, divisorAtMost, down, scaleArgs } from './probeScale';

function shape(args: Args, dims: Dims) {
  const d = dModel(dims);
  return { d, H: num(args, 'heads'), dk: Math.floor(num(args, 'expand_k') * d), dv: Math.floor(num(args, 'expand_v') * d), r: num(args, 'gate_low_rank') };
}

export const gla: BlockKind = {
  name: 'gla',
  summary: 'Gated Linear Attention (Yang et al. 2024): linear attention with a data-dependent per-key-channel decay.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    scaleArgs(a, w, 'gate_low_rank');
    const dk = Math.floor((typeof a.expand_k === 'number' ? a.expand_k : 0.5) * d);
    a.heads = divisorAtMost(dk, down(arg(a, 'heads'), w));
  },
  params: [
    { name: 'heads', type: 'int', default: 4, min: 1, doc: 'Heads H, each with a (dk/H)×(dv/H) state (fla default 4).' },
    { name: 'expand_k', type: 'number', default: 0.5, min: 0, doc: 'Key width dk = expand_k·d_model (fla default 0.5).' },
    { name: 'expand_v', type: 'number', default: 1, min: 0, doc: 'Value width dv = expand_v·d_model (fla default 1).' },
    { name: 'gate_low_rank', type: 'int', default: 16, min: 1, doc: 'Rank r of the decay projection gk_proj (d×r, r×dk + bias; fla default 16).' },
  ],
  validate(args, dims) {
    const { H, dk, dv } = shape(args, dims);
    const issues: ArgIssue[] = [];
    if (H > 0 && (dk % H !== 0 || dv % H !== 0)) issues.push({ arg: 'heads', message: `heads (${H}) must divide the key (${dk}) and value (${dv}) widths` });
    return issues;
  },
  cost(args, dims, ctx) {
    const { d, H, dk, dv, r } = shape(args, dims);
    const matmul = 2 * d * dk + 2 * d * dv + d * r + r * dk + dv * d;
    const params = matmul + dk /* gk bias */ + dv / H /* norm */;
    const S = dk * dv / H;
    const flops = 2 * matmul + 6 * S;
    return recurrentCost(dims, ctx, {
      params, flops, stateElems: S,
      formula: [
        `params = 2·d·dk (q, k) + 2·d·dv (v, g) + d·r + r·dk + dk (gk_proj) + dv·d (o) + dv/H (norm) = ${params} (dk = ${dk}, dv = ${dv}, H = ${H}, r = ${r})`,
        `FLOPs/token = 2·matmul + 6·dk·dv/H (decay, update, read-out) = ${flops}, constant in L`,
        `state = H·(dk/H)·(dv/H) = ${S} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};
