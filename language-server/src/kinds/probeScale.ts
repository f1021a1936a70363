/** Helpers of the kinds' probe rules (ProbeScaler in types.ts): width division that keeps each kind valid. */
import type { Value } from './types';

type Mutable = Record<string, Value>;

/** v ÷ w rounded, at least 1. */
export const down = (v: number, w: number): number => Math.max(1, Math.round(v / w));

/** A numeric argument, 0 when absent or not a number. */
export const arg = (a: Mutable, k: string): number => (typeof a[k] === 'number' ? (a[k] as number) : 0);

/** Divides each named (present, positive) argument by w. */
export function scaleArgs(a: Mutable, w: number, ...keys: string[]): void {
  for (const k of keys) if (arg(a, k) > 0) a[k] = down(arg(a, k), w);
}

/** Steps a divisor search may take (exact for n ≤ 10^12; a prime d_model of 10^15 must not loop 10^15 times). */
const DIVISOR_STEPS = 1_000_000;

/**
 * Largest divisor of n that is ≤ cap (≥ 1): counting down from cap while that is short, else through the divisor
 * pairs (i, n / i), i ≤ √n. Past DIVISOR_STEPS pairs (n > 10^12) the largest divisor found so far, still ≤ cap.
 */
export function divisorAtMost(n: number, cap: number): number {
  const top = Math.max(1, Math.min(n, Math.floor(cap)));
  const root = Math.min(Math.floor(Math.sqrt(n)), DIVISOR_STEPS);
  if (top <= 2 * root + 2) {
    for (let k = top; k > 1; k--) if (n % k === 0) return k;
    return 1;
  }
  let best = 1;
  for (let i = 1; i <= root; i++) {
    if (n % i !== 0) continue;
    if (n / i <= top) return n / i; // the first cofactor ≤ top is the largest
    best = i;
  }
  return best;
}

/** Attention heads: KV heads ÷ w with the GQA ratio kept; head_dim ÷ w, or fitted to d when it no longer divides. */
export function scaleHeads(a: Mutable, w: number, d: number): void {
  const H = arg(a, 'heads');
  const KV = arg(a, 'kv_heads') || H;
  const kv = down(KV, w);
  a.heads = kv * (H / KV);
  if (a.kv_heads !== undefined) a.kv_heads = kv;
  if (arg(a, 'head_dim')) a.head_dim = down(arg(a, 'head_dim'), w);
  else if (d % (a.heads as number) !== 0) a.head_dim = Math.max(1, Math.floor(d / (a.heads as number)));
}

/** An even state size N (N/2 complex modes: s4, s4d, h3) scaled down by `w`, at least 2. */
export function scaleEvenState(a: Mutable, w: number): void {
  if (arg(a, 'd_state')) a.d_state = Math.max(2, 2 * Math.round(arg(a, 'd_state') / 2 / w));
}

/** No width argument to scale. */
export const unscaled = (): void => undefined;
