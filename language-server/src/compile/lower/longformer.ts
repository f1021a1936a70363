/**
 * Longformer global attention with its own projections (`attention(mask: global_local, global_proj: true)`; HF
 * LongformerSelfAttention): the local pass (q, k, v of every token under the window + global-key mask of
 * kinds/sparseMasks.ts) gives the rows of the local tokens; the first G rows are recomputed from query_global on the
 * G global tokens against key_global / value_global of every token, unmasked (_compute_global_attn_output_from_hidden),
 * and replace the local pass's rows. The local pass masks the global rows entirely, so count.ts counts the local rows'
 * visible pairs plus G·T global pairs: the pattern's count in sparseMasks.ts.
 * A decode step (past > 0) appends local tokens: the global rows are not recomputed (an encoder has no incremental
 * decode), the global projections are kept as parameters so the decode graph has the prefill's.
 */
import { bool, num } from '../../kinds/formulas';
import type { Args } from '../../kinds/types';
import type { Tensor } from '../graph';
import { concat, linear, matmul, mul, reshape, slice, softmax, transpose, unsqueeze } from './ops';
import type { Ctx } from './context';

type Rule = { readonly see: (pos: number, s: number) => boolean; readonly label: string };

export interface GlobalHeads { readonly H: number; readonly KV: number; readonly hd: number }

/** `local(rule)` runs the usual masked attention (KV cache included) and returns [B,T,H·hd]. */
export function globalLocal(c: Ctx, args: Args, x: Tensor, a: GlobalHeads, rule: Rule, local: (rule: Rule) => Tensor): Tensor {
  const { g, T } = c;
  const G = Math.min(num(args, 'global'), T);
  const bias = bool(args, 'qkv_bias');
  if (c.past > 0 || G === 0) {
    const d = x.shape[2];
    for (const [name, out] of [['wq_global', a.H], ['wk_global', a.KV], ['wv_global', a.KV]] as const) {
      g.param(name, [d, out * a.hd], { normal: 1 / Math.sqrt(d) });
      if (bias) g.param(`${name}_bias`, [out * a.hd], { normal: 0.02 });
    }
    return local(rule);
  }
  const rows = local({ see: (pos, s) => pos >= G && rule.see(pos, s), label: 'mask_global_local_rows' });
  const qg = linear(g, slice(g, x, 1, 0, G), a.H * a.hd, 'wq_global', bias);
  const kg = linear(g, x, a.KV * a.hd, 'wk_global', bias);
  const vg = linear(g, x, a.KV * a.hd, 'wv_global', bias);
  return concat(g, [fullAttention(c, qg, kg, vg, a), slice(g, rows, 1, G, T)], 1);
}

/** q [B,G,H·hd] over every key of k, v [B,T,KV·hd], no mask → [B,G,H·hd]. */
function fullAttention(c: Ctx, q: Tensor, k: Tensor, v: Tensor, a: GlobalHeads): Tensor {
  const { g, B, T } = c;
  const G = q.shape[1];
  const r = a.H / a.KV;
  const qh = transpose(g, reshape(g, q, [B, G, a.KV, r, a.hd]), [0, 2, 3, 1, 4]); // [B,KV,r,G,hd]
  const heads = (t: Tensor): Tensor => unsqueeze(g, transpose(g, reshape(g, t, [B, T, a.KV, a.hd]), [0, 2, 1, 3]), 2); // [B,KV,1,T,hd]
  const kt = transpose(g, heads(k), [0, 1, 2, 4, 3]); // [B,KV,1,hd,T]
  const p = softmax(g, mul(g, matmul(g, qh, kt), g.scalar(1 / Math.sqrt(a.hd))));
  const o = transpose(g, matmul(g, p, heads(v)), [0, 3, 1, 2, 4]); // [B,G,KV,r,hd]
  return reshape(g, o, [B, G, a.H * a.hd]);
}
