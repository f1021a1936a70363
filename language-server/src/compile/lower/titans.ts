/**
 * Titans neural long-term memory (Behrouz et al. 2024, arXiv 2501.00663 §3): q, k, v projections with depthwise
 * causal convs (kernel 4), per-token gates α (forget), η (momentum), θ (learning rate), and a memory MLP M (depth
 * L_M, SiLU between layers) trained at test time inside an ONNX Scan, one token per step (`chunk` changes when the
 * update is applied, not its MACs, and is not modelled): loss ‖M(k) − v‖², S ← η·S − θ·∇, M ← (1 − α)·M + S,
 * output M(q) with the updated memory, then W_O.
 * MACs per memory parameter, the engine's 10·P_mem FLOPs: forward on k (1), backward (2: the weight gradient
 * and the input gradient of every layer, the first layer's included), the decay-and-add of M (1, a `#mac` Mul),
 * the read-out (1). The momentum product η·S is counted by the engine inside that update and is not tagged.
 * Variants (§4; costs in kinds/titansVariants.ts):
 * - lmm (no variant): the N_p persistent tokens' mean is added to the read-out.
 * - mag, memory as gate (§4.2, o = y ⊗ M(x̃)): the sliding-window attention is the `attention` use before this
 *   block, so its output is in the stream x this block reads; the block adds that branch's persistent-token part,
 *   softmax(q·Pᵀ/√d)·P (the N_p persistent tokens as keys and values: 2·d·N_p MACs per token), and gates the sum
 *   with the memory: W_O(σ(M(q)) ⊗ (x + attn_P)).
 * - mal, memory as layer (§4.3): the persistent tokens prefix the memory's input (x̃ = [P; x]) in a prefill, so
 *   the memory is trained on them first; their outputs are dropped before W_O. A decode step continues the state.
 * - mac, memory as context (§4.1): titansMac.ts.
 * MIRAS choices (kinds/miras.ts: loss, retention, momentum; Behrouz et al. 2025, arXiv 2504.13173) change the
 * update rule: titansMemory.ts `lossGradient`, `ruleGates`, `writeMemory` (re-exported here).
 */
import { num, str } from '../../kinds/formulas';
import { memoryRule } from '../../kinds/miras';
import type { GraphBuilder, Tensor } from '../graph';
import { add, concat, expand, linear, matmul, mul, reduceMean, slice, softmax, transpose, unary, unsqueeze } from './ops';
import { dModelOf, type KindLowering } from './context';
import { convState, stateOut, stateScope } from './state';
import { l2, memoryGates, memoryInit, memoryScan, memoryWidths } from './titansMemory';
import { lowerMac } from './titansMac';

export { lossGradient, ruleGates, writeMemory } from './titansMemory';

/** softmax(q·Pᵀ/√d)·P: queries [B, T, d] over the N_p persistent tokens P [N_p, d] as keys and values. */
function persistentAttend(g: GraphBuilder, q: Tensor, P: Tensor): Tensor {
  const s = mul(g, matmul(g, q, transpose(g, P, [1, 0])), g.scalar(1 / Math.sqrt(P.shape[1])));
  return matmul(g, softmax(g, s), P);
}

export const titans: KindLowering = {
  role: 'sublayer',
  lower(c, blk) {
    const variant = str(blk.args, 'variant') || 'lmm';
    if (variant === 'mac') return lowerMac(c, blk);
    const { g, B, T } = c;
    const d = dModelOf(blk);
    const Np = num(blk.args, 'persistent');
    const xin = c.h ?? c.x;
    const P = variant !== 'lmm' && Np > 0 ? g.param('persistent', [Np, d], { normal: 0.1 }) : undefined;
    const prefix = variant === 'mal' && P && c.past === 0 ? Np : 0; // MAL: x̃ = [P; x] in a prefill
    const x = prefix ? concat(g, [expand(g, unsqueeze(g, P!, 0), [B, Np, d]), xin], 1) : xin;
    const scope = stateScope(c, 'titans');
    const conv = (name: string): Tensor => convState(c, scope, `conv_${name}`, linear(g, x, d, `w${name}`), 4, `${name}_conv`);
    const q = l2(g, conv('q'));
    const k = l2(g, conv('k'));
    const v = conv('v');
    const rule = memoryRule(blk.args);
    const gates = memoryGates(c, x, rule);
    const m = memoryInit(c, scope, memoryWidths(d, num(blk.args, 'memory_depth'), num(blk.args, 'memory_width') || d), rule);
    const r = memoryScan(g, m, [q, k, v, ...gates], rule);
    [...r.Ms, ...r.Ss].forEach((t, i) => stateOut(c, scope, i < r.Ms.length ? `memory${i}` : `momentum${i - r.Ms.length}`, t));
    let y = prefix ? slice(g, r.y, 1, prefix, prefix + T) : r.y;
    if (variant === 'lmm' && Np > 0) y = add(g, y, reduceMean(g, g.param('persistent', [Np, d], { normal: 0.1 }), [0]));
    if (variant === 'mag') y = mul(g, unary(g, 'Sigmoid', y), P ? add(g, xin, persistentAttend(g, q, P)) : xin);
    return linear(g, y, c.d, 'wo');
  },
};
