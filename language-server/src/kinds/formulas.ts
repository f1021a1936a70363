/**
 * Formulas shared by several block kinds. Each one lives here once, with its source.
 * Convention (declared in docs/costs.md): 1 multiply-accumulate = 2 FLOPs; elementwise
 * activations, norms and softmax are not counted (< 1 % for LLM-sized layers).
 */
import type { Args, BlockCost, CostContext, Dims, Value } from './types';
import { dtypeBytes } from './dtypes';

/** Parameters of a dense projection `d_in → d_out` (weight plus optional bias). */
export function linearParams(dIn: number, dOut: number, bias = false): number {
  return dIn * dOut + (bias ? dOut : 0);
}

/**
 * Average number of keys a query attends to over a causal prefill of L tokens with an
 * optional sliding window W (0 = full): (1/L)·Σ_{t=1..L} min(t, W).
 * Causal counting halves the L² term (MaxText convention; Megatron and llm-analysis count
 * the full L²: MaxText PR #537 discusses the choice), so we state it in every hover.
 */
export function causalAverageKeys(L: number, window: number): number {
  if (L <= 0) return 0;
  if (window <= 0 || window >= L) return (L + 1) / 2;
  const inWindow = (window * (window + 1)) / 2;
  return (inWindow + (L - window) * window) / L;
}

/** Keys visible to the decode step at position L (the new token included): min(L, W). */
export function decodeKeys(L: number, window: number): number {
  return window > 0 ? Math.min(L, window) : L;
}

/**
 * Expected number of distinct experts touched when B tokens each pick k of E experts
 * uniformly: E·(1 − (1 − k/E)^B). Uniform routing is the assumption; real routers are skewed,
 * so this is an upper estimate of distinct experts (llm-analysis instead reads all experts, pessimistic at small batch).
 */
export function expectedExpertsTouched(experts: number, topK: number, batch: number): number {
  if (experts <= 0) return 0;
  return experts * (1 - Math.pow(1 - Math.min(topK, experts) / experts, batch));
}

/** Bytes per element for weights, KV cache and recurrent state of a block. */
export function byteWidths(dims: Dims): { weight: number; kv: number; state: number } {
  const weight = dtypeBytes(dims.dtype);
  return { weight, kv: dtypeBytes(dims.kv_dtype ?? dims.dtype), state: dtypeBytes(dims.state_dtype, 4) };
}

/**
 * Decode-step memory traffic of a block whose weights are all read once per step (roofline
 * convention of LLM-Viewer / llm-analysis): weights + B × (cache read + cache write).
 */
export function decodeTraffic(weightBytes: number, cacheReadPerSeq: number, cacheWritePerSeq: number, ctx: CostContext): number {
  return weightBytes + ctx.batch * (cacheReadPerSeq + cacheWritePerSeq);
}

/** Fills the fields most blocks share: dense weights in device memory, no host traffic. */
export function denseCost(
  dims: Dims, ctx: CostContext,
  c: { params: number; active?: number; prefillFlops: number; decodeFlops: number; cacheBytes?: number;
       cacheReadPerSeq?: number; cacheWritePerSeq?: number; formula: string[] },
): BlockCost {
  const { weight } = byteWidths(dims);
  const weightBytes = c.params * weight;
  return {
    params: c.params,
    active: c.active ?? c.params,
    prefillFlops: c.prefillFlops,
    decodeFlops: c.decodeFlops,
    cacheBytes: c.cacheBytes ?? 0,
    weightBytes,
    hostWeightBytes: 0,
    decodeBytes: decodeTraffic((c.active ?? c.params) * weight, c.cacheReadPerSeq ?? 0, c.cacheWritePerSeq ?? 0, ctx),
    hostDecodeBytes: 0,
    formula: c.formula,
  };
}

export function num(args: Args, name: string): number {
  const v = args[name];
  return typeof v === 'number' ? v : 0;
}

export function bool(args: Args, name: string): boolean {
  return args[name] === true;
}

export function str(args: Args, name: string): string {
  const v = args[name];
  return typeof v === 'string' ? v : '';
}

export function numList(args: Args, name: string): number[] {
  const v: Value | undefined = args[name];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return typeof v === 'number' ? [v] : [];
}

/** d_model of the block (validated present by the semantic checker when the kind needs it). */
/**
 * A list for a formula line: every item up to `max`, else the first ones and the count (a formula is rebuilt for every
 * sweep point of the dashboard; `cms(periods: [1 × 10^5])` made each line 300 KB).
 */
export function listText(xs: readonly number[], max = 16): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max - 1).join(', ')}, … (${xs.length.toLocaleString('en-US')} entries)`;
}

export function dModel(dims: Dims): number {
  return dims.d_model ?? 0;
}

/**
 * Fills a recurrent mixer's cost (SSMs, linear attention, RWKV, Titans): FLOPs constant in L, a state of
 * `stateElems` elements per sequence in `state_dtype`, and decode traffic = active weights + B × (state
 * read + state write), the SSM-state read-modify-write of the roofline convention above.
 */
export function recurrentCost(
  dims: Dims, ctx: CostContext,
  c: { params: number; active?: number; flops: number; stateElems: number; formula: string[] },
): BlockCost {
  const { weight, state } = byteWidths(dims);
  const active = c.active ?? c.params;
  const stateBytes = c.stateElems * state;
  return {
    params: c.params,
    active,
    prefillFlops: c.flops,
    decodeFlops: c.flops,
    cacheBytes: stateBytes,
    weightBytes: c.params * weight,
    hostWeightBytes: 0,
    decodeBytes: decodeTraffic(active * weight, stateBytes, stateBytes, ctx),
    hostDecodeBytes: 0,
    formula: c.formula,
  };
}
