/** Small timing helpers shared by the benchmark modules. */
export interface Stats { p50: number; p99: number; max: number; n: number }

export function stats(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  if (!s.length) return { p50: NaN, p99: NaN, max: NaN, n: 0 };
  return { p50: s[Math.floor(s.length / 2)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))], max: s[s.length - 1], n: s.length };
}

/** Runs `fn` `runs` times and returns each duration in ms. */
export function time(fn: () => void, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export const ms = (x: number): string => (!Number.isFinite(x) ? '—' : x < 0.1 ? `${(x * 1000).toFixed(1)} µs` : `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`);
