/**
 * Mixture-of-experts feed-forward with top-k routing and optional always-on shared experts.
 * Sources: Shazeer et al. 2017 (sparsely-gated MoE); Mixtral of Experts (arXiv 2401.04088: 8 SwiGLU
 * experts, top-2, router d×E without bias); DeepSeekMoE / DeepSeek-V3 (arXiv 2401.06066, 2412.19437:
 * shared experts, sigmoid scores with `e_score_correction_bias`, E params); gpt-oss model card
 * (experts with biases: gate_up 2·d_ff + down d per expert, router with bias); JetMoE (transformers `modeling_jetmoe.py`
 * JetMoeMoE: one bias of d added after the experts are combined, `out_bias`).
 * Checks: Mixtral layer 8·3·4096·14336 + 4096·8 = 1,409,318,912; DeepSeek-V3 layer 11,320,164,608.
 * Decode traffic: router + shared experts + the expected DISTINCT routed experts touched by B tokens,
 * E·(1 − (1 − k/E)^B) under uniform routing (formulas.ts `expectedExpertsTouched`).
 */
import type { ArgIssue, BlockKind } from './types';
import { bool, byteWidths, denseCost, dModel, expectedExpertsTouched, num } from './formulas';
import { arg, scaleArgs } from './probeScale';

/** Weights (matmul only) and biases of one expert of hidden width f. */
function expertParams(d: number, f: number, gated: boolean, bias: boolean): { matmul: number; bias: number } {
  return {
    matmul: (gated ? 3 : 2) * d * f,
    bias: bias ? (gated ? 2 * f : f) + d : 0,
  };
}

export const moe: BlockKind = {
  name: 'moe',
  summary: 'Mixture-of-experts FFN: E routed experts (top-k per token), optional shared experts and router bias.',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'ffn',
  experts: (a) => ({ experts: num(a, 'experts'), topK: num(a, 'top_k') }),
  probe: (a, w) => {
    const E = arg(a, 'experts');
    const e = Math.min(E, Math.max(4, Math.round(E / w)));
    a.top_k = Math.max(1, Math.min(arg(a, 'top_k'), Math.round((arg(a, 'top_k') * e) / E)));
    a.experts = e;
    scaleArgs(a, w, 'd_ff', 'shared_d_ff');
  },
  params: [
    { name: 'experts', type: 'int', required: true, min: 1, doc: 'Routed experts E.' },
    { name: 'top_k', type: 'int', required: true, min: 1, doc: 'Routed experts used per token k.' },
    { name: 'shared', type: 'int', default: 0, min: 0, doc: 'Always-active shared experts (DeepSeek-V3: 1).' },
    { name: 'd_ff', type: 'int', required: true, min: 1, doc: 'Hidden width of each routed expert.' },
    { name: 'shared_d_ff', type: 'int', min: 1, doc: 'Hidden width of each shared expert (default: d_ff).' },
    { name: 'gated', type: 'bool', default: true, doc: 'Gated (SwiGLU) experts with 3 matrices; false = 2-matrix MLP experts.' },
    { name: 'expert_bias', type: 'bool', default: false,
      doc: 'Biases inside every expert (gpt-oss): gated 2·d_ff + d, ungated d_ff + d per expert; shared experts too.' },
    { name: 'out_bias', type: 'bool', default: false, doc: 'One bias of d added to the combined output (JetMoE `JetMoeMoE.bias`).' },
    { name: 'router_bias', type: 'bool', default: false,
      doc: 'E router biases (DeepSeek-V3 `e_score_correction_bias`, or a gpt-oss router bias).' },
  ],
  validate(args) {
    const issues: ArgIssue[] = [];
    const E = num(args, 'experts');
    const k = num(args, 'top_k');
    if (k > E) issues.push({ arg: 'top_k', message: `top_k (${k}) exceeds experts (${E})` });
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const E = num(args, 'experts');
    const k = num(args, 'top_k');
    const S = num(args, 'shared');
    const f = num(args, 'd_ff');
    const sf = num(args, 'shared_d_ff') || f;
    const gated = bool(args, 'gated');
    const routed = expertParams(d, f, gated, bool(args, 'expert_bias'));
    const shared = expertParams(d, sf, gated, bool(args, 'expert_bias'));
    const expert = routed.matmul + routed.bias;
    const sharedAll = S * (shared.matmul + shared.bias);
    const router = d * E + (bool(args, 'router_bias') ? E : 0) + (bool(args, 'out_bias') ? d : 0);
    const params = E * expert + sharedAll + router;
    const active = k * expert + sharedAll + router;
    const flops = 2 * (k * routed.matmul + S * shared.matmul + d * E);
    const { weight } = byteWidths(dims);
    const touched = expectedExpertsTouched(E, k, ctx.batch);
    const expertBytesDecode = touched * expert * weight;
    const cost = denseCost(dims, ctx, {
      params, active, prefillFlops: flops, decodeFlops: flops,
      formula: [
        `params = E·expert + shared·expert_s + router${bool(args, 'out_bias') ? ' (+ d output bias)' : ''} = ${E}·${expert} + ${S}·${shared.matmul + shared.bias} + ${router}` +
          ` (expert = ${gated ? 3 : 2}·d·d_ff${routed.bias ? ' + biases' : ''})`,
        `active = top_k·expert + shared + router = ${k}·${expert} + ${sharedAll} + ${router}`,
        `FLOPs/token = 2·(top_k·expert + shared + d·E) matmul weights = ${flops}`,
        `decode bytes = (router + shared + E·(1−(1−k/E)^B)·expert)·bytes; B = ${ctx.batch} touches ${touched.toFixed(2)} experts (uniform routing)`,
      ],
    });
    return { ...cost, decodeBytes: (router + sharedAll) * weight + expertBytesDecode, expertBytesDecode };
  },
};
