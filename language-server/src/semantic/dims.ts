/** Model-level dimensions: names, defaults and validation of `name = value` settings. */
import type { Dims, Value } from '../kinds/types';
import { DTYPES } from '../kinds/dtypes';

export const DEFAULT_DIMS: Dims = { dtype: 'bf16', state_dtype: 'fp32', tied: false };

export interface DimSpec {
  readonly name: keyof Dims;
  readonly doc: string;
  readonly check: (v: Value) => string | undefined;
}

const positiveInt = (v: Value): string | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? undefined : 'a positive integer';
const dtype = (v: Value): string | undefined =>
  typeof v === 'string' && DTYPES.includes(v) ? undefined : `one of ${DTYPES.join(', ')}`;
const positiveNumber = (v: Value): string | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'a positive number';
const boolean = (v: Value): string | undefined => (typeof v === 'boolean' ? undefined : 'true or false');

export const DIM_SPECS: readonly DimSpec[] = [
  { name: 'vocab', doc: 'Vocabulary size (rows of the embedding table).', check: positiveInt },
  { name: 'd_model', doc: 'Hidden width of the residual stream.', check: positiveInt },
  { name: 'context', doc: 'Default context length L for cost reports (overridden by --seq / settings).', check: positiveInt },
  { name: 'dtype', doc: 'Weight and activation data type (default bf16).', check: dtype },
  { name: 'kv_dtype', doc: 'KV-cache data type (default: dtype).', check: dtype },
  { name: 'state_dtype', doc: 'Recurrent-state data type for SSM / linear-attention / memory blocks (default fp32).', check: dtype },
  { name: 'tied', doc: 'Whether lm_head shares the embedding matrix (default false).', check: boolean },
  { name: 'tokens', doc: 'Training tokens D: the hover and the dashboard\'s Training section estimate GPU-hours for them (no effect on inference costs).', check: positiveNumber },
];

export const DIM_NAMES: ReadonlySet<string> = new Set(DIM_SPECS.map((s) => s.name));

/** Returns an "expected …" message when `value` is not valid for dimension `name`. */
export function checkDim(name: string, value: Value): string | undefined {
  const spec = DIM_SPECS.find((s) => s.name === name);
  return spec?.check(value);
}

export function withDim(dims: Dims, name: string, value: Value): Dims {
  return { ...dims, [name]: value } as Dims;
}
