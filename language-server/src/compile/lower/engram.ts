/**
 * Engram (DeepSeek, arXiv 2601.07372): hashed N-gram lookup + context-aware gate + short causal conv.
 * Hashing is computed in the graph with int64 ops: for order o and hash head k, id = (Σ_{j<o} a_{o,k,j}·tok_{t−j}
 * + c_{o,k}) mod slots (tokens before the start read as 0), offset into one stacked table of orders·heads
 * sub-tables of `slots` rows × dim/(orders·heads) (slots·dim parameters). Then v = W_V·e, k^(m) = W_K^(m)·e,
 * α^(m) = σ(RMSNorm(h^(m))·RMSNorm(k^(m))/√d) → `engram_alpha_l{i}` ([B,T] or [B,T,M]),
 * Y = SiLU(Conv1D(RMSNorm(α·v))) + α·v (depthwise, causal, kernel w, dilation = max order by default).
 * Branches: with M hyper-connection streams h^(m) is stream m and Y is added per stream; otherwise every branch
 * reads the residual and the branch outputs are summed. The gate dot is a batched MatMul (M·d MACs, as the engine).
 */
import { num, numList } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { checkElements } from '../limits';
import { INT64 } from '../../onnx/writer';
import { add, concat, div, expand, gather, linear, matmul, mul, reduceSum, reshape, rmsnorm, silu, slice, unary, unsqueeze } from './ops';
import { residual, type Ctx, type KindLowering } from './context';
import { convState, stateIn, stateOut, stateScope } from './state';

/** Token ids j = 0 … maxO − 1 positions back, each [B, T] (0 before the start, or from state `ids` [B, maxO − 1]). */
function shiftedIds(c: Ctx, maxO: number, scope: string | undefined): Tensor[] {
  const { g, B, T } = c;
  const W = maxO - 1;
  if (scope && W > 0) {
    const all = concat(g, [stateIn(c, scope, 'ids', [B, W], INT64), c.ids], 1); // [B, W + T]
    stateOut(c, scope, 'ids', slice(g, all, 1, T, T + W));
    return Array.from({ length: maxO }, (_, j) => slice(g, all, 1, W - j, W - j + T));
  }
  return Array.from({ length: maxO }, (_, j) => (j === 0 ? c.ids : j >= T ? g.constI(new Array(B * T).fill(0), [B, T], 'zeros_i')
    : concat(g, [g.constI(new Array(B * j).fill(0), [B, j], 'zeros_i'), slice(g, c.ids, 1, 0, T - j)], 1)));
}

/** Table row indices [B, T, orders·heads] for the stacked table. */
function hashIds(c: Ctx, orders: number[], heads: number, slots: number, scope: string | undefined): Tensor {
  const { g, B, T } = c;
  const maxO = orders.reduce((a, o) => Math.max(a, o), 0);
  checkElements(B * T * orders.length * heads * maxO, `the hashed N-gram products [${B}, ${T}, ${orders.length * heads}, ${maxO}]`);
  const shifted = shiftedIds(c, maxO, scope);
  const toks = unsqueeze(g, g.op('Concat', shifted.map((s) => unsqueeze(g, s, 2)), [B, T, maxO], { axis: { int: 2 } }, { type: INT64 }), 2);
  const coef: number[] = [], bias: number[] = [], offs: number[] = [];
  orders.forEach((o, oi) => {
    for (let k = 0; k < heads; k++) {
      const sub = oi * heads + k;
      for (let j = 0; j < maxO; j++) coef.push(j < o ? 1 + ((sub * 7919 + j * 104729 + 31) % 65521) : 0);
      bias.push((sub * 2654435761) % 1000003);
      offs.push(sub * slots);
    }
  });
  const S = orders.length * heads;
  const prod = g.op('Mul', [toks, g.constI(coef, [S, maxO], 'hash_coef')], [B, T, S, maxO], {}, { type: INT64 });
  const sum = g.op('Add', [reduceSum(g, prod, [-1], false), g.constI(bias, [S], 'hash_bias')], [B, T, S], {}, { type: INT64 });
  const mod = g.op('Mod', [sum, g.constI([slots], [], 'slots')], [B, T, S], {}, { type: INT64 });
  return g.op('Add', [mod, g.constI(offs, [S], 'table_offset')], [B, T, S], {}, { type: INT64 });
}

export const engram: KindLowering = {
  role: 'sublayer',
  readsStreams: true,
  lower(c, b) {
    const { g, B, T, d } = c;
    const orders = numList(b.args, 'orders');
    const heads = num(b.args, 'heads');
    const slots = num(b.args, 'slots');
    const dim = num(b.args, 'dim');
    const M = num(b.args, 'branches');
    const S = orders.length * heads;
    const scope = stateScope(c, 'engram');
    const table = g.param('table', [S * slots, dim / S], { normal: 1 });
    const e = reshape(g, gather(g, table, hashIds(c, orders, heads, slots, scope)), [B, T, dim]);
    const perStream = c.streams?.shape[2] === M && !c.pending;
    const H = perStream ? c.streams! : expand(g, unsqueeze(g, c.h ?? residual(c), 2), [B, T, M, d]);
    const v = linear(g, e, d, 'w_v');
    const wk = g.param('w_k', [M, dim, d], { normal: 1 / Math.sqrt(dim) });
    const k = reshape(g, matmul(g, reshape(g, e, [B, T, 1, 1, dim]), wk), [B, T, M, d]);
    const hn = rmsnorm(g, H, g.param('h_norm', [M, d], { fill: 1 }));
    const kn = rmsnorm(g, k, g.param('k_norm', [M, d], { fill: 1 }));
    const dot = matmul(g, reshape(g, hn, [B, T, M, 1, d]), reshape(g, kn, [B, T, M, d, 1]));
    const alpha = unary(g, 'Sigmoid', div(g, reshape(g, dot, [B, T, M]), g.scalar(Math.sqrt(d))));
    c.gate(`engram_alpha_l${c.layer}`, M === 1 ? reshape(g, alpha, [B, T]) : alpha);
    const av = mul(g, unsqueeze(g, alpha, 3), unsqueeze(g, v, 2)); // [B,T,M,d]
    const cn = reshape(g, rmsnorm(g, av, g.param('conv_norm', [M, d], { fill: 1 })), [B, T, M * d]);
    const conv = convState(c, scope, 'conv', cn, num(b.args, 'conv_kernel'), 'conv', { dilation: num(b.args, 'dilation') || Math.max(1, ...orders) });
    const y = add(g, reshape(g, silu(g, conv), [B, T, M, d]), av);
    return perStream ? y : reduceSum(g, y, [2], false);
  },
};
