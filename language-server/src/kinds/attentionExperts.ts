/**
 * Mixture of attention heads on the `attention` kind (`experts`, `top_k`): JetMoE (Shen et al. 2024, arXiv
 * 2404.07413 §2.2; transformers `modeling_jetmoe.py` JetMoeMoA): E experts each own a q projection d → (H/k)·hd
 * and an o projection (H/k)·hd → d, a router d×E (no bias) picks k per token, k and v are shared (d → KV·hd
 * each): H = k·(H/k) query heads per token.
 */
import type { Args, ArgIssue, BlockCost } from './types';
import { bool, expectedExpertsTouched, num, str } from './formulas';

/** The attention shape the projections depend on (kinds/attention.ts `shape`). */
export interface HeadShape { readonly d: number; readonly H: number; readonly KV: number; readonly hd: number; readonly gate: boolean; readonly E: number; readonly k: number }

/** Mixture-of-attention arguments that do not go together (JetMoE's MoA has no q/k/v biases, gate or second stream). */
export function expertIssues(args: Args): ArgIssue[] {
  const E = num(args, 'experts');
  const k = num(args, 'top_k');
  if (!E && !k) return [];
  if (!E || !k) return [{ arg: E ? 'experts' : 'top_k', message: "'experts' and 'top_k' go together (mixture of attention heads)" }];
  const H = num(args, 'heads');
  const KV = num(args, 'kv_heads') || H;
  const out: ArgIssue[] = [];
  if (k > E) out.push({ arg: 'top_k', message: `top_k (${k}) exceeds experts (${E})` });
  else if (H % k !== 0 || (H / k) % KV !== 0) out.push({ arg: 'heads', message: `heads (${H}) must be top_k (${k}) × a multiple of kv_heads (${KV}): each expert projects heads/top_k query heads` });
  for (const a of ['qkv_bias', 'gate'] as const) if (bool(args, a)) out.push({ arg: a, message: `'${a}' is not supported with experts` });
  if (str(args, 'mask') === 'cross') out.push({ arg: 'experts', message: "'experts' needs self-attention (not mask: cross)" });
  return out;
}

/**
 * Projection weights: all of them, those one token uses, and one expert's (MoA). Dense: q, k, v, o (+ gate). MoA
 * (JetMoeMoA): E·2·d·(H/k)·hd expert q/o + 2·d·KV·hd shared k/v + d·E router; a token uses k experts = 2·d·H·hd.
 */
export function projections(s: HeadShape): { all: number; active: number; expert: number } {
  const kv = 2 * s.d * s.KV * s.hd;
  if (!s.E) { const p = 2 * s.d * s.H * s.hd + kv + (s.gate ? s.d * s.H * s.hd : 0); return { all: p, active: p, expert: 0 }; }
  const expert = 2 * s.d * (s.H / s.k) * s.hd;
  const router = s.d * s.E;
  return { all: s.E * expert + kv + router, active: s.k * expert + kv + router, expert };
}

export const moaLine = (s: HeadShape): string =>
  `params = E·2·d·(H/k)·hd + 2·d·KV·hd + d·E = ${s.E}·2·${s.d}·${s.H / s.k}·${s.hd} + 2·${s.d}·${s.KV}·${s.hd} + ${s.d}·${s.E}; active: k = ${s.k} experts`;

/** MoA decode reads the shared weights and the distinct experts the batch routes to (as the moe kind). */
export function withExpertReads(cost: BlockCost, s: HeadShape, batch: number, weight: number): BlockCost {
  if (!s.E) return cost;
  const p = projections(s);
  const expertBytesDecode = expectedExpertsTouched(s.E, s.k, batch) * p.expert * weight;
  const cacheTraffic = cost.decodeBytes - cost.active * weight;
  return { ...cost, decodeBytes: (cost.params - s.E * p.expert) * weight + expertBytesDecode + cacheTraffic, expertBytesDecode };
}
