/**
 * The cost algebra: adding and scaling BlockCosts, and the two phase times every view shows. The engine,
 * the hover card and the dashboard sweeps all go through these, so a phase is defined in one place.
 */
import type { BlockCost } from '../kinds/types';
import { roofline, type RooflineTime } from './roofline';

/** The additive fields of a BlockCost (everything but the formula lines). */
export type CostField = Exclude<keyof BlockCost, 'formula'>;

const FIELDS: readonly CostField[] = [
  'params', 'active', 'prefillFlops', 'decodeFlops', 'cacheBytes', 'weightBytes', 'hostWeightBytes',
  'decodeBytes', 'hostDecodeBytes', 'expertBytesDecode', 'updateFlops',
];

/** n occurrences of one block: every additive field × n, the formula kept (absent expert bytes stay absent). */
export function scaleCost(c: BlockCost, n: number): BlockCost {
  const out: Record<string, unknown> = { ...c };
  for (const f of FIELDS) if (c[f] !== undefined) out[f] = (c[f] as number) * n;
  return out as unknown as BlockCost;
}

/** Fields that count stored weights: with shared weights they scale by the distinct copies, not the occurrences. */
const WEIGHT_FIELDS: ReadonlySet<CostField> = new Set<CostField>(['params', 'active', 'weightBytes', 'hostWeightBytes']);

/**
 * n occurrences of one block that hold `copies` distinct sets of weights (≤ n; Universal Transformer, ALBERT,
 * Zamba's shared block): parameters and resident weight bytes × copies; FLOPs, caches and bytes moved per
 * step × n (every repetition computes, keeps its own cache and reads the weights again).
 */
export function scaleShared(c: BlockCost, n: number, copies: number): BlockCost {
  if (copies === n) return scaleCost(c, n);
  const out: Record<string, unknown> = { ...c };
  for (const f of FIELDS) if (c[f] !== undefined) out[f] = (c[f] as number) * (WEIGHT_FIELDS.has(f) ? copies : n);
  return out as unknown as BlockCost;
}

/** Field-wise sum, in order; the formula of a single cost is kept, a sum of several has none. */
export function sumCosts(costs: readonly BlockCost[]): BlockCost {
  const z: Record<CostField, number> = {
    params: 0, active: 0, prefillFlops: 0, decodeFlops: 0, cacheBytes: 0, weightBytes: 0, hostWeightBytes: 0,
    decodeBytes: 0, hostDecodeBytes: 0, expertBytesDecode: 0, updateFlops: 0,
  };
  for (const c of costs) for (const f of FIELDS) z[f] += c[f] ?? 0;
  return { ...z, formula: costs.length === 1 ? costs[0].formula : [] };
}

/** Where the phases run: batch B, context L, device peak FLOP/s (for the dtype) and bandwidth B/s. */
export interface PhaseSetting { readonly batch: number; readonly seq: number; readonly peak: number; readonly bandwidth: number }

/** Prefill of B sequences of L tokens: reads the weights once, writes B sequences' caches (activations not counted). */
export function prefillTime(c: BlockCost, s: PhaseSetting): RooflineTime {
  return roofline(s.batch * s.seq * c.prefillFlops, c.weightBytes + s.batch * c.cacheBytes, s.peak, s.bandwidth);
}

/** One decode step of B sequences at position L: the cost's own bytes moved (weights + cache reads/writes). */
export function decodeTime(c: BlockCost, s: PhaseSetting): RooflineTime {
  return roofline(s.batch * c.decodeFlops, c.decodeBytes, s.peak, s.bandwidth);
}
