/**
 * Differentiable Neural Computer (kinds/dnc.ts; Graves et al. 2016, Methods), one write head: an ONNX Scan over time
 * with state controller h, c (LSTM), the previous reads [B, R·W], memory [B, N, W], link [B, N, N], precedence,
 * usage and write weights [B, 1, N], read weights [B, R, N]. Per step, in deepmind/dnc's order (access.py
 * `MemoryAccess._build`): usage from the free gates and the previous weights, allocation by sorting the usage (TopK
 * over 1 − u, an exclusive cumulative product as exp(CumSum(log)), ScatterElements back to slot order), write weights
 * from allocation and content (on the old memory), erase and write, link and precedence update, backward / content
 * (on the new memory) / forward read weights mixed by the read modes, reads r = w^r·M. Output Linear([h, r_t]) → d_model.
 */
import { dncInterface, dncShape, type DncShape } from '../../kinds/dnc';
import type { GraphBuilder, Tensor } from '../graph';
import { INT64 } from '../../onnx/writer';
import { add, concat, linear, matmul, mul, reduceSum, reshape, slice, sub, transpose, unary } from './ops';
import { type KindLowering } from './context';
import { checkElements } from '../limits';
import { scanTime, zeros } from './scan';
import { stateIn, stateScope } from './state';
import { contentWeights, controllerInit, controllerNames, controllerStep, controllerWeights, eraseAdd, fields, oneplus, outputStates, sigmoid, type CtrlWeights } from './memoryNet';

type G = GraphBuilder;
const one = (s: G, x: Tensor): Tensor => sub(s, s.scalar(1), x);

/** Usage after the previous write and this step's frees: (u + w^w − u⊙w^w)⊙Π_i(1 − f_i·w^{r,i}) [B, 1, N]. */
function usage(s: G, u: Tensor, ww: Tensor, free: Tensor, wr: Tensor): Tensor {
  const [B, , N] = wr.shape;
  const psi = s.op('ReduceProd', [one(s, mul(s, free, wr))], [B, 1, N], { axes: { ints: [1] }, keepdims: { int: 1 } });
  return mul(s, sub(s, add(s, u, ww), mul(s, u, ww)), psi);
}

/** Allocation a[φ_j] = (1 − u[φ_j])·Π_{k<j} u[φ_k] over the usage sorted ascending (deepmind/dnc ε = 1e-6 floor). */
export function allocation(s: G, u: Tensor): Tensor {
  const [B, , N] = u.shape;
  const free = reshape(s, one(s, add(s, s.scalar(1e-6), mul(s, s.scalar(1 - 1e-6), u))), [B, N]);
  const [vals, idx] = s.multi('TopK', [free, s.constI([N])], [{ shape: [B, N] }, { shape: [B, N], type: INT64 }],
    { axis: { int: -1 }, largest: { int: 1 }, sorted: { int: 1 } });
  const logUsed = unary(s, 'Log', one(s, vals));
  const before = unary(s, 'Exp', s.op('CumSum', [logUsed, s.constI([1], [])], [B, N], { exclusive: { int: 1 } }));
  const sorted = mul(s, vals, before);
  const a = s.op('ScatterElements', [zeros(s, [B, N]), idx, sorted], [B, N], { axis: { int: 1 } });
  return reshape(s, a, [B, 1, N]);
}

/** Link L ← (1 − w_i − w_j)⊙L + w_i·p_j with a zero diagonal; precedence p ← (1 − Σw)·p + w. */
function link(s: G, L: Tensor, p: Tensor, ww: Tensor): { L: Tensor; p: Tensor } {
  const N = ww.shape[2];
  checkElements(N * N, `the DNC link matrix [${N}, ${N}]`);
  const wT = transpose(s, ww, [0, 2, 1]);
  const kept = s.op('Mul', [L, sub(s, one(s, wT), ww)], L.shape, {}, { tag: '#mac' });
  const offDiag = s.constF(Array.from({ length: N * N }, (_, i) => (i % (N + 1) === 0 ? 0 : 1)), [N, N], 'off_diag');
  const L2 = mul(s, add(s, kept, matmul(s, wT, p)), offDiag);
  return { L: L2, p: add(s, mul(s, one(s, reduceSum(s, ww, [-1])), p), ww) };
}

interface Step { readonly w: CtrlWeights; readonly Wi: Tensor; readonly bi: Tensor; readonly sh: DncShape; readonly B: number }

/** One time step: the new states (controller, reads, memory, link, precedence, usage, write and read weights) and [h, r_t]. */
function step(s: G, o: Step, st: Tensor[], xt: Tensor): { states: Tensor[]; y: Tensor } {
  const { B, sh: { W, R } } = o, k = st.length - 7;
  const [readsPrev, mem, L, p, u, wwPrev, wrPrev] = st.slice(k);
  const ctrl = controllerStep(s, o.w, xt, readsPrev, st.slice(0, k));
  const take = fields(s, add(s, matmul(s, ctrl.h, o.Wi), o.bi));
  const col = (n: number, m: number): Tensor => reshape(s, take(n * m), [B, n, m]);
  const rk = col(R, W), rb = oneplus(s, col(R, 1)), wk = col(1, W), wb = oneplus(s, col(1, 1));
  const e = sigmoid(s, col(1, W)), v = col(1, W), free = sigmoid(s, col(R, 1));
  const ga = sigmoid(s, col(1, 1)), gw = sigmoid(s, col(1, 1));
  const modes = s.op('Softmax', [col(R, 3)], [B, R, 3], { axis: { int: -1 } });
  const u2 = usage(s, u, wwPrev, free, wrPrev);
  const ww = mul(s, gw, add(s, mul(s, ga, allocation(s, u2)), mul(s, one(s, ga), contentWeights(s, mem, wk, wb))));
  const mem2 = eraseAdd(s, mem, ww, e, v);
  const lk = link(s, L, p, ww);
  const mode = (j: number): Tensor => slice(s, modes, -1, j, j + 1);
  const back = matmul(s, wrPrev, lk.L), fwd = matmul(s, wrPrev, transpose(s, lk.L, [0, 2, 1]));
  const wr = add(s, add(s, mul(s, mode(0), back), mul(s, mode(1), contentWeights(s, mem2, rk, rb))), mul(s, mode(2), fwd));
  const reads = reshape(s, matmul(s, wr, mem2), [B, R * W]);
  return { states: [...ctrl.state, reads, mem2, lk.L, lk.p, u2, ww, wr], y: concat(s, [ctrl.h, reads], -1) };
}

export const dnc: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B } = c;
    const sh = dncShape(b.args, b.dims);
    const { N, W, R } = sh, H = sh.ctrl.H;
    const scope = stateScope(c, 'dnc');
    const w = controllerWeights(g, sh.ctrl, c.h ?? c.x, R * W);
    const Wi = g.param('interface', [H, dncInterface(sh)], { normal: 1 / Math.sqrt(H) });
    const bi = g.param('interface_bias', [dncInterface(sh)], { normal: 0.02 });
    const ctrlN = controllerNames(sh.ctrl);
    const names = [...ctrlN, 'reads', 'memory', 'link', 'precedence', 'usage', 'write_w', 'read_w'];
    const shapes = [[B, R * W], [B, N, W], [B, N, N], [B, 1, N], [B, 1, N], [B, 1, N], [B, R, N]];
    const init = [...controllerInit(c, scope, sh.ctrl), ...shapes.map((shape, i) => stateIn(c, scope, names[ctrlN.length + i], shape))];
    const { states, ys } = scanTime(g, init, [w.xs], (s, st, [xt]) => {
      const r = step(s, { w, Wi, bi, sh, B }, st, xt);
      return { states: r.states, ys: [r.y] };
    });
    outputStates(c, scope, names, states);
    return linear(g, ys[0], c.d, 'out', true);
  },
};
