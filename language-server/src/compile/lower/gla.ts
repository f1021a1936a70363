/**
 * Gated Linear Attention (kinds/gla.ts), as fla `GatedLinearAttention` with its defaults: q, k, v, g projections,
 * the low-rank decay gk = logσ(x·W1·W2 + b)/16, an ONNX Scan over time with state `S` [B, H, dk/H, dv/H] holding
 * the engine's 3 MACs per state element (decay diag(α)·S `#mac`, update kᵀv, read-out q·S; q scaled by (dk/H)^−½),
 * then the per-head RMSNorm (weight dv/H) times swish(g) and o_proj.
 */
import { num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { add, linear, matmul, mul, reshape, rmsnorm, silu, unary, unsqueeze } from './ops';
import { type Ctx, type KindLowering } from './context';
import { scanTime } from './scan';
import { stateIn, stateOut, stateScope } from './state';

function glaScan(c: Ctx, scope: string | undefined, xs: Tensor[], H: number, hk: number, hv: number): Tensor {
  const { g, B } = c;
  const { states, ys } = scanTime(g, [stateIn(c, scope, 'S', [B, H, hk, hv])], xs, (s, [S], [q, k, v, a]) => {
    const decayed = s.op('Mul', [S, unsqueeze(s, a, 3)], S.shape, {}, { tag: '#mac' });
    const S2 = add(s, decayed, matmul(s, unsqueeze(s, k, 3), unsqueeze(s, v, 2)));
    return { states: [S2], ys: [reshape(s, matmul(s, unsqueeze(s, q, 2), S2), [B, H, hv])] };
  });
  stateOut(c, scope, 'S', states[0]);
  return ys[0];
}

export const gla: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T, d } = c;
    const H = num(b.args, 'heads');
    const dk = Math.floor(num(b.args, 'expand_k') * d), dv = Math.floor(num(b.args, 'expand_v') * d);
    const hk = dk / H, hv = dv / H;
    const x = c.h ?? c.x;
    const heads = (t: Tensor, w: number): Tensor => reshape(g, t, [B, T, H, w]);
    const q = heads(mul(g, linear(g, x, dk, 'q_proj'), g.scalar(1 / Math.sqrt(hk))), hk);
    const k = heads(linear(g, x, dk, 'k_proj'), hk);
    const v = heads(linear(g, x, dv, 'v_proj'), hv);
    const gk = linear(g, linear(g, x, num(b.args, 'gate_low_rank'), 'gk_proj1'), dk, 'gk_proj2', true);
    const logsig = unary(g, 'Neg', unary(g, 'Softplus', unary(g, 'Neg', gk)));
    const alpha = heads(unary(g, 'Exp', mul(g, logsig, g.scalar(1 / 16))), hk);
    const o = glaScan(c, stateScope(c, 'gla'), [q, k, v, alpha], H, hk, hv);
    const normed = reshape(g, rmsnorm(g, o, g.param('g_norm', [hv], { fill: 1 })), [B, T, dv]);
    return linear(g, mul(g, normed, silu(g, linear(g, x, dv, 'g_proj'))), d, 'o_proj');
  },
};
