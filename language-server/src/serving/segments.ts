/**
 * Exact sums of per-step times over a growing context without visiting every step: a block's decode FLOPs and
 * bytes are piecewise affine in the context length L (attention: linear in L; a sliding window: min(L, W); an SSM:
 * constant). `affinePieces` splits [lo, hi] by bisection into ranges on which a cost is affine (checked at the
 * ends, the middle and the quarter points; ranges of ≤ 16 steps are kept step by step), and `sumMax` adds
 * max(compute, memory) over the integer L of a piece in closed form, splitting at the crossover.
 */

/**
 * On [lo, hi]: f(L) = f0 + f1·L FLOPs, y(L) = y0 + y1·L weight bytes and k(L) = k0 + k1·L cache (KV / state) bytes,
 * for integer L.
 */
export interface AffinePiece {
  readonly lo: number; readonly hi: number;
  readonly f0: number; readonly f1: number; readonly y0: number; readonly y1: number; readonly k0: number; readonly k1: number;
}

export interface StepCost { readonly flops: number; readonly bytes: number; readonly cacheBytes: number }
export type CostAt = (L: number) => StepCost;

const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function pieceThrough(lo: number, hi: number, a: StepCost, b: StepCost): AffinePiece {
  const span = hi - lo;
  const slope = (x: number, y: number): number => (span ? (y - x) / span : 0);
  const f1 = slope(a.flops, b.flops), y1 = slope(a.bytes, b.bytes), k1 = slope(a.cacheBytes, b.cacheBytes);
  return { lo, hi, f0: a.flops - f1 * lo, f1, y0: a.bytes - y1 * lo, y1, k0: a.cacheBytes - k1 * lo, k1 };
}

function isAffine(p: AffinePiece, cost: CostAt): boolean {
  for (const t of [0.25, 0.5, 0.75]) {
    const L = Math.round(p.lo + t * (p.hi - p.lo));
    const c = cost(L);
    if (!near(c.flops, p.f0 + p.f1 * L) || !near(c.bytes, p.y0 + p.y1 * L) || !near(c.cacheBytes, p.k0 + p.k1 * L)) return false;
  }
  return true;
}

/** Affine pieces covering the integers lo…hi (inclusive). Iterative, so no input can overflow the stack. */
export function affinePieces(cost: CostAt, lo: number, hi: number): AffinePiece[] {
  const out: AffinePiece[] = [];
  const todo: [number, number][] = [[lo, hi]];
  while (todo.length) {
    const [a, b] = todo.pop()!;
    if (b - a <= 16) {
      for (let L = a; L <= b; L++) out.push(pieceThrough(L, L, cost(L), cost(L)));
      continue;
    }
    const p = pieceThrough(a, b, cost(a), cost(b));
    if (isAffine(p, cost)) { out.push(p); continue; }
    const m = Math.floor((a + b) / 2);
    todo.push([m + 1, b], [a, m]);
  }
  return out.sort((x, y) => x.lo - y.lo);
}

/** Σ over integer L in [lo, hi] of (c0 + c1·L). */
function sumAffine(c0: number, c1: number, lo: number, hi: number): number {
  if (hi < lo) return 0;
  const n = hi - lo + 1;
  return n * c0 + c1 * ((lo + hi) * n) / 2;
}

/**
 * Σ over the piece's integer L of max(kc·f(L), km·y(L) + kk·k(L)): compute time vs memory time (weights at km
 * seconds per byte, cache at kk), whichever bounds.
 */
export function sumMax(p: AffinePiece, kc: number, km: number, kk = km): { total: number; compute: number; memory: number } {
  const a0 = kc * p.f0, a1 = kc * p.f1, b0 = km * p.y0 + kk * p.k0, b1 = km * p.y1 + kk * p.k1;
  // compute ≥ memory where (a0 − b0) + (a1 − b1)·L ≥ 0
  const d0 = a0 - b0, d1 = a1 - b1;
  let cut: number;
  if (d1 === 0) cut = d0 >= 0 ? p.lo : p.hi + 1; // compute-bound on [cut, hi] when d1 ≥ 0
  else cut = -d0 / d1;
  let computeLo: number, computeHi: number;
  if (d1 > 0) { computeLo = Math.max(p.lo, Math.ceil(cut)); computeHi = p.hi; }
  else if (d1 < 0) { computeLo = p.lo; computeHi = Math.min(p.hi, Math.floor(cut)); }
  else { computeLo = d0 >= 0 ? p.lo : p.hi + 1; computeHi = p.hi; }
  const compute = computeLo <= computeHi ? sumAffine(a0, a1, computeLo, computeHi) : 0;
  const memLoHi: [number, number][] = computeLo <= computeHi ? [[p.lo, computeLo - 1], [computeHi + 1, p.hi]] : [[p.lo, p.hi]];
  const memory = memLoHi.reduce((s, [lo, hi]) => s + sumAffine(b0, b1, lo, hi), 0);
  return { total: compute + memory, compute, memory };
}
