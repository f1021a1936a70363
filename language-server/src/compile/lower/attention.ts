/**
 * Softmax attention (MHA / GQA / MQA by broadcasting KV heads, causal + sliding-window additive mask, QK-norm,
 * biases, per-head sinks) and MLA (q/kv low rank, decoupled RoPE key shared by all heads). RoPE is omitted:
 * it has no parameters and, under the engine's convention (elementwise not counted), no FLOPs.
 * Score and AV MatMuls compute the full T×T product under an additive mask; they carry `#mask=<mask>` so
 * count.ts counts only the visible (query, key) pairs, which is how the engine counts a causal prefill
 * (causalAverageKeys: (T+1)/2 keys per query, fewer with a window).
 * Decode step (compile.ts mode 'decode'): one query against the L cached keys plus its own (withCache).
 * Cross-attention (mask: cross) reads the graph input `memory` instead (crossAttend).
 * Mixture of attention heads (`experts`, JetMoeMoA): router d×E, TopK over its logits, softmax of the k chosen
 * logits; every expert's q and o projections run densely on stacked [E, ·, ·] weights (`#routed`: counted k/E)
 * and one-hot selections (Mul + ReduceSum, no MACs) pick the k slots; k/v are shared by every slot.
 */
import { bool, num, str } from '../../kinds/formulas';
import { crossLength, visible } from '../../kinds/masks';
import type { Args } from '../../kinds/types';
import type { BlockInstance } from '../../semantic/instances';
import type { GraphBuilder, Tensor } from '../graph';
import { add, concat, expand, linear, matmul, mul, reduceSum, reshape, rmsnorm, slice, softmax, transpose, unary, unsqueeze } from './ops';
import { BOOL } from '../../onnx/writer';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { globalLocal } from './longformer';
import { checkElements } from '../limits';

/**
 * Additive mask [T, S] (S = past + T keys): 0 where key s is visible from query t (causal by default: s ≤ past + t,
 * past + t − s < W; otherwise the rule of kinds/masks.ts), −1e9 elsewhere; all 0 for bidirectional attention (every
 * key visible: count.ts then counts the full T×S product).
 */
export function causalMask(c: Ctx, window: number, rule?: Heads['visible']): Tensor {
  const { T, past } = c;
  const S = past + T;
  checkElements(T * S, `the attention mask [${T}, ${S}]`);
  const m = new Float32Array(T * S);
  const see = rule?.see ?? ((pos: number, s: number): boolean => s <= pos && (window <= 0 || pos - s < window));
  for (let t = 0; t < T; t++) {
    const pos = past + t;
    for (let s = 0; s < S; s++) m[t * S + s] = see(pos, s) ? 0 : -1e9;
  }
  return c.g.constF(m, [T, S], rule?.label ?? `mask_w${window}`);
}

export interface Heads {
  H: number; KV: number; hd: number; hv: number; window: number; sinks?: Tensor;
  /** A mask other than causal / sliding window: which keys a query position sees, and the constant's label. */
  visible?: { readonly see: (pos: number, s: number) => boolean; readonly label: string };
}

/** The mask rule of an `attention` use (undefined: causal); candidate isolation decodes causally (the cache is the context). */
function maskRule(c: Ctx, args: Args, window: number): Heads['visible'] {
  const mask = str(args, 'mask');
  if (mask === 'causal' || (mask === 'candidates' && c.past > 0)) return undefined;
  checkElements(c.T * (c.past + c.T), `the attention mask [${c.T}, ${c.past + c.T}]`);
  return { see: visible(args, window, c.past + c.T), label: mask === 'bidirectional' ? 'mask_bidir' : `mask_${mask}` };
}

/**
 * Keys [B,KV,T,hd] and values [B,KV,T,hv] of this step → those of every visible position. With a cache:
 * a decode step concatenates inputs past_key_{i} / past_value_{i} [B,KV,L,·] in front; both modes output
 * present_key_{i} / present_value_{i} (i = the attention's ordinal in execution order).
 */
function withCache(c: Ctx, k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
  const { g, cache } = c;
  if (!cache) return { k, v };
  const i = cache.count++;
  if (cache.decode) {
    const [B, KV] = k.shape;
    k = concat(g, [g.input(`past_key_${i}`, [B, KV, c.past, k.shape[3]]), k], 2);
    v = concat(g, [g.input(`past_value_${i}`, [B, KV, c.past, v.shape[3]]), v], 2);
  }
  g.output(k, `present_key_${i}`);
  g.output(v, `present_value_${i}`);
  return { k, v };
}

/** q [B,T,H·hd], k [B,T,KV·hd], v [B,T,KV·hv] → [B,T,H·hv]; emits attn_probs_l{i} [B,H,T,S]. */
export function attend(c: Ctx, q: Tensor, k: Tensor, v: Tensor, a: Heads): Tensor {
  const { g, B, T } = c;
  const heads = (x: Tensor, w: number): Tensor => transpose(g, reshape(g, x, [B, T, a.KV, w]), [0, 2, 1, 3]); // [B,KV,T,w]
  const all = withCache(c, heads(k, a.hd), heads(v, a.hv));
  return attendHeads(c, q, all.k, all.v, a, causalMask(c, a.window, a.visible));
}

/**
 * q [B,T,H·hd] against keys [B,KV,S,hd] and values [B,KV,S,hv] → [B,T,H·hv], under an additive mask [T,S] (none:
 * every key visible, count.ts counts the full T×S product); emits attn_probs_l{i} [B,H,T,S] unless `noGate`.
 */
function attendHeads(c: Ctx, q: Tensor, kh: Tensor, vh: Tensor, a: Heads, mask?: Tensor, noGate = false): Tensor {
  const { g, B, T } = c;
  const r = a.H / a.KV;
  const S = kh.shape[2];
  const qh = transpose(g, reshape(g, q, [B, T, a.KV, r, a.hd]), [0, 2, 3, 1, 4]); // [B,KV,r,T,hd]
  const kt = transpose(g, unsqueeze(g, kh, 2), [0, 1, 2, 4, 3]); // [B,KV,1,hd,S]
  const v5 = unsqueeze(g, vh, 2); // [B,KV,1,S,hv]
  const tag = mask ? `#mask=${mask.name}` : undefined;
  let s = mul(g, matmul(g, qh, kt, tag), g.scalar(1 / Math.sqrt(a.hd)));
  if (mask) s = add(g, s, mask);
  let p: Tensor;
  if (a.sinks) {
    const sink = expand(g, reshape(g, a.sinks, [1, a.KV, r, 1, 1]), [B, a.KV, r, T, 1]);
    p = slice(g, softmax(g, concat(g, [s, sink], -1)), -1, 0, S);
  } else p = softmax(g, s);
  if (!noGate) c.gate(`attn_probs_l${c.layer}`, reshape(g, p, [B, a.H, T, S]));
  const o = matmul(g, p, v5, tag); // [B,KV,r,T,hv]
  return reshape(g, transpose(g, o, [0, 3, 1, 2, 4]), [B, T, a.H * a.hv]);
}

/**
 * Cross-attention (Vaswani et al. 2017 §3.2.3, encoder–decoder attention; kinds/attention.ts crossCost): queries
 * from the stream, keys and values projected from E = kv_dim to KV·hd over the S = kv_len positions of the graph
 * input `memory…` [B, S, E] (c.memory), no mask. A decode step takes `memory` again and recomputes its K/V (no
 * cache input for the cross part; the engine charges them once per sequence). No attn_probs gate: docs/gates.md
 * fixes its shape to [B, H, T, T].
 */
function crossAttend(c: Ctx, b: BlockInstance, x: Tensor, s: Shape): Tensor {
  const { g, B } = c;
  const S = crossLength(b.args, c.past || c.T);
  const { q, k, v, sinks } = project(c, s, x, c.memory(S, num(b.args, 'kv_dim') || s.d));
  const heads = (t: Tensor): Tensor => transpose(g, reshape(g, t, [B, S, s.KV, s.hd]), [0, 2, 1, 3]); // [B,KV,S,hd]
  return attendHeads(c, q, heads(k), heads(v), { H: s.H, KV: s.KV, hd: s.hd, hv: s.hd, window: 0, sinks }, undefined, true);
}

/** RMSNorm per head of x [B, N, heads·hd] (QK-norm). */
function headNorm(g: GraphBuilder, x: Tensor, heads: number, hd: number, w: Tensor): Tensor {
  const [B, N] = x.shape;
  return reshape(g, rmsnorm(g, reshape(g, x, [B, N, heads, hd]), w), [B, N, heads * hd]);
}

interface Shape { d: number; H: number; KV: number; hd: number; bias: boolean; qkNorm: boolean; sinks: boolean }

export const attention: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const d = dModelOf(b);
    const H = num(b.args, 'heads');
    const s: Shape = { d, H, KV: num(b.args, 'kv_heads') || H, hd: num(b.args, 'head_dim') || d / H, bias: bool(b.args, 'qkv_bias'), qkNorm: bool(b.args, 'qk_norm'), sinks: bool(b.args, 'sinks') };
    const x = c.h ?? c.x;
    const E = num(b.args, 'experts');
    const routed = E ? routeHeads(c, x, E, num(b.args, 'top_k'), (H / num(b.args, 'top_k')) * s.hd) : undefined;
    let o = str(b.args, 'mask') === 'cross' ? crossAttend(c, b, x, s) : selfAttend(c, b, x, s, routed);
    if (bool(b.args, 'gate')) o = mul(g, o, unary(g, 'Sigmoid', linear(g, x, H * s.hd, 'wq_gate', s.bias))); // Qwen3-Next output gate
    if (!routed) return linear(g, o, c.d, 'wo', bool(b.args, 'out_bias'));
    const y = routed.o(o, s.KV);
    return bool(b.args, 'out_bias') ? add(g, y, g.param('wo_bias', [c.d], { normal: 0.02 })) : y;
  },
};

/**
 * Queries from x (or the routed experts' q), keys and values from `kv` (x itself, or a cross-attention's stream),
 * QK-norm per head and the sinks: the projections self- and cross-attention share.
 */
function project(c: Ctx, s: Shape, x: Tensor, kv: Tensor, routed?: RoutedHeads): { q: Tensor; k: Tensor; v: Tensor; sinks?: Tensor } {
  const { g } = c;
  let q = routed ? routed.q(s.KV) : linear(g, x, s.H * s.hd, 'wq', s.bias);
  let k = linear(g, kv, s.KV * s.hd, 'wk', s.bias);
  const v = linear(g, kv, s.KV * s.hd, 'wv', s.bias);
  if (s.qkNorm) {
    q = headNorm(g, q, s.H, s.hd, g.param('q_norm', [s.hd], { fill: 1 }));
    k = headNorm(g, k, s.KV, s.hd, g.param('k_norm', [s.hd], { fill: 1 }));
  }
  return { q, k, v, sinks: s.sinks ? g.param('sinks', [s.H], { normal: 0.5 }) : undefined };
}

function selfAttend(c: Ctx, b: BlockInstance, x: Tensor, s: Shape, routed?: RoutedHeads): Tensor {
  const { q, k, v, sinks } = project(c, s, x, x, routed);
  const window = num(b.args, 'window');
  const rule = maskRule(c, b.args, window);
  const local = (visible: Heads['visible']): Tensor => attend(c, q, k, v, { H: s.H, KV: s.KV, hd: s.hd, hv: s.hd, window, sinks, visible });
  // Longformer's separate global q/k/v projections: a second pass for the global rows (longformer.ts)
  return bool(b.args, 'global_proj') && rule ? globalLocal(c, b.args, x, { H: s.H, KV: s.KV, hd: s.hd }, rule, local) : local(rule);
}

type RoutedHeads = { q(KV: number): Tensor; o(out: Tensor, KV: number): Tensor };

/**
 * JetMoeMoA's map / reduce: `q(KV)` gives the queries [B,T,H·hd] of the k chosen experts in GQA order (KV, slot, ·):
 * JetMoE repeats k/v top_k times, so query head i of every slot reads KV head i; `o(out, KV)` projects each slot
 * with its expert's o weights, scaled by the slot's gate, summed over slots.
 */
function routeHeads(c: Ctx, x: Tensor, E: number, k: number, m: number): RoutedHeads {
  const { g, B, T, d } = c;
  const N = B * T;
  const [values, idx] = g.multi('TopK', [linear(g, x, E, 'router'), g.constI([k])], [{ shape: [B, T, k] }, { shape: [B, T, k], type: 7 }], { axis: { int: -1 } });
  const gates = reshape(g, softmax(g, values), [N, k, 1, 1]);
  const hit = g.op('Equal', [reshape(g, idx, [N, k, 1]), g.constI(Array.from({ length: E }, (_, e) => e), [E])], [N, k, E], {}, { type: BOOL });
  const sel = reshape(g, g.op('Cast', [hit], [N, k, E], { to: { int: 1 } }), [N, k, E, 1]);
  const tag = `#routed=${values.name}`;
  const wq = g.param('moa_wq', [E, d, m], { normal: 1 / Math.sqrt(d) });
  const wo = g.param('moa_wo', [E, m, d], { normal: 1 / Math.sqrt(m) });
  // (slot, KV head) ↔ (KV head, slot): one swap of axes 2 and 3, from whichever order `headsFirst` says t is in.
  const swap = (t: Tensor, KV: number, headsFirst: boolean): Tensor =>
    transpose(g, reshape(g, t, headsFirst ? [B, T, KV, k, m / KV] : [B, T, k, KV, m / KV]), [0, 1, 3, 2, 4]);
  return {
    q(KV: number): Tensor {
      const all = reshape(g, transpose(g, matmul(g, reshape(g, x, [1, N, d]), wq, tag), [1, 0, 2]), [N, 1, E, m]); // every expert's q
      const slots = reduceSum(g, mul(g, all, sel), [2], false); // [N, k, m]
      return reshape(g, swap(slots, KV, false), [B, T, k * m]);
    },
    o(out: Tensor, KV: number): Tensor {
      const slots = reshape(g, swap(out, KV, true), [N, k, 1, m]);
      const perExpert = reduceSum(g, mul(g, mul(g, slots, sel), gates), [1], false); // [N, E, m]
      return reshape(g, reduceSum(g, matmul(g, transpose(g, perExpert, [1, 0, 2]), wo, tag), [0], false), [B, T, d]);
    },
  };
}

export const mla: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T } = c;
    const H = num(b.args, 'heads');
    const qr = num(b.args, 'q_lora');
    const kvr = num(b.args, 'kv_lora');
    const nope = num(b.args, 'qk_nope_dim');
    const rope = num(b.args, 'qk_rope_dim');
    const vd = num(b.args, 'v_head_dim');
    const x = c.h ?? c.x;
    const q = qr > 0
      ? linear(g, rmsnorm(g, linear(g, x, qr, 'q_a'), g.param('q_a_norm', [qr], { fill: 1 })), H * (nope + rope), 'q_b')
      : linear(g, x, H * (nope + rope), 'q');
    const kva = linear(g, x, kvr + rope, 'kv_a');
    const latent = rmsnorm(g, slice(g, kva, -1, 0, kvr), g.param('kv_a_norm', [kvr], { fill: 1 }));
    const kv = reshape(g, linear(g, latent, H * (nope + vd), 'kv_b'), [B, T, H, nope + vd]);
    const kNope = slice(g, kv, -1, 0, nope);
    const v = reshape(g, slice(g, kv, -1, nope, nope + vd), [B, T, H * vd]);
    let k = kNope;
    if (rope > 0) {
      const kRope = expand(g, reshape(g, slice(g, kva, -1, kvr, kvr + rope), [B, T, 1, rope]), [B, T, H, rope]);
      k = concat(g, [kNope, kRope], -1);
    }
    const o = attend(c, q, reshape(g, k, [B, T, H * (nope + rope)]), v, { H, KV: H, hd: nope + rope, hv: vd, window: 0 });
    return linear(g, o, c.d, 'o');
  },
};
