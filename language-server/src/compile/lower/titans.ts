/**
 * Titans neural long-term memory (Behrouz et al. 2024): q, k, v projections with depthwise causal convs
 * (kernel 4), per-token gates α (forget), η (momentum), θ (learning rate), and a memory MLP M (depth L_M,
 * SiLU between layers) trained at test time inside an ONNX Scan, one token per step (`chunk` changes when the
 * update is applied, not its MACs, and is not modelled): loss ‖M(k) − v‖²,
 * S ← η·S − θ·∇, M ← (1 − α)·M + S, output M(q) with the updated memory, then W_O. Persistent tokens:
 * their mean is added to the read-out.
 * MIRAS choices (kinds/miras.ts: loss, retention, momentum) are `lossGradient`, `ruleGates` and `writeMemory`.
 * MACs per memory parameter, the engine's 10·P_mem FLOPs: forward on k (1), backward (2: the weight gradient
 * and the input gradient of every layer, the first layer's included), the decay-and-add of M (1, a `#mac` Mul),
 * the read-out (1). The momentum product η·S is counted by the engine inside that update and is not tagged.
 */
import { num } from '../../kinds/formulas';
import { memoryRule, type MemoryRule } from '../../kinds/miras';
import type { GraphBuilder, Tensor } from '../graph';
import { add, expand, linear, matmul, mul, reduceMean, reduceSum, reshape, silu, slice, sub, transpose, unary } from './ops';
import { dModelOf, type KindLowering } from './context';
import { scanTime } from './scan';
import { convState, stateIn, stateOut, stateScope } from './state';

function silu1(b: GraphBuilder, z: Tensor): Tensor { // derivative of SiLU
  const s = unary(b, 'Sigmoid', z);
  return mul(b, s, add(b, b.scalar(1), mul(b, z, sub(b, b.scalar(1), s))));
}

/** Forward through the memory layers Ms on a [B,1,d]; returns pre-activations and activations. */
function forward(b: GraphBuilder, Ms: Tensor[], a0: Tensor): { zs: Tensor[]; as: Tensor[] } {
  const zs: Tensor[] = [], as: Tensor[] = [a0];
  Ms.forEach((M, l) => {
    const z = matmul(b, as[l], M);
    zs.push(z);
    as.push(l < Ms.length - 1 ? silu(b, z) : z);
  });
  return { zs, as };
}

/** ∂loss/∂M(k) at the error e = M(k) − v (kinds/miras.ts): ℓ2 2·e, ℓp p·sign(e)·|e|^(p−1), Huber clip(e, −δ, δ). */
export function lossGradient(b: GraphBuilder, e: Tensor, rule: MemoryRule): Tensor {
  if (rule.loss === 'lp') {
    const mag = b.op('Pow', [unary(b, 'Abs', e), b.scalar(rule.p - 1)], e.shape);
    return mul(b, mul(b, unary(b, 'Sign', e), mag), b.scalar(rule.p));
  }
  if (rule.loss === 'huber') return b.op('Clip', [e, b.scalar(-rule.delta), b.scalar(rule.delta)], e.shape);
  return mul(b, e, b.scalar(2));
}

/** Per-token gates of the rule, in the order of the gate projection: α (decay), η (momentum), θ; with their scales. */
export function ruleGates(rule: MemoryRule): { name: 'alpha' | 'eta' | 'theta'; scale: number }[] {
  const alpha = { name: 'alpha' as const, scale: 0.1 }, eta = { name: 'eta' as const, scale: 1 };
  return [...(rule.decay ? [alpha] : []), ...(rule.momentum ? [eta] : []), { name: 'theta', scale: 0.1 }];
}

/**
 * The write of one memory layer (kinds/miras.ts): step = η·S − θ·∇ (momentum; S ← step) or −θ·∇, then
 * M ← (1 − α)·M + step (decay) or M + step. The engine's one multiply-add per element when the write has a state
 * product is the `#mac` Mul: the decay M·(1 − α), else the momentum S·η; none for M − θ·∇.
 */
export function writeMemory(b: GraphBuilder, M: Tensor, S: Tensor | undefined, grad: Tensor, g: Record<string, Tensor>): { M: Tensor; S?: Tensor } {
  const surprise = mul(b, grad, g.theta);
  const step = S ? sub(b, b.op('Mul', [S, g.eta], S.shape, {}, g.alpha ? {} : { tag: '#mac' }), surprise) : mul(b, surprise, b.scalar(-1));
  const kept = g.alpha ? b.op('Mul', [M, sub(b, b.scalar(1), g.alpha)], M.shape, {}, { tag: '#mac' }) : M;
  return { M: add(b, kept, step), S: S ? step : undefined };
}

function memoryStep(b: GraphBuilder, Ms: Tensor[], Ss: Tensor[], t: Tensor[], rule: MemoryRule): { Ms: Tensor[]; Ss: Tensor[]; y: Tensor } {
  const [q, k, v, ...gs] = t.map((x) => reshape(b, x, [x.shape[0], 1, x.shape[1]]));
  const gates = Object.fromEntries(ruleGates(rule).map((r, i) => [r.name, gs[i]]));
  const { zs, as } = forward(b, Ms, k);
  let delta = lossGradient(b, sub(b, as[as.length - 1], v), rule);
  const grads: Tensor[] = [];
  for (let l = Ms.length - 1; l >= 0; l--) {
    grads[l] = matmul(b, transpose(b, as[l], [0, 2, 1]), delta);
    const back = matmul(b, delta, transpose(b, Ms[l], [0, 2, 1]));
    delta = l > 0 ? mul(b, back, silu1(b, zs[l - 1])) : back;
  }
  const written = Ms.map((M, l) => writeMemory(b, M, Ss[l], grads[l], gates));
  const Ms2 = written.map((w) => w.M);
  const out = forward(b, Ms2, q).as;
  const y = add(b, out[out.length - 1], mul(b, reduceMean(b, delta, [-1]), b.scalar(0))); // keeps ∂/∂k live
  return { Ms: Ms2, Ss: written.flatMap((w) => (w.S ? [w.S] : [])), y: reshape(b, y, [y.shape[0], y.shape[2]]) };
}

export const titans: KindLowering = {
  role: 'sublayer',
  lower(c, blk) {
    const { g, B } = c;
    const d = dModelOf(blk);
    const depth = num(blk.args, 'memory_depth');
    const w = num(blk.args, 'memory_width') || d;
    const x = c.h ?? c.x;
    const l2 = (t: Tensor): Tensor => mul(g, t, unary(g, 'Reciprocal', unary(g, 'Sqrt', add(g, reduceSum(g, mul(g, t, t), [-1]), g.scalar(1e-6)))));
    const scope = stateScope(c, 'titans');
    const conv = (name: string): Tensor => convState(c, scope, `conv_${name}`, linear(g, x, d, `w${name}`), 4, `${name}_conv`);
    const q = l2(conv('q'));
    const k = l2(conv('k'));
    const v = conv('v');
    const rule = memoryRule(blk.args);
    const named = ruleGates(rule);
    const gates = unary(g, 'Sigmoid', linear(g, x, named.length, 'gates', true));
    const gate = (i: number): Tensor => mul(g, slice(g, gates, -1, i, i + 1), g.scalar(named[i].scale));
    named.forEach((n, i) => c.gate(`titans_${n.name}_l${c.layer}`, reshape(g, gate(i), [B, c.T])));
    const widths = depth <= 1 ? [d, d] : [d, ...Array(depth - 1).fill(w), d];
    const M0 = widths.slice(1).map((o, l) => { // a decode step reads the trained-so-far memory (the parameter stays)
      const init = g.param(`memory_${l}`, [widths[l], o], { normal: 1 / Math.sqrt(widths[l]) });
      return scope && c.cache?.decode ? stateIn(c, scope, `memory${l}`, [B, widths[l], o]) : expand(g, init, [B, widths[l], o]);
    });
    const S0 = rule.momentum ? widths.slice(1).map((o, l) => stateIn(c, scope, `momentum${l}`, [B, widths[l], o])) : [];
    const L = M0.length;
    const { states, ys } = scanTime(g, [...M0, ...S0], [q, k, v, ...named.map((_, i) => gate(i))], (b, states, t) => {
      const r = memoryStep(b, states.slice(0, L), states.slice(L), t, rule);
      return { states: [...r.Ms, ...r.Ss], ys: [r.y] };
    });
    states.forEach((t, i) => stateOut(c, scope, i < L ? `memory${i}` : `momentum${i - L}`, t));
    let y = ys[0];
    const Np = num(blk.args, 'persistent');
    if (Np > 0) y = add(g, y, reduceMean(g, g.param('persistent', [Np, d], { normal: 0.1 }), [0]));
    return linear(g, y, c.d, 'wo');
  },
};
