/** The fitted constants (calibration.json) and the `ideal` profile: a pure roofline with datasheet rates. */
import data from './calibration.json';
import type { Calibration, FrameworkProfile, GlobalConstants } from './types';

export const CALIBRATION: Calibration = { global: data.global, frameworks: data.frameworks };

/** The hand-set starting values of every fit (workspace fractions and names from the fitted profiles). */
export const PRIORS: Calibration = {
  global: data.priors.global,
  frameworks: Object.fromEntries(Object.entries(data.frameworks).map(([k, f]) => [k, { ...f, ...data.priors.frameworks[k as keyof typeof data.priors.frameworks] }])),
};
export const CALIBRATION_PROVENANCE: string = data.provenance;

/** Datasheet peaks and bandwidths, no skinny-GEMM penalty, free collectives' latency. */
export const IDEAL_GLOBAL: GlobalConstants = { bandwidthEfficiency: 1, gemmEfficiency: 1, gemmHalfTokens: 0, linkEfficiency: 1, collectiveLatency: 0, groupedGemmEfficiency: 1, cacheBandwidthEfficiency: 1 };

export const IDEAL_PROFILE: FrameworkProfile = {
  name: 'ideal roofline', stepOverhead: 0, blockOverhead: 0, gemmScale: 1, bandwidthScale: 1, workspaceFraction: 0,
  source: 'Williams et al. 2009 roofline with datasheet peaks: no overheads',
};

/**
 * Profile variants: a framework release whose kernels differ in a way the model names (not fitted), sharing every
 * fitted constant with its base profile (calibration.json `variants`, each with its source).
 */
interface Variant { readonly base: string; readonly name: string; readonly sharedKvReads?: boolean; readonly source: string }
const VARIANTS: Readonly<Record<string, Variant>> = data.variants;

/** Framework ids accepted by `--framework` and `archlens.framework`. */
export const FRAMEWORKS: readonly string[] = ['ideal', ...Object.keys(data.frameworks), ...Object.keys(VARIANTS)];

/** The profile whose fitted constants a framework id uses (itself, or a variant's base). */
export function baseFramework(id: string): string {
  return VARIANTS[id]?.base ?? id;
}

/** The calibration and profile a framework runs with; `ideal` ignores the fitted constants. */
export function frameworkSetup(id: string, cal: Calibration = CALIBRATION): { cal: Calibration; fw: FrameworkProfile } {
  if (id === 'ideal') return { cal: { ...cal, global: IDEAL_GLOBAL }, fw: IDEAL_PROFILE };
  const base = cal.frameworks[baseFramework(id)];
  if (!base) throw new Error(`unknown framework '${id}'; known: ${FRAMEWORKS.join(', ')}`);
  const v = VARIANTS[id];
  return { cal, fw: v ? { ...base, name: v.name, sharedKvReads: v.sharedKvReads, source: `${base.source}; ${v.source}` } : base };
}
