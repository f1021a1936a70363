/**
 * Softmax attention (MHA / GQA / MQA by broadcasting KV heads, causal + sliding-window additive mask, QK-norm,
 * biases, per-head sinks) and MLA (q/kv low rank, decoupled RoPE key shared by all heads). RoPE is omitted:
 * it has no parameters and, under the engine's convention (elementwise not counted), no FLOPs.
 * Score and AV MatMuls compute the full T×T product under an additive mask; they carry `#mask=<mask>` so
 * count.ts counts only the visible (query, key) pairs, which is how the engine counts a causal prefill
 * (causalAverageKeys: (T+1)/2 keys per query, fewer with a window).
 * Decode step (compile.ts mode 'decode'): one query against the L cached keys plus its own (withCache).
 */
import { bool, num, str } from '../../kinds/formulas';
import { visible } from '../../kinds/masks';
import type { Args } from '../../kinds/types';
import type { Tensor } from '../graph';
import { add, concat, expand, linear, matmul, mul, reshape, rmsnorm, slice, softmax, transpose, unary, unsqueeze } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { globalLocal } from './longformer';

/**
 * Additive mask [T, S] (S = past + T keys): 0 where key s is visible from query t (causal by default: s ≤ past + t,
 * past + t − s < W; otherwise the rule of kinds/masks.ts), −1e9 elsewhere; all 0 for bidirectional attention (every
 * key visible: count.ts then counts the full T×S product).
 */
export function causalMask(c: Ctx, window: number, rule?: Heads['visible']): Tensor {
  const { T, past } = c;
  const S = past + T;
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
  if (mask === 'cross') throw new Error(CROSS_REFUSAL);
  if (mask === 'causal' || (mask === 'candidates' && c.past > 0)) return undefined;
  return { see: visible(args, window, c.past + c.T), label: mask === 'bidirectional' ? 'mask_bidir' : `mask_${mask}` };
}

/** Why `compile` refuses `attention(mask: cross)`. */
export const CROSS_REFUSAL = "compile: attention(mask: cross) reads a second stream (the encoder output), which the single-stream ONNX lowering does not model yet; 'report' costs it";

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
  const r = a.H / a.KV;
  const qh = transpose(g, reshape(g, q, [B, T, a.KV, r, a.hd]), [0, 2, 3, 1, 4]); // [B,KV,r,T,hd]
  const heads = (x: Tensor, w: number): Tensor => transpose(g, reshape(g, x, [B, T, a.KV, w]), [0, 2, 1, 3]); // [B,KV,T,w]
  const all = withCache(c, heads(k, a.hd), heads(v, a.hv));
  const S = all.k.shape[2];
  const kt = transpose(g, unsqueeze(g, all.k, 2), [0, 1, 2, 4, 3]); // [B,KV,1,hd,S]
  const vh = unsqueeze(g, all.v, 2); // [B,KV,1,S,hv]
  const mask = causalMask(c, a.window, a.visible);
  const tag = `#mask=${mask.name}`;
  let s = add(g, mul(g, matmul(g, qh, kt, tag), g.scalar(1 / Math.sqrt(a.hd))), mask);
  let p: Tensor;
  if (a.sinks) {
    const sink = expand(g, reshape(g, a.sinks, [1, a.KV, r, 1, 1]), [B, a.KV, r, T, 1]);
    p = slice(g, softmax(g, concat(g, [s, sink], -1)), -1, 0, S);
  } else p = softmax(g, s);
  c.gate(`attn_probs_l${c.layer}`, reshape(g, p, [B, a.H, T, S]));
  const o = matmul(g, p, vh, tag); // [B,KV,r,T,hv]
  s = transpose(g, o, [0, 3, 1, 2, 4]);
  return reshape(g, s, [B, T, a.H * a.hv]);
}

function headNorm(c: Ctx, x: Tensor, heads: number, hd: number, w: Tensor): Tensor {
  const { g, B, T } = c;
  return reshape(g, rmsnorm(g, reshape(g, x, [B, T, heads, hd]), w), [B, T, heads * hd]);
}

export const attention: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    if (str(b.args, 'mask') === 'cross') throw new Error(CROSS_REFUSAL);
    const d = dModelOf(b);
    const H = num(b.args, 'heads');
    const KV = num(b.args, 'kv_heads') || H;
    const hd = num(b.args, 'head_dim') || d / H;
    const bias = bool(b.args, 'qkv_bias');
    const x = c.h ?? c.x;
    let q = linear(g, x, H * hd, 'wq', bias);
    let k = linear(g, x, KV * hd, 'wk', bias);
    const v = linear(g, x, KV * hd, 'wv', bias);
    if (bool(b.args, 'qk_norm')) {
      q = headNorm(c, q, H, hd, g.param('q_norm', [hd], { fill: 1 }));
      k = headNorm(c, k, KV, hd, g.param('k_norm', [hd], { fill: 1 }));
    }
    const sinks = bool(b.args, 'sinks') ? g.param('sinks', [H], { normal: 0.5 }) : undefined;
    const window = num(b.args, 'window');
    const rule = maskRule(c, b.args, window);
    const local = (visible: Heads['visible']): Tensor => attend(c, q, k, v, { H, KV, hd, hv: hd, window, sinks, visible });
    let o = bool(b.args, 'global_proj') && rule ? globalLocal(c, b.args, x, { H, KV, hd }, rule, local) : local(rule);
    if (bool(b.args, 'gate')) o = mul(g, o, unary(g, 'Sigmoid', linear(g, x, H * hd, 'wq_gate', bias))); // Qwen3-Next output gate
    return linear(g, o, c.d, 'wo', bool(b.args, 'out_bias'));
  },
};

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
