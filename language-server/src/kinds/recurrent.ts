/**
 * Linear-recurrent token mixers whose state is constant in context length.
 * `linear_attention`: Katharopoulos et al. 2020 (arXiv 2006.16236): S ← S + φ(k)ᵀv, y = φ(q)S per head; `style:
 *   lightning`: MiniMax-01's lightning attention (arXiv 2501.08313 §2.2; transformers `modeling_minimax.py`
 *   MiniMaxLightningAttention): qkv_proj d → 3·H·hd (SiLU), per-head fixed decay S ← λS + kᵀv, y = qS, RMSNorm over
 *   H·hd, sigmoid output_gate d → H·hd, out_proj; no normaliser: 5·d·H·hd + H·hd parameters.
 *   `feature_map: favor`: Performer FAVOR+ (Choromanski et al. 2021, arXiv 2009.14794, Lemma 1 / eq. 9-10):
 *   φ(x) = exp(ωᵢᵀx − ‖x‖²/2)/√m over m random features ωᵢ ~ N(0, I) per head (x scaled by hd^(−1/4)), so S is
 *   m×hd (+ the m normaliser Σφ(k)). The ω are drawn, not learned: performer-pytorch keeps them in a registered
 *   buffer `projection_matrix` (redrawn every `feature_redraw_interval` steps; paper §4.2 "redrawing"): 0 parameters.
 *   Default m = ⌊hd·ln hd⌋ (performer-pytorch `nb_features`; paper §2.3: m = Θ(d log d)).
 * `retnet`: Sun et al. 2023 (arXiv 2307.08621), as torchscale `MultiScaleRetention`: q, k d×d; v, gate d×vd;
 *   out vd×d, no biases; its per-head group norm has no affine weights (0 params). S ← γS + kᵀv, y = qS.
 * `rwkv_time_mix` / `rwkv_channel_mix`: RWKV-7 "Goose" (Peng et al. 2025, arXiv 2503.14456), parameters as
 *   fla `RWKV7Attention` / `RWKV7FeedForward`. State update S ← S·(diag(w) − κ̂ᵀ(a⊙κ̂)) + vᵀk, y = S·r.
 * State MACs: each product with a state element counts as a MAC (the recurrence is the kind's definition,
 * as in the Mamba scan): linear attention 2 per element (update, read-out),
 * lightning and RetNet 3 (decay, update, read-out), RWKV-7 5 (decay, S·κ̂ᵀ, outer product with a⊙κ̂, vᵀk, read-out).
 */
import type { ArgIssue, Args, BlockKind, CostContext, Dims } from './types';
import { dModel, num, recurrentCost, str } from './formulas';
import { arg, divisorAtMost, down, scaleArgs } from './probeScale';

function headsDivide(args: Args, dims: Dims, arg: 'heads' | 'head_dim'): ArgIssue[] {
  const d = dModel(dims);
  const n = num(args, arg);
  if (n <= 0 || d % n === 0) return [];
  return [{ arg, message: `${arg} (${n}) must divide d_model (${d})` }];
}

export const linearAttention: BlockKind = {
  name: 'linear_attention',
  summary: 'Linear attention (Katharopoulos 2020): a per-head hd×hd state replaces the KV cache.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    if (arg(a, 'head_dim')) scaleArgs(a, w, 'heads', 'head_dim');
    else a.heads = divisorAtMost(d, down(arg(a, 'heads'), w));
    scaleArgs(a, w, 'features');
  },
  params: [
    { name: 'heads', type: 'int', required: true, min: 1, doc: 'Number of heads H.' },
    { name: 'head_dim', type: 'int', min: 1, doc: 'Dimension per head hd (default: d_model / heads).' },
    { name: 'style', type: 'enum', default: 'katharopoulos', values: ['katharopoulos', 'lightning'],
      doc: 'katharopoulos: φ = elu + 1 with the normaliser; lightning (MiniMax-01): SiLU q/k/v, fixed per-head decay, RMSNorm(H·hd) and a sigmoid output gate d → H·hd, no normaliser.' },
    { name: 'feature_map', type: 'enum', default: 'elu', values: ['elu', 'favor'],
      doc: 'elu: φ = elu + 1, hd×hd state (Katharopoulos 2020); favor: Performer FAVOR+ positive random features, m×hd state (Choromanski 2021).' },
    { name: 'features', type: 'int', min: 1, doc: 'feature_map: favor: random features m per head (default: ⌊hd·ln hd⌋); drawn, not trained (0 parameters).' },
  ],
  validate(args, dims) {
    const issues = args.head_dim === undefined ? headsDivide(args, dims, 'heads') : [];
    if (args.features !== undefined && str(args, 'feature_map') !== 'favor') issues.push({ arg: 'features', message: "'features' needs feature_map: favor" });
    if (str(args, 'feature_map') === 'favor' && str(args, 'style') === 'lightning') issues.push({ arg: 'feature_map', message: "feature_map: favor is Katharopoulos-style linear attention; lightning has no feature map" });
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const H = num(args, 'heads');
    const hd = num(args, 'head_dim') || d / H;
    const lightning = str(args, 'style') === 'lightning';
    const matmul = (lightning ? 5 : 4) * d * H * hd;
    if (str(args, 'feature_map') === 'favor') return favorCost(matmul, H, hd, favorFeatures(args, hd), dims, ctx);
    const stateElems = H * hd * hd;
    const macs = lightning ? 3 : 2;
    return recurrentCost(dims, ctx, {
      params: matmul + (lightning ? H * hd : 0), flops: 2 * matmul + 2 * macs * stateElems, stateElems,
      formula: [
        lightning ? `params = 5·d·H·hd (q, k, v, gate, out) + H·hd (RMSNorm) = 5·${d}·${H}·${hd} + ${H * hd}` : `params = 4·d·H·hd = 4·${d}·${H}·${hd}`,
        `FLOPs/token = 2·matmul + ${2 * macs}·H·hd² (${lightning ? 'decay, ' : ''}state update + read-out), constant in L`,
        `state = H·hd² = ${stateElems} elements${lightning ? '' : ' (the normaliser Σφ(k), H·hd, is not counted)'}`,
      ],
    });
  },
};

/** FAVOR+ random features per head: `features`, or ⌊hd·ln hd⌋ (performer-pytorch's default nb_features). */
export function favorFeatures(args: Args, hd: number): number {
  return num(args, 'features') || Math.max(1, Math.floor(hd * Math.log(hd)));
}

/** Performer (FAVOR+): the random projections ω (hd×m per head, buffers: 0 parameters) for q and k, an m×hd state. */
function favorCost(params: number, H: number, hd: number, m: number, dims: Dims, ctx: CostContext) {
  const stateElems = H * (m * hd + m);
  return recurrentCost(dims, ctx, {
    params, flops: 2 * params + 2 * (2 * H * hd * m) + 4 * H * m * hd, stateElems,
    formula: [
      `params = 4·d·H·hd = ${params}; random features ω (hd×m = ${hd}×${m} per head) are a buffer, not trained: 0`,
      `FLOPs/token = 2·params + 2·(2·H·hd·m) (φ(q), φ(k) projections) + 4·H·m·hd (state update + read-out), constant in L`,
      `state = H·(m·hd + m) = ${stateElems} elements (m×hd per head + the normaliser Σφ(k))`,
    ],
  });
}

export const retnet: BlockKind = {
  name: 'retnet',
  summary: 'RetNet multi-scale retention: decayed linear attention with a swish output gate.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    const H = divisorAtMost(d, down(arg(a, 'heads'), w));
    a.heads = H;
    a.v_factor = (H * Math.max(1, Math.round((arg(a, 'v_factor') * d) / H))) / d; // vd a whole multiple of H again
  },
  params: [
    { name: 'heads', type: 'int', required: true, min: 1, doc: 'Retention heads H (each with its own decay γ).' },
    { name: 'v_factor', type: 'number', default: 2, min: 0, doc: 'Value width vd = v_factor·d_model (paper: 2).' },
  ],
  validate(args, dims) {
    const H = num(args, 'heads'), exact = num(args, 'v_factor') * dModel(dims), vd = retnetValueWidth(args, dModel(dims));
    const whole = vd >= H && vd % H === 0 && Math.abs(exact - vd) < 1e-9 * Math.max(1, vd);
    return [...headsDivide(args, dims, 'heads'),
      ...(whole ? [] : [{ arg: 'v_factor', message: `v_factor·d_model (${exact}) must be a whole multiple of heads (${H}): each head reads vd/H value channels` }])];
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const H = num(args, 'heads');
    const vd = retnetValueWidth(args, d);
    const params = 2 * d * d + 3 * d * vd;
    const stateElems = H * (d / H) * (vd / H);
    return recurrentCost(dims, ctx, {
      params, flops: 2 * params + 6 * stateElems, stateElems,
      formula: [
        `params = 2·d² (q, k) + 3·d·vd (v, gate, out) = 2·${d}² + 3·${d}·${vd}; group norm without affine = 0`,
        `FLOPs/token = 2·params + 6·H·(d/H)·(vd/H) (decay, update, read-out), constant in L`,
        `state = H·(d/H)·(vd/H) = ${stateElems} elements`,
      ],
    });
  },
};

/** RetNet's value width vd = v_factor·d_model, rounded (a probe's v_factor = vd'/d may miss vd' by an ulp). */
export function retnetValueWidth(args: Args, d: number): number {
  return Math.round(num(args, 'v_factor') * d);
}

export const rwkvTimeMix: BlockKind = {
  name: 'rwkv_time_mix',
  summary: 'RWKV-7 time mixing: generalised delta-rule recurrence with per-channel decay and low-rank adapters.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    a.head_dim = divisorAtMost(d, down(arg(a, 'head_dim'), w));
    scaleArgs(a, w, 'decay_lora', 'a_lora', 'v_lora', 'gate_lora');
  },
  params: [
    { name: 'head_dim', type: 'int', default: 64, min: 1, doc: 'Head size; heads = d_model / head_dim.' },
    { name: 'decay_lora', type: 'int', default: 64, min: 1, doc: 'Rank of the decay (w) LoRA: 2·d·r + d bias.' },
    { name: 'a_lora', type: 'int', default: 64, min: 1, doc: 'Rank of the in-context learning-rate (a) LoRA: 2·d·r + d bias.' },
    { name: 'v_lora', type: 'int', default: 32, min: 0, doc: 'Rank of the value-residual LoRA: 2·d·r + d bias; 0 for the first layer (none).' },
    { name: 'gate_lora', type: 'int', default: 128, min: 1, doc: 'Rank of the output-gate LoRA: 2·d·r, no bias.' },
  ],
  validate(args, dims) {
    return headsDivide(args, dims, 'head_dim');
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const hd = num(args, 'head_dim');
    const rv = num(args, 'v_lora');
    const ranks = num(args, 'decay_lora') + num(args, 'a_lora') + rv + num(args, 'gate_lora');
    const matmul = 4 * d * d + 2 * d * ranks;
    // LoRA biases (w, a, v) + 6 token-shift mixes + k_k, k_a, r_k + GroupNorm weight and bias.
    const vectors = (rv > 0 ? 3 : 2) * d + 6 * d + 3 * d + 2 * d;
    const stateElems = d * hd + d;
    return recurrentCost(dims, ctx, {
      params: matmul + vectors, flops: 2 * matmul + 10 * d * hd, stateElems,
      formula: [
        `params = 4·d² (r, k, v, o) + 2·d·(r_w + r_a + r_v + r_g) + ${vectors / d}·d vectors = ${matmul + vectors}`,
        `FLOPs/token = 2·matmul + 10·H·hd² (5 MACs per state element), constant in L`,
        `state = H·hd² + d (token shift) = ${stateElems} elements`,
      ],
    });
  },
};

export const rwkvChannelMix: BlockKind = {
  name: 'rwkv_channel_mix',
  summary: 'RWKV-7 channel mixing: token-shifted squared-ReLU feed-forward.',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'ffn',
  probe: (a, w) => scaleArgs(a, w, 'd_ff'),
  params: [
    { name: 'd_ff', type: 'int', required: true, min: 1, doc: 'Hidden width (RWKV-7: 4·d_model).' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const f = num(args, 'd_ff');
    return recurrentCost(dims, ctx, {
      params: 2 * d * f + d, flops: 4 * d * f, stateElems: d,
      formula: [`params = 2·d·d_ff + d (token-shift mix) = 2·${d}·${f} + ${d}`, 'FLOPs/token = 4·d·d_ff', `state = d = ${d} (token shift)`],
    });
  },
};
