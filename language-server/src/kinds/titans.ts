/**
 * Titans neural long-term memory (Behrouz, Zhong, Mirrokni 2024, arXiv 2501.00663; Eqs. for surprise with momentum and forgetting, §3.1).
 * A memory MLP M (depth L_M, hidden width w) is trained at test time: S_t = η_t·S_{t−1} − θ_t·∇‖M(k_t) − v_t‖²,
 * M_t = (1 − α_t)·M_{t−1} + S_t, read-out y_t = M*(q_t). P_mem = d·d (L_M = 1) else d·w + (L_M−2)·w² + w·d.
 * Trained parameters: W_Q, W_K, W_V, W_O (4·d²), the α/η/θ gate projections (3·d + 3), depthwise convs
 * (kernel 4) on q, k, v (3·d·4), the initial memory M_0 (P_mem) and N_p persistent tokens (N_p·d).
 * State per sequence: memory weights + momentum, 2·P_mem elements in state_dtype, constant in L.
 * FLOPs/token: 2·(4·d² + 3·d + 12·d) for projections, gates and convs + 10·P_mem for the memory
 * (read-out 2, forward on k 2, backward 4, momentum/decay update 2 — our count; the paper gives no FLOP formula).
 * M_0 is read only when a sequence starts, so it is not in `active`. Decode reads the active weights and
 * read-modify-writes M and S (4·P_mem elements) once per chunk of b tokens.
 * MIRAS choices (loss, retention, momentum: kinds/miras.ts) change the gates, the update FLOPs and the state; the
 * defaults are the rule above.
 */
import type { BlockKind } from './types';
import { byteWidths, dModel, num, recurrentCost, str } from './formulas';
import { titansVariantCost, TITANS_VARIANTS } from './titansVariants';
import { arg, scaleArgs } from './probeScale';
import { isTitansRule, memoryRule, mirasIssues, MIRAS_PARAMS, ruleLine } from './miras';

const CONV_KERNEL = 4;

export const titans: BlockKind = {
  name: 'titans',
  summary: 'Titans neural long-term memory: an MLP memory updated by gradient descent with momentum at test time.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'memory',
  probe: (a, w) => { scaleArgs(a, w, 'memory_width'); if (arg(a, 'persistent')) a.persistent = Math.min(4, arg(a, 'persistent')); },
  params: [
    { name: 'memory_depth', type: 'int', default: 2, min: 1, doc: 'Layers L_M of the memory MLP (1 = a matrix memory).' },
    { name: 'memory_width', type: 'int', min: 1, doc: 'Hidden width w of the memory MLP (default: d_model).' },
    { name: 'persistent', type: 'int', default: 0, min: 0, doc: 'Persistent memory tokens N_p (learned, input-independent).' },
    { name: 'chunk', type: 'int', default: 1, min: 1, doc: 'Tokens per memory update b (1 = per-token update).' },
    { name: 'variant', type: 'enum', values: [...TITANS_VARIANTS],
      doc: 'lmm (the default): the memory alone; mac: memory as context (segment attention over persistent + retrieved + segment tokens inside the block); mag: memory as gate of a sliding-window attention; mal: memory as a layer before it. Memory update FLOPs are reported apart from read FLOPs (titansVariants.ts).' },
    { name: 'segment', type: 'int', min: 1, doc: 'variant: mac: segment length C attended with its retrieved memory (default: 512).' },
    ...MIRAS_PARAMS,
  ],
  validate(args) {
    const issues = mirasIssues(args);
    if (args.segment !== undefined && str(args, 'variant') !== 'mac') issues.push({ arg: 'segment', message: "'segment' needs variant: mac" });
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const depth = num(args, 'memory_depth');
    const w = num(args, 'memory_width') || d;
    const b = num(args, 'chunk');
    const rule = memoryRule(args);
    const G = rule.gates;
    const pMem = depth <= 1 ? d * d : d * w + (depth - 2) * w * w + w * d;
    const dense = 4 * d * d + G * d + G + 3 * d * CONV_KERNEL;
    const params = dense + pMem + num(args, 'persistent') * d;
    const projFlops = 2 * (4 * d * d + G * d + 3 * d * CONV_KERNEL);
    const flops = projFlops + (2 + rule.update) * pMem;
    const active = params - pMem;
    if (str(args, 'variant') && str(args, 'variant') !== 'lmm') {
      return titansVariantCost({ ...args, segment: num(args, 'segment') || 512 }, dims, ctx,
        { d, depth, w, pMem, params, active, projFlops, update: rule.update, state: rule.state, gates: G });
    }
    const { weight, state } = byteWidths(dims);
    const cost = recurrentCost(dims, ctx, {
      params, active, flops, stateElems: rule.state * pMem,
      formula: [
        `P_mem = ${depth <= 1 ? 'd·d' : 'd·w + (L_M−2)·w² + w·d'} = ${pMem} (L_M = ${depth}, w = ${w})`,
        `params = 4·d² + ${G}·d + ${G} + 12·d + P_mem + N_p·d = ${params}`,
        `FLOPs/token = 2·(4·d² + ${12 + G}·d) + ${2 + rule.update}·P_mem = ${flops}`,
        `state = ${rule.state}·P_mem (memory${rule.momentum ? ' + momentum' : ''}) = ${rule.state * pMem} elements; ` +
          `decode RMW ${2 * rule.state}·P_mem·bytes / chunk (b = ${b})`,
        ...(isTitansRule(rule) ? [] : [ruleLine(rule)]),
      ],
    });
    return { ...cost, decodeBytes: active * weight + (ctx.batch * 2 * rule.state * pMem * state) / b };
  },
};
