/**
 * Continuum memory system (CMS) of HOPE (Behrouz, Razaviyayn, Zhong, Mirrokni 2025, "Nested Learning: The
 * Illusion of Deep Learning Architectures", NeurIPS 2025, §3 / Eq. 30–31): a chain of MLP memories
 * y = MLP^(k)(… MLP^(1)(x)), level ℓ's weights updated every C_ℓ tokens (its update period) by the summed
 * gradients of its own objective over the chunk just read (Eq. 31: θ ← θ − Σ_{t in chunk} η·∇ℓ(θ; x_t), with θ
 * constant inside a chunk), so fast levels adapt in context and slow ones are nearly frozen. Each level:
 * d → d_ff → d without biases (GELU), P_ℓ = 2·d·d_ff parameters.
 * The paper leaves the level's objective to the optimiser's error term f; CMS has no key/value projections, so
 * here each level memorises its own input stream u: ℓ(θ; u_t) = ‖MLP_θ(u_t) − u_t‖² (the ℓ2 associative loss of
 * Titans, arXiv 2501.00663 §3.1, with k = v = u — our choice), plain gradient descent with the rate `lr` = η.
 * Per token, every level is read (2·P FLOPs). A level updates U_ℓ = ⌊L/C_ℓ⌋ times in a prefill of L tokens;
 * an update differentiates the level's loss over its chunk — the forward is the read itself (same weights);
 * the weight gradients of both layers (2·P) and the error back through the down-projection (P): 3·P per token,
 * no input gradient of the first layer (the objective is in θ_ℓ only, Eq. 31) — and applies the step once
 * (θ − η·G: one multiply-add per weight, 2·P), so the prefill pays U_ℓ·(3·P·C_ℓ + 2·P)/L per token; a level
 * whose period exceeds L never updates and costs only its read. In a decode stream each token's gradient is
 * accumulated (3·P) and applied every C_ℓ tokens (2·P/C_ℓ per token).
 * State per sequence: each level's fast weights and gradient accumulator, 2·P_ℓ elements (state_dtype), plus the
 * level's position in its chunk (one integer, not counted); a decode step reads the weights, read-modify-writes
 * the accumulator and, amortised, applies the update: (3 + 3/C_ℓ)·P_ℓ elements. The update period therefore
 * changes prefill FLOPs, decode FLOPs and decode bytes.
 */
import type { Args, BlockCost, BlockKind, CostContext, Dims } from './types';
import { byteWidths, dModel, listText, num, numList } from './formulas';
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
    { name: 'lr', type: 'number', default: 0.001, min: 0, doc: 'Test-time learning rate η of every level\'s gradient step (the compiled graph\'s numerics only: no parameters or FLOPs).' },
  ],
  validate(args) {
    const p = numList(args, 'periods');
    if (!p.length || p.some((c) => !Number.isInteger(c) || c < 1)) return [{ arg: 'periods', message: 'periods must list at least one positive integer (tokens between updates of each level)' }];
    return [];
  },
  cost: cmsCost,
};

interface PeriodSums { readonly levels: number; readonly update: number; readonly decodeUpdate: number; readonly stepElems: number; readonly text: string }

/** Sums over the levels per periods list, P and L: the dashboard re-costs a use at every sweep point (10^5 levels took 4 s). */
const SUMS = new WeakMap<object, Map<string, PeriodSums>>();

function periodSums(args: Args, P: number, L: number): PeriodSums {
  const raw = args.periods;
  const memo = typeof raw === 'object' ? SUMS.get(raw) ?? new Map<string, PeriodSums>() : undefined;
  const hit = memo?.get(`${P}|${L}`);
  if (hit) return hit;
  const periods = numList(args, 'periods');
  const sums: PeriodSums = {
    levels: periods.length,
    update: periods.reduce((s, C) => s + (Math.floor(L / C) * (3 * P * C + 2 * P)) / L, 0),
    decodeUpdate: periods.reduce((s, C) => s + 3 * P + (2 * P) / C, 0),
    stepElems: periods.reduce((s, C) => s + (3 + 3 / C) * P, 0),
    text: listText(periods),
  };
  if (memo && typeof raw === 'object') {
    if (memo.size >= 64) memo.clear();
    memo.set(`${P}|${L}`, sums);
    SUMS.set(raw, memo);
  }
  return sums;
}

function cmsCost(args: Args, dims: Dims, ctx: CostContext): BlockCost {
  const d = dModel(dims);
  const P = 2 * d * num(args, 'd_ff');
  const L = Math.max(1, ctx.seq);
  const { levels, update, decodeUpdate, stepElems, text } = periodSums(args, P, L);
  const read = 2 * P * levels;
  const { weight, state } = byteWidths(dims);
  const stateBytes = 2 * P * levels * state;
  const params = P * levels;
  return {
    params, active: params, prefillFlops: read + update, decodeFlops: read + decodeUpdate, cacheBytes: stateBytes,
    weightBytes: params * weight, hostWeightBytes: 0, decodeBytes: ctx.batch * stepElems * state, hostDecodeBytes: 0,
    updateFlops: update,
    formula: [
      `params = levels·2·d·d_ff = ${levels}·2·${d}·${num(args, 'd_ff')} = ${params}`,
      `read FLOPs/token = levels·2·P = ${read}; update FLOPs/token (prefill) = Σ ⌊L/C⌋·(3·P·C + 2·P)/L = ${Math.round(update)} (periods ${text})`,
      `decode FLOPs = read + Σ (3·P + 2·P/C) = ${Math.round(read + decodeUpdate)}`,
      `state = Σ 2·P (fast weights + gradient accumulator) = ${stateBytes} B; decode moves Σ (3 + 3/C)·P elements`,
    ],
  };
}
