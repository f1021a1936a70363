/**
 * Linformer self-attention (kinds/linformer.ts; Wang et al. 2020 eq. 7), bidirectional: q, k, v [B,H,T,hd]; the
 * projections E, F [n,k] (per head [H,n,k] with share: none) sliced to their first T rows, K̄ = Eᵀ·K and V̄ = Fᵀ·V
 * [B,H,k,hd] (MatMul, H·k·hd MACs per token each), softmax(q·K̄ᵀ/√hd) [B,H,T,k] and its product with V̄ (MatMul,
 * H·k·hd each): the engine's count. share: kv uses E for both; share: layerwise keeps the model's one E on the
 * context (`reuse` blocks read it). No decode step: the kind is an encoder (no causal form).
 */
import { bool, num, str } from '../../kinds/formulas';
import type { GraphBuilder, Tensor } from '../graph';
import { linear, matmul, mul, reshape, slice, softmax, transpose } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';

/** E (and F) of this block, [n,k] or per head [H,n,k]; the layerwise E is made by the first block that holds it. */
function projections(c: Ctx, share: string, reuse: boolean, H: number, n: number, k: number): [Tensor, Tensor] {
  const { g } = c;
  const make = (name: string): Tensor => g.param(name, share === 'none' ? [H, n, k] : [n, k], { normal: 1 / Math.sqrt(n) });
  if (share === 'layerwise') {
    if (reuse && !c.linformerE) throw new Error('compile: linformer(reuse: true) needs an earlier linformer(share: layerwise) layer holding E (without reuse)');
    if (!reuse) c.linformerE = make('linformer_E');
    return [c.linformerE!, c.linformerE!];
  }
  const E = make('compress_k');
  return [E, share === 'kv' ? E : make('compress_v')];
}

/**
 * Eq. 7 for q, k, v [B,H,T,hd] and projections E, F [n,k] (or per head [H,n,k]) cut to their first T rows:
 * softmax(q·(Eᵀk)ᵀ/√hd)·(Fᵀv) → [B,H,T,hd].
 */
export function linformerAttend(g: GraphBuilder, q: Tensor, key: Tensor, val: Tensor, E: Tensor, F: Tensor): Tensor {
  const T = q.shape[2], hd = q.shape[3];
  const down = (P: Tensor, t: Tensor): Tensor => { // Pᵀ·t over the first T positions: [B,H,k,hd]
    const rows = P.shape.length === 3 ? transpose(g, slice(g, P, 1, 0, T), [0, 2, 1]) : transpose(g, slice(g, P, 0, 0, T), [1, 0]);
    return matmul(g, rows, t);
  };
  const kBar = down(E, key), vBar = down(F, val);
  const p = softmax(g, mul(g, matmul(g, q, transpose(g, kBar, [0, 1, 3, 2])), g.scalar(1 / Math.sqrt(hd)))); // [B,H,T,k]
  return matmul(g, p, vBar);
}

export const linformer: KindLowering = {
  role: 'sublayer',
  decodeStep: false,
  lower(c, b) {
    const { g, B, T } = c;
    const d = dModelOf(b);
    const H = num(b.args, 'heads');
    const hd = num(b.args, 'head_dim') || d / H;
    const n = num(b.args, 'max_len');
    const k = num(b.args, 'k');
    if (T > n) throw new Error(`compile: linformer projections are built for max_len ${n} positions, the graph has ${T}: compile with --seq ≤ ${n}`);
    const bias = bool(b.args, 'bias');
    const x = c.h ?? c.x;
    const heads = (t: Tensor): Tensor => transpose(g, reshape(g, t, [B, T, H, hd]), [0, 2, 1, 3]); // [B,H,T,hd]
    const q = heads(linear(g, x, H * hd, 'wq', bias));
    const key = heads(linear(g, x, H * hd, 'wk', bias));
    const val = heads(linear(g, x, H * hd, 'wv', bias));
    const [E, F] = projections(c, str(b.args, 'share'), bool(b.args, 'reuse'), H, n, k);
    const o = reshape(g, transpose(g, linformerAttend(g, q, key, val, E, F), [0, 2, 1, 3]), [B, T, H * hd]);
    return linear(g, o, c.d, 'wo', bias);
  },
};
