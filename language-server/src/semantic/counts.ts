/** Checks of the counts written in the text: `layers N` and `x N` (elaborate.ts reports the problems). */
import type { Value } from '../kinds/types';

/** Largest `layers N` accepted; beyond it the text is almost certainly a typo. */
export const MAX_LAYERS = 1_000_000;

export type CountCheck = { readonly n: number } | { readonly code: string; readonly message: string } | undefined;

/** A `layers N` count: a non-negative integer up to MAX_LAYERS. */
export function checkLayerCount(v: Value | undefined): CountCheck {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return { code: 'wrong-type', message: `the layer count must be a non-negative integer, found ${JSON.stringify(v)}` };
  if (v > MAX_LAYERS) return { code: 'too-many-layers', message: `at most ${MAX_LAYERS} layers per group` };
  return { n: v };
}

/** An `x N` count: a non-negative integer. */
export function checkRepeat(v: Value | undefined): CountCheck {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { n: v };
  return { code: 'wrong-type', message: `'x' needs a non-negative integer count` };
}
