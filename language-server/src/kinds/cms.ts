/**
 * Continuum memory system (CMS) of HOPE (Behrouz, Razaviyayn, Zhong, Mirrokni 2025, "Nested Learning: The
 * Illusion of Deep Learning Architectures", NeurIPS 2025, §3 / Eq. 30–31): a chain of MLP memories
 * y = MLP^(k)(… MLP^(1)(x)), level ℓ's weights updated every C_ℓ tokens (its update period) from the
 * gradients of its own inner objective over the last chunk, so fast levels adapt in context and slow ones
 * are nearly frozen. Each level: d → d_ff → d without biases, P_ℓ = 2·d·d_ff parameters.
 * Per token, every level is read (2·P FLOPs). A level updates U_ℓ = ⌊L/C_ℓ⌋ times in a prefill of L tokens;
 * an update differentiates the level over its chunk (4·P per token: weight and input gradients, the
 * convention of titans.ts) and applies the step once (2·P), so the prefill pays U_ℓ·(4·P·C_ℓ + 2·P)/L per token
 * — a level whose period exceeds L never updates and costs only its read. In a decode stream (longer than every
 * period) each token's gradient is accumulated (4·P) and applied every C_ℓ tokens (2·P/C_ℓ per token).
 * State per sequence: each level's fast weights and gradient accumulator, 2·P_ℓ elements (state_dtype); a decode
 * step reads the weights, read-modify-writes the accumulator and, amortised, applies the update: (3 + 3/C_ℓ)·P_ℓ
 * elements. The update period therefore changes prefill FLOPs, decode FLOPs and decode bytes.
 */
import type { Args, BlockCost, BlockKind, CostContext, Dims } from './types';
import { byteWidths, dModel, num, numList } from './formulas';
import { scaleArgs } from './probeScale';

export const cms: BlockKind = {
  name: 'cms',
  summary: 'Continuum memory system (Nested Learning / HOPE): a chain of MLP memories, each updated at test time every C_ℓ tokens.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'memory',
  probe: (a, w) => scaleArgs(a, w, 'd_ff'),
  params: [
    { name: 'd_ff', type: 'int', required: true, min: 1, doc: 'Hidden width of every level\'s MLP (d → d_ff → d).' },
    { name: 'periods', type: 'list', required: true, doc: 'Update period C_ℓ in tokens of each level, fastest first (one level per entry).' },
  ],
  validate(args) {
    const p = numList(args, 'periods');
    if (!p.length || p.some((c) => !Number.isInteger(c) || c < 1)) return [{ arg: 'periods', message: 'periods must list at least one positive integer (tokens between updates of each level)' }];
    return [];
  },
  cost: cmsCost,
};

function cmsCost(args: Args, dims: Dims, ctx: CostContext): BlockCost {
  const d = dModel(dims);
  const P = 2 * d * num(args, 'd_ff');
  const periods = numList(args, 'periods');
  const L = Math.max(1, ctx.seq);
  const read = 2 * P * periods.length;
  const update = periods.reduce((s, C) => s + (Math.floor(L / C) * (4 * P * C + 2 * P)) / L, 0);
  const decodeUpdate = periods.reduce((s, C) => s + 4 * P + (2 * P) / C, 0);
  const { weight, state } = byteWidths(dims);
  const stateBytes = 2 * P * periods.length * state;
  const stepElems = periods.reduce((s, C) => s + (3 + 3 / C) * P, 0);
  const params = P * periods.length;
  return {
    params, active: params, prefillFlops: read + update, decodeFlops: read + decodeUpdate, cacheBytes: stateBytes,
    weightBytes: params * weight, hostWeightBytes: 0, decodeBytes: ctx.batch * stepElems * state, hostDecodeBytes: 0,
    updateFlops: update,
    formula: [
      `params = levels·2·d·d_ff = ${periods.length}·2·${d}·${num(args, 'd_ff')} = ${params}`,
      `read FLOPs/token = levels·2·P = ${read}; update FLOPs/token (prefill) = Σ ⌊L/C⌋·(4·P·C + 2·P)/L = ${Math.round(update)} (periods ${periods.join(', ')})`,
      `decode FLOPs = read + Σ (4·P + 2·P/C) = ${Math.round(read + decodeUpdate)}`,
      `state = Σ 2·P (fast weights + gradient accumulator) = ${stateBytes} B; decode moves Σ (3 + 3/C)·P elements`,
    ],
  };
}
