/**
 * Numeric safety of a model report. Costs are IEEE doubles: integers above 2^53 (Number.MAX_SAFE_INTEGER,
 * ≈ 9.007 × 10^15) can no longer all be represented, so a trillion-parameter model × bytes × a batch of thousands
 * is only known to ~16 significant digits. Such figures are flagged rather than shown as if exact: the report
 * gets `precise: false` and the list of figures concerned; counts that are printed digit for digit (parameters,
 * bytes) also get a warning. Figures that overflow to Infinity or become NaN are flagged too (printed as '—').
 */
import type { PrecisionWarning } from './warnings';

export interface PrecisionInput {
  readonly batch: number;
  readonly seq: number;
  readonly totals: {
    readonly params: { readonly total: number; readonly active: number };
    readonly flops: { readonly prefillPerToken: number; readonly decodePerToken: number; readonly trainingPerToken: number };
    readonly weightBytes: number; readonly hostWeightBytes: number; readonly cacheBytesPerSequence: number;
    readonly decodeBytesPerStep: number; readonly hostBytesPerStep: number; readonly expertBytesPerStep: number;
  };
  readonly deviceBytes: number;
}

export interface PrecisionCheck {
  /** False when some figure exceeds 2^53 or is not finite. */
  readonly precise: boolean;
  /** The figures concerned, by name. */
  readonly imprecise: readonly string[];
  /** Warnings for figures that are counts (parameters, bytes). */
  readonly warnings: readonly PrecisionWarning[];
}

const unsafe = (x: number): boolean => !Number.isFinite(x) || Math.abs(x) > Number.MAX_SAFE_INTEGER;

/** Every figure a report derives, by name; the products (× batch, × seq) are formed here as the roofline does. */
function figures(r: PrecisionInput): { counts: [string, number][]; flops: [string, number][] } {
  const t = r.totals;
  const counts: [string, number][] = [
    ['params (total)', t.params.total], ['params (active)', t.params.active], ['weight bytes', t.weightBytes],
    ['host weight bytes', t.hostWeightBytes], ['cache bytes per sequence', t.cacheBytesPerSequence],
    ['bytes per decode step', t.decodeBytesPerStep], ['host bytes per step', t.hostBytesPerStep],
    ['expert bytes per step', t.expertBytesPerStep], ['device bytes', r.deviceBytes],
  ];
  const flops: [string, number][] = [
    ['prefill FLOPs per token', t.flops.prefillPerToken], ['decode FLOPs per token', t.flops.decodePerToken],
    ['training FLOPs per token', t.flops.trainingPerToken],
    ['prefill FLOPs (B × L tokens)', r.batch * r.seq * t.flops.prefillPerToken],
    ['decode FLOPs per step (B sequences)', r.batch * t.flops.decodePerToken],
  ];
  return { counts, flops };
}

export function checkPrecision(r: PrecisionInput): PrecisionCheck {
  const { counts, flops } = figures(r);
  const badCounts = counts.filter(([, v]) => unsafe(v)).map(([k]) => k);
  const badFlops = flops.filter(([, v]) => unsafe(v)).map(([k]) => k);
  const warnings: PrecisionWarning[] = badCounts.length ? [{ code: 'imprecise-counts', figures: badCounts }] : [];
  return { precise: badCounts.length + badFlops.length === 0, imprecise: [...badCounts, ...badFlops], warnings };
}
