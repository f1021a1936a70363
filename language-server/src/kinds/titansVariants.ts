/**
 * The three Titans architectures (Behrouz, Zhong, Mirrokni 2024, arXiv 2501.00663 §4), each costed on its own,
 * with the memory's update FLOPs (`updateFlops`) reported apart from its read FLOPs. Per token, one read of the
 * memory MLP is 2·P_mem FLOPs and one update is 8·P_mem (forward on k 2, backward 4, momentum and decay 2:
 * titans.ts's 10·P_mem split into its parts).
 * - MAC, memory as context (§4.1): the sequence is cut into segments of C tokens; each segment retrieves
 *   h_t = M*(q_t) with the memory before the segment, attends over [N_p persistent; retrieved; the segment] with
 *   its own W_Q, W_K, W_V, W_O (4·d²), writes the attention output y into the memory and reads M*(y) to gate y:
 *   two reads and one update per token. Causal (our decision for a causal LM; the paper's mask figure draws the
 *   retrieved tokens as a full prefix, Eq. 21 retrieving for the whole segment, which leaks later tokens): the
 *   query at position t = 1 … C of its segment sees N_p + 2·t keys (h_1 … h_t and x_1 … x_t), N_p + C + 1 on
 *   average over a whole segment (macKeys: the exact average over the segments of L). A decode step keeps the
 *   memory, its momentum and the memory as of the segment start (3·P_mem, state_dtype) and the open segment's
 *   rows h, W_K x, W_V x (3·C·d, kv dtype; h is its own key and value); a step reads the p rows so far and
 *   writes one, (C + 1)/2 rows of 3·d on average, and reads the segment-start memory (P_mem) once.
 * - MAG, memory as gate (§4.2): the memory reads the block input in parallel with a sliding-window attention
 *   (its own `attention(window: …)` use) whose keys the N_p persistent tokens prefix (4·d·N_p FLOPs per token,
 *   charged here); the memory output gates the attention output (elementwise): one read, one update.
 * - MAL, memory as layer (§4.3): the memory is a layer whose output feeds the sliding-window attention; the
 *   persistent tokens prefix the memory's input sequence: one read, one update per token, plus the N_p prefix
 *   tokens once per sequence (their projections 2·(3·d² + 15·d) and memory 10·P_mem each, amortised over the
 *   L tokens of a prefill; a decode step continues the state).
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
  const mac = variant === 'mac';
  const keys = mac ? macKeys(Np, C, ctx.seq) : variant === 'mag' ? Np : 0;
  const attnParams = mac ? 4 * d * d : 0;
  const attnFlops = 2 * attnParams + 4 * d * keys;
  const flops = m.projFlops + readFlops + updateFlops + attnFlops;
  const { weight, state, kv } = byteWidths(dims);
  const segmentRows = mac ? 3 * C * d * kv : 0;
  const stepRows = mac ? ((C + 1) / 2) * 3 * d * kv + m.pMem * state : 0; // + the segment-start memory read
  const stateElems = (m.state + (mac ? 1 : 0)) * m.pMem; // memory (+ momentum) (+ MAC's segment-start memory)
  const base = recurrentCost(dims, ctx, { params: m.params + attnParams, active: m.active + attnParams, flops, stateElems, formula: [] });
  const prefix = variant === 'mal' ? (Np * (2 * (3 * d * d + 15 * d) + (2 + m.update) * m.pMem)) / Math.max(1, ctx.seq) : 0;
  const chunk = num(args, 'chunk');
  return {
    ...base,
    prefillFlops: flops + prefix,
    decodeFlops: mac ? flops + 4 * d * (Np + C + 1 - keys) : flops,
    cacheBytes: base.cacheBytes + segmentRows,
    decodeBytes: (m.active + attnParams) * weight + ctx.batch * ((2 * m.state * m.pMem * state) / chunk + stepRows),
    updateFlops,
    formula: [
      `P_mem = ${m.depth <= 1 ? 'd·d' : 'd·w + (L_M−2)·w² + w·d'} = ${m.pMem} (L_M = ${m.depth}, w = ${m.w})`,
      `params = 4·d² + ${m.gates}·d + ${m.gates} + 12·d + P_mem + N_p·d${attnParams ? ' + 4·d² (MAC attention)' : ''} = ${m.params + attnParams}`,
      `memory read FLOPs/token = ${reads}·2·P_mem = ${readFlops}; update FLOPs/token = ${m.update}·P_mem = ${updateFlops}`,
      VARIANT_LINE[variant](keys, C, Np) + ` = ${attnFlops}`,
      `FLOPs/token = 2·(4·d² + 15·d) + read + update + attention = ${flops}` +
        (prefix ? `; prefill + N_p·(2·(3·d² + 15·d) + ${2 + m.update}·P_mem)/L = ${flops + prefix} (the persistent prefix, once per sequence)` : ''),
      `state = ${m.state}·P_mem (memory${m.state > 1 ? ' + momentum' : ''})` + (mac ? ' + P_mem (segment-start memory) + segment rows 3·C·d (h, K, V)' : '') +
        `; decode RMW ${2 * m.state}·P_mem·bytes / chunk (b = ${chunk})` + (mac ? ' + P_mem + (C+1)/2·3·d rows' : ''),
    ],
  };
}

/**
 * MAC keys per query, averaged over a prefill of L tokens cut into segments of C (the last n = L mod C long): the
 * query at position t = 1 … n of its segment sees N_p persistent + t retrieved + t segment keys (causal, module
 * comment), Σ_t 2·t = n·(n + 1) per segment, so keys = N_p + (⌊L/C⌋·C·(C + 1) + n·(n + 1)) / L; N_p + C + 1 when
 * C divides L (and for L ≤ 0, the decode average).
 */
export function macKeys(Np: number, C: number, L: number): number {
  if (L <= 0 || C <= 0) return Np + C + 1;
  const rem = L % C;
  return Np + (Math.floor(L / C) * C * (C + 1) + rem * (rem + 1)) / L;
}

const VARIANT_LINE: Record<string, (keys: number, C: number, Np: number) => string> = {
  mac: (k, C, Np) => `MAC attention FLOPs/token = 2·4·d² + 4·d·keys, keys = N_p + C + 1 per whole causal segment (C = ${C}, N_p = ${Np}): ${k} keys`,
  mag: (k) => `MAG: persistent keys of the sliding-window branch 4·d·N_p (N_p = ${k})`,
  mal: () => 'MAL: the memory output feeds the sliding-window attention (persistent tokens prefix its input): no attention here',
  lmm: () => '',
};
