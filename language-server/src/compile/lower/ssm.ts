/**
 * Mamba (selective scan) and Mamba-2 (SSD, scalar decay per head), computed by an ONNX Scan over time.
 * Discretisation (dA = exp(Δ·A), u = Δ·x) is computed for all tokens outside the scan (elementwise, not
 * counted); the scan body holds exactly the engine's 3 MACs per state element: the decay h·dA (a `#mac`
 * Mul), the input outer product u⊗B (MatMul) and the read-out h·C (MatMul).
 */
import { bool, num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { add, expand, linear, matmul, mul, reshape, rmsnorm, silu, slice, unary, unsqueeze } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { scanTime } from './scan';
import { convState, stateIn, stateOut, stateScope } from './state';

/** Selective scan: h [B, …, P, N] ← h·dA + u⊗B; y = h·C. dA broadcastable to h; u [B,T,…,P]; Bm, Cm [B,T,…,N]. */
function selectiveScan(c: Ctx, scope: string | undefined, dA: Tensor, u: Tensor, Bm: Tensor, Cm: Tensor, state: readonly number[]): Tensor {
  const { g } = c;
  const { states, ys } = scanTime(g, [stateIn(c, scope, 'ssm', state)], [dA, u, Bm, Cm], (b, [h], [a, ut, bt, ct]) => {
    const decay = b.op('Mul', [h, a], h.shape, {}, { tag: '#mac' });
    const outer = matmul(b, unsqueeze(b, ut, ut.shape.length), unsqueeze(b, bt, bt.shape.length - 1));
    const h2 = add(b, decay, outer);
    const y = matmul(b, h2, unsqueeze(b, ct, ct.shape.length));
    return { states: [h2], ys: [reshape(b, y, y.shape.slice(0, -1))] };
  });
  stateOut(c, scope, 'ssm', states[0]);
  return ys[0];
}

export const mamba: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B } = c;
    const d = dModelOf(b);
    const ds = num(b.args, 'd_state');
    const di = num(b.args, 'd_inner') || num(b.args, 'expand') * d;
    const r = num(b.args, 'dt_rank') || Math.ceil(d / 16);
    const bias = bool(b.args, 'bias');
    const scope = stateScope(c, 'mamba');
    const xz = linear(g, c.h ?? c.x, 2 * di, 'in_proj', bias);
    const x = silu(g, convState(c, scope, 'conv', slice(g, xz, -1, 0, di), num(b.args, 'd_conv'), 'conv', { bias: bool(b.args, 'conv_bias') }));
    const z = slice(g, xz, -1, di, 2 * di);
    const dbc = linear(g, x, r + 2 * ds, 'x_proj');
    const norm = (t: Tensor, w: number, name: string): Tensor => (bool(b.args, 'dt_norms') ? rmsnorm(g, t, g.param(name, [w], { fill: 1 })) : t);
    const dtr = norm(slice(g, dbc, -1, 0, r), r, 'dt_norm');
    const Bm = norm(slice(g, dbc, -1, r, r + ds), ds, 'b_norm');
    const Cm = norm(slice(g, dbc, -1, r + ds, r + 2 * ds), ds, 'c_norm');
    const dt = unary(g, 'Softplus', linear(g, dtr, di, 'dt_proj', true));
    c.gate(`ssm_delta_l${c.layer}`, dt); // Δ [B,T,di]: selectivity (large Δ = reset to the input, small = keep)
    const A = unary(g, 'Neg', unary(g, 'Exp', g.param('A_log', [di, ds], { uniform: [0, 1.5] })));
    const dA = unary(g, 'Exp', mul(g, unsqueeze(g, dt, 3), A)); // [B,T,di,ds]
    const y = selectiveScan(c, scope, dA, mul(g, dt, x), Bm, Cm, [B, di, ds]);
    const yd = add(g, y, mul(g, x, g.param('D', [di], { fill: 1 })));
    return linear(g, mul(g, yd, silu(g, z)), c.d, 'out_proj', bias);
  },
};

export const mamba2: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T } = c;
    const d = dModelOf(b);
    const ds = num(b.args, 'd_state');
    const di = num(b.args, 'd_inner') || num(b.args, 'expand') * d;
    const ng = num(b.args, 'n_groups');
    const P = num(b.args, 'head_dim');
    const nh = di / P;
    const convDim = di + 2 * ng * ds;
    const scope = stateScope(c, 'mamba2');
    const proj = linear(g, c.h ?? c.x, 2 * di + 2 * ng * ds + nh, 'in_proj');
    const z = slice(g, proj, -1, 0, di);
    const xbc = silu(g, convState(c, scope, 'conv', slice(g, proj, -1, di, di + convDim), num(b.args, 'd_conv'), 'conv', { bias: true }));
    const dt = unary(g, 'Softplus', add(g, slice(g, proj, -1, di + convDim, di + convDim + nh), g.param('dt_bias', [nh], { normal: 0.5 })));
    c.gate(`ssm_delta_l${c.layer}`, dt); // Δ [B,T,heads]
    const x = reshape(g, slice(g, xbc, -1, 0, di), [B, T, nh, P]);
    const heads = (from: number): Tensor => reshape(g, expand(g, reshape(g, slice(g, xbc, -1, from, from + ng * ds), [B, T, ng, 1, ds]), [B, T, ng, nh / ng, ds]), [B, T, nh, ds]);
    const A = unary(g, 'Neg', unary(g, 'Exp', g.param('A_log', [nh], { uniform: [0, 1.5] })));
    const dA = reshape(g, unary(g, 'Exp', mul(g, dt, A)), [B, T, nh, 1, 1]);
    const u = mul(g, x, unsqueeze(g, dt, 3));
    const y = selectiveScan(c, scope, dA, u, heads(di), heads(di + ng * ds), [B, nh, P, ds]);
    const yd = add(g, y, mul(g, x, reshape(g, g.param('D', [nh], { fill: 1 }), [nh, 1])));
    const ungated = mul(g, reshape(g, yd, [B, T, di]), silu(g, z));
    const gated = b.args.norm !== false ? rmsnorm(g, ungated, g.param('norm', [di], { fill: 1 })) : ungated;
    return linear(g, gated, c.d, 'out_proj');
  },
};
