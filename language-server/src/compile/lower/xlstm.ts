/**
 * xLSTM layers (kinds/xlstm.ts), as NX-AI/xlstm `mLSTMLayer` / `sLSTMLayer` with their stabilised exponential
 * gating (the recurrent step forms, `recurrent_step_stabilized_simple` and the vanilla sLSTM pointwise):
 * - mlstm: proj_up → [x | z]; causal conv + SiLU (window state `conv`) → headwise q, k; headwise v from x; gates
 *   Linear(q ⧺ k ⧺ v → H); an ONNX Scan with states `C` [B,H,dh,dh], `n` [B,H,dh], `m` [B,H]: the decays f·C and
 *   f·n and the input i·k are `#mac`, the outer product (i·k)vᵀ and the read-outs q·C, q·n MatMuls — the
 *   engine's 3 MACs per C and n element; per-head LayerNorm, + learnable_skip·conv, ⊙ SiLU(z), proj_down.
 * - mlstm(variant: large), the xLSTM-7B layer (xlstm_large/model.py): q, k [qk], v and the output gate [v] and
 *   the soft-capped i, f gates straight from x (no proj_up, conv or skip); the same Scan with C [B,H,dk,dv];
 *   per-head norm ⊙ σ(o-gate), out_proj.
 * - slstm: conv + SiLU (state `conv`) → headwise i, f; headwise z, o from x; a Scan with states `h`, `c`, `n`, `m`
 *   [B,H,1,dh]: gates + R·h (block-diagonal MatMul) + bias, then the elementwise stabilised update; per-head LayerNorm.
 */
import { num, bool } from '../../kinds/formulas';
import { mlstmLargeShape, mlstmShape } from '../../kinds/xlstm';
import type { BlockInstance } from '../../semantic/instances';
import type { Tensor } from '../graph';
import { add, concat, div, layernorm, linear, matmul, mul, reshape, silu, slice, sub, unary, unsqueeze } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { scanTime } from './scan';
import { convState, stateIn, stateOut, stateScope } from './state';
import type { GraphBuilder } from '../graph';

const max = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.op('Max', [a, b], a.shape);
const logSigmoid = (g: GraphBuilder, x: Tensor): Tensor => unary(g, 'Neg', unary(g, 'Softplus', unary(g, 'Neg', x)));

/** Block-diagonal projection of x [B,T,w] with `blocks` blocks of (w/blocks)² (LinearHeadwiseExpand), optional bias. */
export function headwise(c: Ctx, x: Tensor, blocks: number, name: string, bias = false): Tensor {
  const { g, B, T } = c;
  const w = x.shape[2], b = w / blocks;
  const W = g.param(name, [blocks, b, b], { normal: 1 / Math.sqrt(b) });
  const y = reshape(g, matmul(g, reshape(g, x, [B, T, blocks, 1, b]), W), [B, T, w]);
  return bias ? add(g, y, g.param(`${name}_bias`, [w], { normal: 0.02 })) : y;
}

/** Per-head LayerNorm with a weight and no bias (MultiHeadLayerNorm) of y [B,T,H,dh] → [B,T,H·dh]. */
function headNorm(c: Ctx, y: Tensor, name: string): Tensor {
  const { g, B, T } = c;
  const w = y.shape[2] * y.shape[3];
  return mul(g, reshape(g, layernorm(g, y), [B, T, w]), g.param(name, [w], { fill: 1 }));
}

/** Stabilised gates from pre-activations ĩ, f̃ and the previous stabiliser m (same shapes): i, f, m'. */
function expGates(s: GraphBuilder, it: Tensor, ft: Tensor, m: Tensor): { i: Tensor; f: Tensor; m2: Tensor } {
  const logfm = add(s, logSigmoid(s, ft), m);
  const m2 = max(s, logfm, it);
  return { i: unary(s, 'Exp', sub(s, it, m2)), f: unary(s, 'Exp', sub(s, logfm, m2)), m2 };
}

function mlstmScan(c: Ctx, scope: string | undefined, xs: Tensor[], H: number, dh: number, dv = dh): Tensor {
  const { g, B } = c;
  const init = [stateIn(c, scope, 'C', [B, H, dh, dv]), stateIn(c, scope, 'n', [B, H, dh]), stateIn(c, scope, 'm', [B, H])];
  const { states, ys } = scanTime(g, init, xs, (s, [C, n, m], [q, k, v, it, ft]) => {
    const { i, f, m2 } = expGates(s, it, ft, m);
    const ik = s.op('Mul', [k, unsqueeze(s, i, 2)], k.shape, {}, { tag: '#mac' });
    const fc = s.op('Mul', [C, unsqueeze(s, unsqueeze(s, f, 2), 3)], C.shape, {}, { tag: '#mac' });
    const C2 = add(s, fc, matmul(s, unsqueeze(s, ik, 3), unsqueeze(s, v, 2)));
    const n2 = add(s, s.op('Mul', [n, unsqueeze(s, f, 2)], n.shape, {}, { tag: '#mac' }), ik);
    const qr = unsqueeze(s, q, 2);
    const qn = reshape(s, matmul(s, qr, unsqueeze(s, n2, 3)), [B, H, 1]);
    const den = add(s, max(s, unary(s, 'Abs', qn), unary(s, 'Exp', unary(s, 'Neg', unsqueeze(s, m2, 2)))), s.scalar(1e-6));
    const h = div(s, reshape(s, matmul(s, qr, C2), [B, H, dv]), den);
    return { states: [C2, n2, m2], ys: [h] };
  });
  ['C', 'n', 'm'].forEach((name, j) => stateOut(c, scope, name, states[j]));
  return ys[0];
}

/** cap·tanh(x / cap): xLSTM-7B's gate soft-capping (xlstm_large components.py `soft_cap`); identity for cap 0. */
function softCap(g: GraphBuilder, x: Tensor, cap: number): Tensor {
  return cap > 0 ? mul(g, unary(g, 'Tanh', mul(g, x, g.scalar(1 / cap))), g.scalar(cap)) : x;
}

/** variant: large (xLSTM-7B mLSTMLayer): q, k, v, o-gate and soft-capped i, f gates from x; norm ⊙ σ(o); out_proj. */
function mlstmLarge(c: Ctx, b: BlockInstance): Tensor {
  const { g, B, T } = c;
  const { H, qk, v, dk, dv } = mlstmLargeShape(b.args, b.dims);
  const bias = bool(b.args, 'bias'), cap = num(b.args, 'gate_soft_cap');
  const x = c.h ?? c.x;
  const scope = stateScope(c, 'mlstm');
  const q = linear(g, x, qk, 'q', bias), k = linear(g, x, qk, 'k', bias), vv = linear(g, x, v, 'v', bias);
  const o = unary(g, 'Sigmoid', linear(g, x, v, 'ogate', bias));
  const it = softCap(g, linear(g, x, H, 'igate', true), cap), ft = softCap(g, linear(g, x, H, 'fgate', true), cap);
  const heads = (t: Tensor, w: number): Tensor => reshape(g, t, [B, T, H, w]);
  const h = mlstmScan(c, scope, [heads(q, dk), heads(mul(g, k, g.scalar(1 / Math.sqrt(dk))), dk), heads(vv, dv), it, ft], H, dk, dv);
  let y = headNorm(c, h, 'outnorm');
  if (bias) y = add(g, y, g.param('outnorm_bias', [v], { fill: 0 }));
  return linear(g, mul(g, y, o), c.d, 'out_proj', bias);
}

export const mlstm: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    if (b.args.variant === 'large') return mlstmLarge(c, b);
    const { g, B, T } = c;
    const { di, H, dh, bs, k } = mlstmShape(b.args, b.dims);
    const bias = bool(b.args, 'bias');
    const scope = stateScope(c, 'mlstm');
    const up = linear(g, c.h ?? c.x, 2 * di, 'proj_up', bias);
    const xm = slice(g, up, -1, 0, di), z = slice(g, up, -1, di, 2 * di);
    const xc = silu(g, convState(c, scope, 'conv', xm, k, 'conv1d', { bias: true }));
    const q = headwise(c, xc, di / bs, 'q_proj', bias), kk = headwise(c, xc, di / bs, 'k_proj', bias), v = headwise(c, xm, di / bs, 'v_proj', bias);
    const gin = concat(g, [q, kk, v], -1);
    const it = linear(g, gin, H, 'igate', true), ft = linear(g, gin, H, 'fgate', true);
    const heads = (t: Tensor): Tensor => reshape(g, t, [B, T, H, dh]);
    const h = mlstmScan(c, scope, [heads(q), heads(mul(g, kk, g.scalar(1 / Math.sqrt(dh)))), heads(v), it, ft], H, dh);
    const skip = add(g, headNorm(c, h, 'outnorm'), mul(g, g.param('learnable_skip', [di], { fill: 1 }), xc));
    return linear(g, mul(g, skip, silu(g, z)), c.d, 'proj_down', bias);
  },
};

function slstmScan(c: Ctx, scope: string | undefined, xs: Tensor[], H: number, dh: number): Tensor {
  const { g, B } = c;
  const R = g.param('recurrent_kernel', [H, dh, 4 * dh], { normal: 1 / Math.sqrt(dh) });
  const bias = g.param('bias', [H, 1, 4 * dh], { normal: 0.1 });
  const shape = [B, H, 1, dh];
  const init = ['h', 'c', 'n', 'm'].map((name) => stateIn(c, scope, name, shape));
  const { states, ys } = scanTime(g, init, xs, (s, [h, cs, n, m], [xi, xf, xz, xo]) => {
    const pre = add(s, matmul(s, h, R), bias); // [B,H,1,4dh]
    const gate = (x: Tensor, j: number): Tensor => add(s, x, slice(s, pre, -1, j * dh, (j + 1) * dh));
    const { i, f, m2 } = expGates(s, gate(xi, 0), gate(xf, 1), m);
    const c2 = add(s, mul(s, f, cs), mul(s, i, unary(s, 'Tanh', gate(xz, 2))));
    const n2 = add(s, mul(s, f, n), i);
    const h2 = div(s, mul(s, unary(s, 'Sigmoid', gate(xo, 3)), c2), n2);
    return { states: [h2, c2, n2, m2], ys: [reshape(s, h2, [B, H, dh])] };
  });
  ['h', 'c', 'n', 'm'].forEach((name, j) => stateOut(c, scope, name, states[j]));
  return ys[0];
}

export const slstm: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T } = c;
    const d = dModelOf(b), H = num(b.args, 'heads'), dh = d / H;
    const x = c.h ?? c.x;
    const scope = stateScope(c, 'slstm');
    const xc = silu(g, convState(c, scope, 'conv', x, num(b.args, 'd_conv'), 'conv1d', { bias: true }));
    const heads = (t: Tensor): Tensor => reshape(g, t, [B, T, H, 1, dh]);
    const gates = [headwise(c, xc, H, 'igate'), headwise(c, xc, H, 'fgate'), headwise(c, x, H, 'zgate'), headwise(c, x, H, 'ogate')];
    return headNorm(c, slstmScan(c, scope, gates.map(heads), H, dh), 'group_norm');
  },
};
