/**
 * Pieces shared by the memory-augmented kinds (ntm.ts, dnc.ts; formulas in kinds/ntm.ts, kinds/dnc.ts):
 * the controller (LSTM or one tanh layer over [x_t, r_{t−1}]), cosine content addressing (Graves et al. 2014 §3.3.1,
 * Graves et al. 2016 Methods "Content-based addressing"), and the erase-then-add write (2014 §3.2, 2016 Methods).
 * Counted MACs (count.ts): the MatMuls and the `#mac` product of the memory with the erase matrix.
 */
import type { Controller } from '../../kinds/ntm';
import type { GraphBuilder, Tensor } from '../graph';
import type { Ctx } from './context';
import { add, div, expand, linear, matmul, mul, reduceSum, slice, sub, transpose, unary } from './ops';
import { stateIn, stateOut } from './state';

type G = GraphBuilder;

export interface CtrlWeights { readonly ctrl: Controller; readonly xs: Tensor; readonly Wr: Tensor; readonly Whh?: Tensor; readonly bhh?: Tensor }

/** The controller's input part x·W_x (+ its bias) for every step at once, and the weights the step reads. */
export function controllerWeights(g: G, ctrl: Controller, x: Tensor, readWidth: number): CtrlWeights {
  const gates = ctrl.kind === 'lstm' ? 4 * ctrl.H : ctrl.H;
  const xs = linear(g, x, gates, 'w_x', true);
  const Wr = g.param('w_r', [readWidth, gates], { normal: 1 / Math.sqrt(readWidth) });
  if (ctrl.kind === 'mlp') return { ctrl, xs, Wr };
  const Whh = g.param('w_hh', [ctrl.H, gates], { normal: 1 / Math.sqrt(ctrl.H) });
  return { ctrl, xs, Wr, Whh, bhh: ctrl.biases === 2 ? g.param('b_hh', [gates], { normal: 0.02 }) : undefined };
}

/** Names of the controller's state (h, c for an LSTM). */
export const controllerNames = (ctrl: Controller): string[] => (ctrl.kind === 'lstm' ? ['h', 'c'] : []);

/** The controller state before the first token: decode inputs, the learned h₀, c₀ (pytorch-ntm), or zeros. */
export function controllerInit(c: Ctx, scope: string | undefined, ctrl: Controller): Tensor[] {
  return controllerNames(ctrl).map((n) => {
    if (!ctrl.learnedInit) return stateIn(c, scope, n, [c.B, ctrl.H]);
    const p = c.g.param(`${n}0`, [ctrl.H], { normal: 0.05 });
    return scope && c.cache?.decode ? stateIn(c, scope, n, [c.B, ctrl.H]) : expand(c.g, p, [c.B, ctrl.H]);
  });
}

/** One controller step: returns h and the new controller state. */
export function controllerStep(s: G, w: CtrlWeights, xt: Tensor, reads: Tensor, state: Tensor[]): { h: Tensor; state: Tensor[] } {
  let pre = add(s, xt, matmul(s, reads, w.Wr));
  if (w.ctrl.kind === 'mlp') return { h: unary(s, 'Tanh', pre), state: [] };
  const H = w.ctrl.H, [h, c] = state;
  pre = add(s, pre, matmul(s, h, w.Whh!));
  if (w.bhh) pre = add(s, pre, w.bhh);
  const gate = (j: number, op: string): Tensor => unary(s, op, slice(s, pre, -1, j * H, (j + 1) * H));
  const c2 = add(s, mul(s, gate(1, 'Sigmoid'), c), mul(s, gate(0, 'Sigmoid'), gate(2, 'Tanh')));
  const h2 = mul(s, gate(3, 'Sigmoid'), unary(s, 'Tanh', c2));
  return { h: h2, state: [h2, c2] };
}

/** Reads consecutive fields off an interface vector [B, P] (last axis). */
export function fields(s: G, iface: Tensor): (n: number) => Tensor {
  let at = 0;
  return (n) => slice(s, iface, -1, at, (at += n));
}

export const softplus = (s: G, x: Tensor): Tensor => unary(s, 'Softplus', x);
export const oneplus = (s: G, x: Tensor): Tensor => add(s, s.scalar(1), softplus(s, x));
export const sigmoid = (s: G, x: Tensor): Tensor => unary(s, 'Sigmoid', x);

const norms = (s: G, x: Tensor): Tensor => unary(s, 'Sqrt', reduceSum(s, mul(s, x, x), [-1]));

/** Content weights softmax_i(β·cos(k, M_i)) for keys k [B, K, M], strengths β [B, K, 1] on memory [B, N, M]: [B, K, N]. */
export function contentWeights(s: G, mem: Tensor, k: Tensor, beta: Tensor): Tensor {
  const dot = matmul(s, k, transpose(s, mem, [0, 2, 1]));
  const denom = add(s, mul(s, norms(s, k), transpose(s, norms(s, mem), [0, 2, 1])), s.scalar(1e-6));
  return s.op('Softmax', [mul(s, div(s, dot, denom), beta)], dot.shape, { axis: { int: -1 } });
}

/** M ⊙ (1 − w eᵀ) + w aᵀ for one write head: w [B, 1, N], erase e and add a [B, 1, M]. */
export function eraseAdd(s: G, mem: Tensor, w: Tensor, e: Tensor, a: Tensor): Tensor {
  const wT = transpose(s, w, [0, 2, 1]);
  const keep = sub(s, s.scalar(1), matmul(s, wT, e));
  return add(s, s.op('Mul', [mem, keep], mem.shape, {}, { tag: '#mac' }), matmul(s, wT, a));
}

/** Outputs each named state after the scan. */
export function outputStates(c: Ctx, scope: string | undefined, names: readonly string[], states: readonly Tensor[]): void {
  names.forEach((n, j) => stateOut(c, scope, n, states[j]));
}
