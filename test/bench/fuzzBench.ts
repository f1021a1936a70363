/**
 * The fuzz run of `npm run bench`: ARCHLENS_FUZZ_COUNT (default 100,000) seeded inputs through the parser, the
 * analysis, the cost engine and every LSP handler (test/fuzz/lspHandlers.ts). Counts crashes and inputs slower
 * than 100 ms (whole input: analysis + all handlers at 8 offsets; re-timed once to tell a real slow input from a GC or
 * scheduler pause).
 */
import { fuzzInputs, rng } from '../fuzz/generate';
import { runAllHandlers } from '../fuzz/lspHandlers';

export interface FuzzFigures {
  inputs: number;
  seconds: number;
  crashes: number;
  firstCrash?: string;
  /** Slowest whole input (analysis and all handlers), ms. */
  worstInputMs: number;
  /** Inputs whose whole run took over 100 ms at first. */
  over100ms: number;
  /** Of those, the ones still over 100 ms when run again at once (a first slow run can be a GC or scheduler pause). */
  over100msConfirmed: number;
}

/** Runs one input; its time in ms, or the error. */
function once(text: string, r: () => number): number | Error {
  const t = performance.now();
  try { runAllHandlers(text, r); } catch (e) { return e as Error; }
  return performance.now() - t;
}

export function benchFuzz(count: number, seed = 7): FuzzFigures {
  const r = rng(seed ^ 0x5eed);
  const t0 = performance.now();
  let crashes = 0, worst = 0, slow = 0, confirmed = 0, i = 0;
  let firstCrash: string | undefined;
  for (const text of fuzzInputs(count, seed)) {
    const d = once(text, r);
    if (d instanceof Error) {
      crashes++;
      firstCrash ??= `input #${i}: ${d.message}`;
    } else if (d > 100) {
      slow++;
      const again = once(text, rng(i));
      if (typeof again === 'number' && again > 100) confirmed++;
      worst = Math.max(worst, typeof again === 'number' ? Math.min(d, again) : d);
    } else worst = Math.max(worst, d);
    i++;
  }
  return { inputs: i, seconds: (performance.now() - t0) / 1000, crashes, firstCrash, worstInputMs: worst, over100ms: slow, over100msConfirmed: confirmed };
}
