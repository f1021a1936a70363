/**
 * Sparse attention patterns of `attention(mask: …)`: the visible (query, key) pairs of a prefill of L tokens in closed
 * form (test/unit/sparse-attention.test.ts checks them against a brute-force count of `sparseVisible`, the rule the
 * ONNX lowering builds its mask from), and the keys one decode step reads and keeps.
 * - global_local (Longformer, Beltagy et al. 2020 §3.1; HF LongformerSelfAttention): a bidirectional window of
 *   h = w/2 keys each side (attention_window w, one_sided_attn_window_size = w/2) plus G global tokens (here the
 *   first G positions) that attend to every key and that every query attends to. Pairs = 2·G·L − G² + band(L − G, h),
 *   band(n, h) = n + 2·(m·n − m(m+1)/2), m = min(h, n − 1): the band |i − j| ≤ h of an n×n square.
 * - block_sparse (BigBird ITC, Zaheer et al. 2020 §2 and App. D; HF BigBirdBlockSparseAttention): blocks of b tokens,
 *   n = ⌈L/b⌉. The first and last query blocks see all L keys; blocks 1 and n−2 see 4 + r blocks (their window meets a
 *   global block); the n − 4 others see 3 window + 2 global + r random blocks. HF falls back to full attention when
 *   L ≤ (5 + 2r)·b (max_tokens_to_attend), so this does too. Random blocks are a fixed pseudo-random choice among the
 *   blocks outside the window and the globals: the count does not depend on which.
 * - strided (Sparse Transformer, Child et al. 2019 §4.3, merged head §5.1 Eq. 7; openai/sparse_attention attention.py
 *   get_attn_mask 'local' ∪ 'strided'): causal, the l latest positions (i − l < j ≤ i) and every l-th one
 *   ((i − j) mod l = 0): min(i + 1, l) + ⌊i/l⌋ keys for query i.
 * - fixed (same paper §4.3, A(1) ∪ A(2)): causal, the query's own block of l positions (⌊j/l⌋ = ⌊i/l⌋) and the last c
 *   "summary" positions of every earlier block (j mod l ≥ l − c): (i mod l) + 1 + c·⌊i/l⌋ keys.
 */
import type { Args, ArgIssue } from './types';
import { num, str } from './formulas';

export const SPARSE_MASKS = ['global_local', 'block_sparse', 'strided', 'fixed'] as const;
export type SparseMask = (typeof SPARSE_MASKS)[number];
export const isSparse = (mask: string): mask is SparseMask => (SPARSE_MASKS as readonly string[]).includes(mask);

/** BigBird's released defaults (HF BigBirdConfig: block_size 64, num_random_blocks 3). */
export const BIGBIRD_BLOCK = 64;
export const BIGBIRD_RANDOM = 3;

/** The sizes of a pattern, defaults applied. */
export interface Pattern { readonly G: number; readonly h: number; readonly b: number; readonly r: number; readonly l: number; readonly c: number }

export function pattern(args: Args): Pattern {
  const given = (name: string, fallback: number): number => (args[name] === undefined ? fallback : num(args, name));
  return {
    G: num(args, 'global'), h: Math.floor(num(args, 'window') / 2),
    b: Math.max(1, given('block', BIGBIRD_BLOCK)), r: given('random', BIGBIRD_RANDOM),
    l: Math.max(1, num(args, 'stride')), c: given('summary', 1),
  };
}

/** Σ_{i<L} ⌊i/l⌋. */
function floorSum(L: number, l: number): number {
  const q = Math.floor(L / l);
  return (l * q * (q - 1)) / 2 + (L - q * l) * q;
}

/** Pairs |i − j| ≤ h in an n×n square. */
function band(n: number, h: number): number {
  if (n <= 0) return 0;
  const m = Math.min(h, n - 1);
  return n + 2 * (m * n - (m * (m + 1)) / 2);
}

/** BigBird: number of blocks, and whether the sparse pattern applies (else HF attends fully). */
function blocks(p: Pattern, L: number): { n: number; sparse: boolean } {
  const n = Math.ceil(L / Math.max(1, p.b));
  return { n, sparse: n > 5 + 2 * p.r };
}

/** Visible (query, key) pairs of a prefill of L tokens. */
export function sparsePairs(mask: SparseMask, args: Args, L: number): number {
  if (L <= 0) return 0;
  const p = pattern(args);
  if (mask === 'global_local') {
    const G = Math.min(p.G, L);
    return 2 * G * L - G * G + band(L - G, p.h);
  }
  if (mask === 'block_sparse') {
    const { n, sparse } = blocks(p, L);
    if (!sparse) return L * L;
    const { b, r } = p;
    const s = L - (n - 1) * b; // the last block may be partial
    return (b + s) * L + 2 * b * (3 * b + s + r * b) + (n - 4) * b * (4 * b + s + r * b);
  }
  if (mask === 'strided') {
    const local = L <= p.l ? (L * (L + 1)) / 2 : (p.l * (p.l + 1)) / 2 + (L - p.l) * p.l;
    return local + floorSum(L, p.l);
  }
  const q = Math.floor(L / p.l), rem = L - q * p.l;
  return (q * p.l * (p.l + 1)) / 2 + (rem * (rem + 1)) / 2 + p.c * floorSum(L, p.l);
}

/**
 * One decode step at context L (the new token is position L − 1): keys it reads, and positions the cache must keep.
 * Strided keeps all L (the stride reaches back to position 0) but reads l + ⌊(L−1)/l⌋; Longformer and BigBird are
 * encoders without an incremental decode: the step is one more query at the end, the global rows are not recomputed.
 */
export function sparseStep(mask: SparseMask, args: Args, L: number): { read: number; cached: number } {
  if (L <= 0) return { read: 0, cached: 0 };
  const p = pattern(args);
  const i = L - 1;
  if (mask === 'global_local') {
    const keys = L <= p.G ? L : p.G + Math.min(L - p.G, p.h + 1);
    return { read: keys, cached: keys };
  }
  if (mask === 'block_sparse') return { read: L, cached: L }; // the last block is global
  if (mask === 'strided') return { read: Math.min(L, p.l) + Math.floor(i / p.l), cached: L };
  const keys = (i % p.l) + 1 + p.c * Math.floor(i / p.l);
  return { read: keys, cached: keys };
}

/** The visible-pair rule for query position `pos` and key position `s` in a sequence of L tokens. */
export function sparseVisible(mask: SparseMask, args: Args, L: number): (pos: number, s: number) => boolean {
  const p = pattern(args);
  if (mask === 'global_local') return (pos, s) => pos < p.G || s < p.G || Math.abs(pos - s) <= p.h;
  if (mask === 'strided') return (pos, s) => s <= pos && (pos - s < p.l || (pos - s) % p.l === 0);
  if (mask === 'fixed') {
    return (pos, s) => s <= pos && (Math.floor(s / p.l) === Math.floor(pos / p.l) || s % p.l >= p.l - p.c);
  }
  const { n, sparse } = blocks(p, L);
  if (!sparse) return () => true;
  const random = randomBlocks(n, p.r);
  return (pos, s) => {
    const qi = Math.floor(pos / p.b), kj = Math.floor(s / p.b);
    return qi === 0 || qi === n - 1 || kj === 0 || kj === n - 1 || Math.abs(qi - kj) <= 1 || random(qi).has(kj);
  };
}

/**
 * r distinct random key blocks per query block among those outside its window and the two global blocks (fixed hash
 * order), computed for a query block when first asked: a decode step over 10^6 blocks builds one row, not 10^12 pairs.
 */
function randomBlocks(n: number, r: number): (i: number) => ReadonlySet<number> {
  const rows = new Map<number, ReadonlySet<number>>();
  let last = -1, lastRow: ReadonlySet<number> = new Set();
  return (i) => {
    if (i === last) return lastRow; // masks are filled row by row
    let row = rows.get(i);
    if (!row) { row = randomRow(n, r, i); rows.set(i, row); }
    last = i;
    lastRow = row;
    return row;
  };
}

/** The r eligible key blocks of query block i with the smallest (hash, index): a sort, or a running selection for small r. */
function randomRow(n: number, r: number, i: number): ReadonlySet<number> {
  const hash = (j: number): number => (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca6b)) >>> 0;
  const eligible: number[] = [];
  for (let j = 1; j < n - 1; j++) if (Math.abs(i - j) > 1) eligible.push(j);
  if (eligible.length <= r) return new Set(eligible);
  if (r > 32) return new Set(eligible.sort((a, b) => hash(a) - hash(b)).slice(0, r));
  const best: number[] = []; // ascending by (hash, j); j ascending breaks ties as the stable sort did
  for (const j of eligible) {
    const h = hash(j);
    if (best.length === r && h >= hash(best[r - 1])) continue;
    let at = best.length;
    while (at > 0 && hash(best[at - 1]) > h) at--;
    best.splice(at, 0, j);
    if (best.length > r) best.pop();
  }
  return new Set(best);
}

/** Mask-specific cost words for the hover: the keys of a prefill row and of a decode step. */
export function sparseNote(mask: SparseMask, args: Args): string {
  const p = pattern(args);
  if (mask === 'global_local') return `(Longformer: window ${2 * p.h} (±${p.h}) + ${p.G} global tokens; global rows see all L)`;
  if (mask === 'block_sparse') return `(BigBird ITC: (3 window + 2 global + ${p.r} random) blocks of ${p.b}; full below ${(5 + 2 * p.r) * p.b} tokens)`;
  if (mask === 'strided') return `(Sparse Transformer strided: min(t, ${p.l}) + ⌊(t−1)/${p.l}⌋ ≈ l + L/l keys)`;
  return `(Sparse Transformer fixed: own block of ${p.l} + ${p.c} summary keys per earlier block)`;
}

/** Arguments of the sparse patterns that are missing, out of range, or given without their mask. */
export function sparseIssues(args: Args): ArgIssue[] {
  const mask = str(args, 'mask');
  const out: ArgIssue[] = [];
  const only = (name: string, masks: readonly string[]): void => {
    if (args[name] !== undefined && !masks.includes(mask)) out.push({ arg: name, message: `'${name}' needs mask: ${masks.join(' or ')}` });
  };
  only('global', ['global_local']);
  only('global_proj', ['global_local']);
  only('block', ['block_sparse']);
  only('random', ['block_sparse']);
  only('stride', ['strided', 'fixed']);
  only('summary', ['fixed']);
  const w = num(args, 'window');
  if (mask === 'global_local' && (w <= 0 || w % 2 !== 0)) {
    out.push({ arg: 'window', message: `mask: global_local needs an even window w > 0 (Longformer attention_window: w/2 keys each side), got ${w}` });
  }
  if ((mask === 'strided' || mask === 'fixed') && num(args, 'stride') < 1) out.push({ message: `mask: ${mask} needs 'stride' (l ≥ 1)` });
  if (mask === 'fixed' && num(args, 'summary') > num(args, 'stride')) out.push({ arg: 'summary', message: `summary (${num(args, 'summary')}) cannot exceed stride (${num(args, 'stride')})` });
  return out;
}
