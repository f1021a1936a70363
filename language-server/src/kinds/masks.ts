/**
 * Attention masks beyond causal / bidirectional: how many keys a query sees, averaged over a prefill of L
 * tokens, for each mask of `attention(mask: …)`. One multiply-add per (query, visible key) pair and head
 * dimension is the engine's convention (formulas.ts causalAverageKeys); compile/lower/attention.ts builds the
 * same masks, so count.ts's visible-pair count equals these averages.
 * - prefix-LM (Raffel et al. 2020, T5 §3.2.1; Dong et al. 2019, UniLM): the first P tokens see each other
 *   bidirectionally, later tokens see every earlier token: (P² + Σ_{t=P..L−1} (t+1)) / L.
 * - candidate isolation (xai-org/x-algorithm, Phoenix ranker): the last C tokens are candidates; the N = L − C
 *   context tokens attend causally, each candidate sees the whole context and itself, never another candidate:
 *   (N(N+1)/2 + C·(N+1)) / L.
 * - cross-attention (Vaswani et al. 2017 §3.2.3, encoder–decoder attention): every query sees the S positions
 *   of another stream (the encoder output), whatever L is.
 * - sparse patterns (Longformer global + local, BigBird block-sparse, Sparse Transformer strided / fixed): sparseMasks.ts.
 */
import type { Args } from './types';
import { causalAverageKeys, decodeKeys, num, str } from './formulas';
import { isSparse, sparsePairs, sparseStep, sparseVisible, SPARSE_MASKS } from './sparseMasks';

export const MASKS = ['causal', 'bidirectional', 'prefix', 'candidates', 'cross', ...SPARSE_MASKS] as const;

/** Average keys per query over a prefill of L tokens. */
export function prefillKeys(args: Args, L: number, window: number): number {
  const mask = str(args, 'mask');
  if (L <= 0) return 0;
  if (mask === 'bidirectional') return L;
  if (mask === 'cross') return crossLength(args, L);
  if (isSparse(mask)) return sparsePairs(mask, args, L) / L;
  if (mask === 'prefix') {
    const P = Math.min(num(args, 'prefix'), L);
    return (P * P + (L * (L + 1) - P * (P + 1)) / 2) / L;
  }
  if (mask === 'candidates') {
    const C = Math.min(num(args, 'candidates'), L);
    const N = L - C;
    return ((N * (N + 1)) / 2 + C * (N + 1)) / L;
  }
  return causalAverageKeys(L, window);
}

/** S: positions of the stream a cross-attention reads (`kv_len`, default the context L). */
export function crossLength(args: Args, L: number): number {
  return num(args, 'kv_len') || L;
}

/** The visible-pair rule of a mask for query position `pos` and key position `s` in a sequence of `L` tokens. */
export function visible(args: Args, window: number, L: number): (pos: number, s: number) => boolean {
  const mask = str(args, 'mask');
  const causal = (pos: number, s: number): boolean => s <= pos && (window <= 0 || pos - s < window);
  if (mask === 'bidirectional' || mask === 'cross') return () => true;
  if (isSparse(mask)) return sparseVisible(mask, args, L);
  if (mask === 'prefix') { const P = num(args, 'prefix'); return (pos, s) => (pos < P && s < P) || causal(pos, s); }
  if (mask === 'candidates') { const N = L - num(args, 'candidates'); return (pos, s) => (pos < N ? s <= pos : s < N || s === pos); }
  return causal;
}

/** Keys one decode step at context L reads, and positions its cache keeps (min(L, W) unless a sparse pattern says less). */
export function stepKeys(args: Args, L: number, window: number): { read: number; cached: number } {
  const mask = str(args, 'mask');
  if (isSparse(mask)) return sparseStep(mask, args, L);
  const keys = decodeKeys(L, window);
  return { read: keys, cached: keys };
}
