/**
 * The three Titans architectures (Behrouz, Zhong, Mirrokni 2024, arXiv 2501.00663 §4), each costed on its own,
 * with the memory's update FLOPs (`updateFlops`) reported apart from its read FLOPs. Per token, one read of the
 * memory MLP is 2·P_mem FLOPs and one update is 8·P_mem (forward on k 2, backward 4, momentum and decay 2:
 * titans.ts's 10·P_mem split into its parts).
 * - MAC, memory as context (§4.1): the sequence is cut into segments of C tokens; each segment retrieves
 *   h = M*(q) for its C tokens, attends over [N_p persistent; C retrieved; the segment, causally] with its own
 *   W_Q, W_K, W_V, W_O (4·d²), writes the attention output y into the memory and reads M*(y) to gate y: two
 *   reads and one update per token; keys per query N_p + C + (C+1)/2; the segment's K/V, (N_p + 2C)·2·d, are
 *   cached next to the memory state.
 * - MAG, memory as gate (§4.2): the memory reads the block input in parallel with a sliding-window attention
 *   (its own `attention(window: …)` use) whose keys the N_p persistent tokens prefix (4·d·N_p FLOPs per token,
 *   charged here); the memory output gates the attention output (elementwise): one read, one update.
 * - MAL, memory as layer (§4.3): the memory is a layer whose output feeds the sliding-window attention; the
 *   persistent tokens prefix the memory's input sequence (N_p updates once per sequence, not per token): one
 *   read, one update.
 */
import type { Args, BlockCost, CostContext, Dims } from './types';
import { byteWidths, num, recurrentCost, str } from './formulas';

export const TITANS_VARIANTS = ['lmm', 'mac', 'mag', 'mal'] as const;

/** The long-term memory's own parts: the memory MLP P_mem and the trained projections around it. */
export interface MemoryParts {
  d: number; depth: number; w: number; pMem: number; params: number; active: number; projFlops: number;
  /** Update FLOPs and state elements per memory parameter (kinds/miras.ts: 8 and 2 for Titans' rule). */
  update: number; state: number; gates: number;
}

export function titansVariantCost(args: Args, dims: Dims, ctx: CostContext, m: MemoryParts): BlockCost {
  const variant = str(args, 'variant');
  const Np = num(args, 'persistent');
  const d = m.d;
  const reads = variant === 'mac' ? 2 : 1;
  const readFlops = reads * 2 * m.pMem;
  const updateFlops = m.update * m.pMem;
  const C = variant === 'mac' ? num(args, 'segment') : 0;
  const keys = variant === 'mac' ? Np + C + (C + 1) / 2 : variant === 'mag' ? Np : 0;
  const attnParams = variant === 'mac' ? 4 * d * d : 0;
  const attnFlops = 2 * attnParams + 4 * d * keys;
  const flops = m.projFlops + readFlops + updateFlops + attnFlops;
  const { weight, state, kv } = byteWidths(dims);
  const segmentKv = variant === 'mac' ? (Np + 2 * C) * 2 * d * kv : 0;
  const base = recurrentCost(dims, ctx, { params: m.params + attnParams, active: m.active + attnParams, flops, stateElems: m.state * m.pMem, formula: [] });
  const chunk = num(args, 'chunk');
  return {
    ...base,
    cacheBytes: base.cacheBytes + segmentKv,
    decodeBytes: (m.active + attnParams) * weight + ctx.batch * ((2 * m.state * m.pMem * state) / chunk + segmentKv),
    updateFlops,
    formula: [
      `P_mem = ${m.depth <= 1 ? 'd·d' : 'd·w + (L_M−2)·w² + w·d'} = ${m.pMem} (L_M = ${m.depth}, w = ${m.w})`,
      `params = 4·d² + ${m.gates}·d + ${m.gates} + 12·d + P_mem + N_p·d${attnParams ? ' + 4·d² (MAC attention)' : ''} = ${m.params + attnParams}`,
      `memory read FLOPs/token = ${reads}·2·P_mem = ${readFlops}; update FLOPs/token = ${m.update}·P_mem = ${updateFlops}`,
      VARIANT_LINE[variant](keys, C, Np) + ` = ${attnFlops}`,
      `FLOPs/token = 2·(4·d² + 15·d) + read + update + attention = ${flops}`,
      `state = ${m.state}·P_mem (memory${m.state > 1 ? ' + momentum' : ''})${segmentKv ? ' + segment K/V (N_p + 2·C)·2·d' : ''}; decode RMW ${2 * m.state}·P_mem·bytes / chunk (b = ${chunk})`,
    ],
  };
}

const VARIANT_LINE: Record<string, (keys: number, C: number, Np: number) => string> = {
  mac: (k, C, Np) => `MAC attention FLOPs/token = 2·4·d² + 4·d·(N_p + C + (C+1)/2), C = ${C}, N_p = ${Np}: ${k} keys`,
  mag: (k) => `MAG: persistent keys of the sliding-window branch 4·d·N_p (N_p = ${k})`,
  mal: () => 'MAL: the memory output feeds the sliding-window attention (persistent tokens prefix its input): no attention here',
  lmm: () => '',
};
