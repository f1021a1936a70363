/**
 * The Titans memory shared by every variant's lowering (titans.ts, titansMac.ts): the test-time-trained memory MLP
 * (Behrouz et al. 2024, arXiv 2501.00663 §3.1, Eqs. for surprise with momentum and forgetting), its gates, its
 * initial state and its token-by-token Scan. MACs per memory parameter and token: titans.ts's module comment.
 * MIRAS choices (kinds/miras.ts: loss, retention, momentum) are `lossGradient`, `ruleGates` and `writeMemory`.
 */
import type { GraphBuilder, Tensor } from '../graph';
import { add, expand, linear, matmul, mul, reduceMean, reduceSum, reshape, silu, slice, sub, transpose, unary } from './ops';
import type { Ctx } from './context';
import { scanTime } from './scan';
import { stateIn } from './state';
import type { MemoryRule } from '../../kinds/miras';

function silu1(b: GraphBuilder, z: Tensor): Tensor { // derivative of SiLU
  const s = unary(b, 'Sigmoid', z);
  return mul(b, s, add(b, b.scalar(1), mul(b, z, sub(b, b.scalar(1), s))));
}

/** Forward through the memory layers Ms on a [B,1,d]; returns pre-activations and activations. */
export function forward(b: GraphBuilder, Ms: Tensor[], a0: Tensor): { zs: Tensor[]; as: Tensor[] } {
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

/** Memory MLP widths d → w → … → d (one d×d matrix when L_M = 1). */
export function memoryWidths(d: number, depth: number, w: number): number[] {
  return depth <= 1 ? [d, d] : [d, ...Array(depth - 1).fill(w), d];
}

/** L2 normalisation over the last axis (the paper's normalised q and k). */
export function l2(g: GraphBuilder, t: Tensor): Tensor {
  return mul(g, t, unary(g, 'Reciprocal', unary(g, 'Sqrt', add(g, reduceSum(g, mul(g, t, t), [-1]), g.scalar(1e-6)))));
}

/** The rule's gates [B, N, 1] of x (α, η, θ: sigmoid, scaled 0.1 / 1 / 0.1); emits titans_{…}_l{i} over the last T positions. */
export function memoryGates(c: Ctx, x: Tensor, rule: MemoryRule): Tensor[] {
  const { g, B, T } = c;
  const named = ruleGates(rule);
  const gates = unary(g, 'Sigmoid', linear(g, x, named.length, 'gates', true));
  const N = x.shape[1];
  const gs = named.map(({ scale }, i) => mul(g, slice(g, gates, -1, i, i + 1), g.scalar(scale)));
  named.map((n) => n.name).forEach((n, i) => c.gate(`titans_${n}_l${c.layer}`, reshape(g, N === T ? gs[i] : slice(g, gs[i], 1, N - T, N), [B, T])));
  return gs;
}

/** Initial memory M_0 (parameters; a decode step reads the trained-so-far memory as state) and zero momentum. */
export function memoryInit(c: Ctx, scope: string | undefined, widths: number[], rule: MemoryRule): { Ms: Tensor[]; Ss: Tensor[] } {
  const { g, B } = c;
  const Ms = widths.slice(1).map((o, l) => { // a decode step reads the trained-so-far memory (the parameter stays)
    const init = g.param(`memory_${l}`, [widths[l], o], { normal: 1 / Math.sqrt(widths[l]) });
    return scope && c.cache?.decode ? stateIn(c, scope, `memory${l}`, [B, widths[l], o]) : expand(g, init, [B, widths[l], o]);
  });
  return { Ms, Ss: rule.momentum ? widths.slice(1).map((o, l) => stateIn(c, scope, `momentum${l}`, [B, widths[l], o])) : [] };
}

/** The memory over a sequence: update on (k, v) and read with q, token by token; returns the read-outs and final states. */
export function memoryScan(g: GraphBuilder, m: { Ms: Tensor[]; Ss: Tensor[] }, xs: Tensor[], rule: MemoryRule): { Ms: Tensor[]; Ss: Tensor[]; y: Tensor } {
  const L = m.Ms.length;
  const { states, ys } = scanTime(g, [...m.Ms, ...m.Ss], xs, (b, st, t) => {
    const r = memoryStep(b, st.slice(0, L), st.slice(L), t, rule);
    return { states: [...r.Ms, ...r.Ss], ys: [r.y] };
  });
  return { Ms: states.slice(0, L), Ss: states.slice(L), y: ys[0] };
}

/** One read M(x) of x [B, N, d] with fixed memory weights (no update). */
export function readMemory(g: GraphBuilder, Ms: Tensor[], x: Tensor): Tensor {
  const as = forward(g, Ms, x).as;
  return as[as.length - 1];
}
