/**
 * `gated_deltanet`: Gated DeltaNet, Yang, Kautz & Hatamizadeh 2025, "Gated Delta Networks: Improving Mamba2
 * with Delta Rule" (ICLR 2025, arXiv 2412.06464); parameters as HF transformers `Qwen3NextGatedDeltaNet` (the
 * linear-attention layers of Qwen3-Next): in_proj_qkvz d×(2·Hk·dk + 2·Hv·dv), in_proj_ba d×2Hv, a causal
 * depthwise conv over q, k, v (no bias), dt_bias and A_log (Hv each), a gated RMSNorm weight dv shared over heads,
 * out_proj Hv·dv×d; no biases. Check: Qwen3-Next-80B-A3B layer 33,718,464, state 548,864 elements.
 * Per value head (state S dk×dv; value heads share key heads in groups of Hv/Hk, q and k L2-normalised):
 * S ← α·S, r = Sᵀk, S ← S + k·(β·(v − r))ᵀ, o = Sᵀq, i.e. S_t = α_t·S_{t−1}(I − β_t·k_t·k_tᵀ) + β_t·v_t·k_tᵀ
 * in the paper's orientation, α_t = exp(−exp(A_log)·softplus(a_t + dt_bias)), β_t = sigmoid(b_t).
 * State MACs: 4 per state element (decay, retrieval Sᵀk, rank-1 update, read-out), as the other recurrent
 * kinds count theirs; gates, L2 norms and the output norm are elementwise and not counted.
 *
 * `deltanet`: the ungated delta rule, Schlag, Irie & Schmidhuber 2021 ("Linear Transformers Are Secretly Fast Weight
 * Programmers", arXiv 2102.11174, eq. 23-25) as parallelised by Yang et al. 2024 (arXiv 2406.06484); parameters as
 * fla `fla/layers/delta_net.py` `DeltaNet`: q_proj, k_proj d×H·dk, v_proj d×H·dv, b_proj d×H (use_beta), three
 * ShortConvolutions (depthwise, no bias) over q, k, v with SiLU, an RMSNorm over dv (o_norm; with use_gate a g_proj
 * d×H·dv and the gated norm of the same weight), o_proj H·dv×d; no biases, and none of Gated DeltaNet's decay
 * (no A_log, dt_bias, α projection). Per head: S ← S + k·(β·(v − Sᵀk))ᵀ, o = Sᵀq, i.e. S_t = S_{t−1}(I − β_t k_t k_tᵀ)
 * + β_t v_t k_tᵀ (q, k L2-normalised). State MACs: 3 per state element (retrieval, rank-1 update, read-out).
 * Check: fla-hub/delta_net-1.3B-100B, layer 16,834,688.
 */
import type { ArgIssue, Args, BlockKind, Dims } from './types';
import { bool, byteWidths, dModel, num, recurrentCost } from './formulas';
import { arg, divisorAtMost, down, scaleArgs } from './probeScale';

/** Head counts and widths with their defaults: Hk = heads, dk = d / Hk, dv = dk. */
function shape(args: Args, dims: Dims) {
  const Hv = num(args, 'heads');
  const Hk = num(args, 'key_heads') || Hv;
  const dk = num(args, 'head_dim') || dModel(dims) / Hk;
  const dv = num(args, 'value_head_dim') || dk;
  return { Hv, Hk, dk, dv, k: num(args, 'd_conv') };
}

export const gatedDeltanet: BlockKind = {
  name: 'gated_deltanet',
  summary: 'Gated DeltaNet (Qwen3-Next linear attention): gated delta-rule recurrence with a dk×dv state per value head.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    const Hv = arg(a, 'heads');
    const Hk = arg(a, 'key_heads') || Hv;
    const k = down(Hk, w);
    a.heads = k * (Hv / Hk);
    if (a.key_heads !== undefined) a.key_heads = k;
    scaleArgs(a, w, 'head_dim', 'value_head_dim');
    if (!arg(a, 'head_dim') && d % k !== 0) a.head_dim = Math.max(1, Math.floor(d / k));
  },
  params: [
    { name: 'heads', type: 'int', required: true, min: 1, doc: 'Value heads Hv, each with its own state, decay α and β (HF linear_num_value_heads).' },
    { name: 'key_heads', type: 'int', min: 1, doc: 'Query/key heads Hk, shared by Hv/Hk value heads each (default: heads; HF linear_num_key_heads).' },
    { name: 'head_dim', type: 'int', min: 1, doc: 'Query/key head dimension dk (default: d_model / key_heads).' },
    { name: 'value_head_dim', type: 'int', min: 1, doc: 'Value head dimension dv (default: head_dim).' },
    { name: 'd_conv', type: 'int', default: 4, min: 1, doc: 'Causal depthwise conv kernel width over q, k, v (no bias).' },
  ],
  validate(args, dims) {
    const issues: ArgIssue[] = [];
    const Hv = num(args, 'heads');
    const Hk = num(args, 'key_heads') || Hv;
    const d = dModel(dims);
    if (Hk > 0 && Hv % Hk !== 0) issues.push({ arg: 'key_heads', message: `key_heads (${Hk}) must divide heads (${Hv})` });
    if (args.head_dim === undefined && Hk > 0 && d % Hk !== 0) {
      issues.push({ arg: args.key_heads === undefined ? 'heads' : 'key_heads', message: `key heads (${Hk}) must divide d_model (${d}) unless head_dim is given` });
    }
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const { Hv, Hk, dk, dv, k } = shape(args, dims);
    const convDim = 2 * Hk * dk + Hv * dv;
    const matmul = d * (convDim + Hv * dv) + d * 2 * Hv + Hv * dv * d;
    const params = matmul + convDim * k + 2 * Hv /* dt_bias, A_log */ + dv /* gated norm */;
    const S = Hv * dk * dv;
    const flops = 2 * matmul + 2 * convDim * k + 8 * S;
    const stateElems = convDim * (k - 1) + S;
    return recurrentCost(dims, ctx, {
      params, flops, stateElems,
      formula: [
        `params = d·(2·Hk·dk + 2·Hv·dv) + d·2Hv + (2·Hk·dk + Hv·dv)·d_conv + 2Hv + dv + Hv·dv·d = ${params}` +
          ` (Hk = ${Hk}, dk = ${dk}, Hv = ${Hv}, dv = ${dv})`,
        `FLOPs/token = 2·matmul + 2·(2·Hk·dk + Hv·dv)·d_conv + 8·Hv·dk·dv (4 MACs per state element: decay,` +
          ` retrieval, delta update, read-out) = ${flops}, constant in L`,
        `state = (2·Hk·dk + Hv·dv)·(d_conv−1) + Hv·dk·dv = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};

/** fla DeltaNet widths: dk = head_dim (default d / H, fla expand_k 1), dv = value_head_dim (default dk). */
function plainShape(args: Args, dims: Dims) {
  const H = num(args, 'heads');
  const dk = num(args, 'head_dim') || dModel(dims) / H;
  return { H, dk, dv: num(args, 'value_head_dim') || dk, k: num(args, 'd_conv'), beta: bool(args, 'beta'), gate: bool(args, 'gate') };
}

export const deltanet: BlockKind = {
  name: 'deltanet',
  summary: 'DeltaNet (fla): the ungated delta rule, a dk×dv fast-weight state per head updated by S ← S + k·(β·(v − Sᵀk))ᵀ.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    if (arg(a, 'head_dim')) scaleArgs(a, w, 'heads', 'head_dim', 'value_head_dim');
    else { a.heads = divisorAtMost(d, down(arg(a, 'heads'), w)); scaleArgs(a, w, 'value_head_dim'); }
  },
  params: [
    { name: 'heads', type: 'int', required: true, min: 1, doc: 'Heads H, each with its own dk×dv state and β (fla num_heads).' },
    { name: 'head_dim', type: 'int', min: 1, doc: 'Query/key head dimension dk (default: d_model / heads; fla expand_k·d / H).' },
    { name: 'value_head_dim', type: 'int', min: 1, doc: 'Value head dimension dv (default: head_dim; fla expand_v·d / H).' },
    { name: 'd_conv', type: 'int', default: 4, min: 0, doc: 'Short causal depthwise conv width over q, k, v (no bias; fla conv_size); 0 = none (use_short_conv: false).' },
    { name: 'beta', type: 'bool', default: true, doc: 'Learned write strength β = sigmoid(b_proj x), d×H (fla use_beta); false: β = 1.' },
    { name: 'gate', type: 'bool', default: false, doc: 'Output gate: g_proj d×H·dv into the gated RMSNorm (fla use_gate).' },
  ],
  validate(args, dims) {
    const H = num(args, 'heads');
    const d = dModel(dims);
    if (args.head_dim !== undefined || H <= 0 || d % H === 0) return [];
    return [{ arg: 'heads', message: `heads (${H}) must divide d_model (${d}) unless head_dim is given` }];
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const { H, dk, dv, k, beta, gate } = plainShape(args, dims);
    const convDim = 2 * H * dk + H * dv;
    const matmul = d * convDim + (beta ? d * H : 0) + (gate ? d * H * dv : 0) + H * dv * d;
    const params = matmul + convDim * k + dv /* o_norm */;
    const S = H * dk * dv;
    const flops = 2 * matmul + 2 * convDim * k + 6 * S;
    const stateElems = convDim * Math.max(0, k - 1) + S;
    return recurrentCost(dims, ctx, {
      params, flops, stateElems,
      formula: [
        `params = d·(2·H·dk + H·dv) (q, k, v)${beta ? ' + d·H (β)' : ''}${gate ? ' + d·H·dv (gate)' : ''} + (2·H·dk + H·dv)·d_conv + dv (norm)` +
          ` + H·dv·d = ${params} (H = ${H}, dk = ${dk}, dv = ${dv})`,
        `FLOPs/token = 2·matmul + 2·(2·H·dk + H·dv)·d_conv + 6·H·dk·dv (3 MACs per state element: retrieval, delta update,` +
          ` read-out; no decay) = ${flops}, constant in L`,
        `state = (2·H·dk + H·dv)·(d_conv−1) + H·dk·dv = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};
