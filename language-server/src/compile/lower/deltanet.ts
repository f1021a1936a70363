/**
 * Gated DeltaNet (kinds/deltanet.ts), as HF `Qwen3NextGatedDeltaNet`: in_proj_qkvz and in_proj_ba (sliced
 * [q | k | v | z] and [b | a]; HF interleaves them per key head, a column permutation of the same weights),
 * causal depthwise conv + SiLU over q, k, v (conv window state `conv`), L2-normalised q and k (q also scaled by
 * 1/√dk) repeated over the Hv/Hk value heads of their group, then an ONNX Scan over time with state `S`
 * [B, Hv, dk, dv] holding exactly the engine's 4 MACs per state element: the decay S·α (`#mac` Mul), the
 * retrieval kᵀS (MatMul), the rank-1 delta update k·(β·(v − kᵀS)) (MatMul) and the read-out qᵀS (MatMul).
 * Gates α, β, the norms and the SiLU gate are elementwise (not counted, as in the engine).
 */
import { num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { add, div, expand, linear, matmul, mul, reduceSum, reshape, rmsnorm, silu, slice, sub, unary, unsqueeze } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { scanTime } from './scan';
import { convState, stateIn, stateOut, stateScope } from './state';

/** x / √(Σx² + ε) over the last axis (HF `l2norm`). */
function l2norm(c: Ctx, x: Tensor): Tensor {
  const { g } = c;
  return div(g, x, unary(g, 'Sqrt', add(g, reduceSum(g, mul(g, x, x), [-1]), g.scalar(1e-6))));
}

/** Channels [from, from + Hk·dk) of x [B,T,…] as Hk heads, each repeated r times (repeat_interleave): [B,T,Hk·r,dk]. */
function keyHeads(c: Ctx, x: Tensor, from: number, Hk: number, dk: number, r: number): Tensor {
  const { g, B, T } = c;
  const h = l2norm(c, reshape(g, slice(g, x, -1, from, from + Hk * dk), [B, T, Hk, 1, dk]));
  return reshape(g, expand(g, h, [B, T, Hk, r, dk]), [B, T, Hk * r, dk]);
}

/** The gated delta rule over time; q, k [B,T,Hv,dk], v [B,T,Hv,dv], alpha, beta [B,T,Hv,1,1] → o [B,T,Hv,dv]. */
function deltaScan(c: Ctx, scope: string | undefined, xs: Tensor[], Hv: number, dk: number, dv: number): Tensor {
  const { g, B } = c;
  const { states, ys } = scanTime(g, [stateIn(c, scope, 'S', [B, Hv, dk, dv])], xs, (s, [S], [q, k, v, alpha, beta]) => {
    const decayed = s.op('Mul', [S, alpha], S.shape, {}, { tag: '#mac' });
    const row = (t: Tensor): Tensor => unsqueeze(s, t, 2); // [B,Hv,1,·]
    const delta = mul(s, sub(s, row(v), matmul(s, row(k), decayed)), beta); // β·(v − kᵀS) [B,Hv,1,dv]
    const S2 = add(s, decayed, matmul(s, unsqueeze(s, k, 3), delta));
    return { states: [S2], ys: [reshape(s, matmul(s, row(q), S2), [B, Hv, dv])] };
  });
  stateOut(c, scope, 'S', states[0]);
  return ys[0];
}

export const gatedDeltanet: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T } = c;
    const d = dModelOf(b);
    const Hv = num(b.args, 'heads');
    const Hk = num(b.args, 'key_heads') || Hv;
    const dk = num(b.args, 'head_dim') || d / Hk;
    const dv = num(b.args, 'value_head_dim') || dk;
    const key = Hk * dk, val = Hv * dv, convDim = 2 * key + val;
    const x = c.h ?? c.x;
    const scope = stateScope(c, 'gated_deltanet');
    const qkvz = linear(g, x, convDim + val, 'in_proj_qkvz');
    const ba = linear(g, x, 2 * Hv, 'in_proj_ba');
    const qkv = silu(g, convState(c, scope, 'conv', slice(g, qkvz, -1, 0, convDim), num(b.args, 'd_conv'), 'conv1d'));
    const q = mul(g, keyHeads(c, qkv, 0, Hk, dk, Hv / Hk), g.scalar(1 / Math.sqrt(dk)));
    const k = keyHeads(c, qkv, key, Hk, dk, Hv / Hk);
    const v = reshape(g, slice(g, qkv, -1, 2 * key, convDim), [B, T, Hv, dv]);
    const perHead = (t: Tensor): Tensor => reshape(g, t, [B, T, Hv, 1, 1]);
    const write = unary(g, 'Sigmoid', slice(g, ba, -1, 0, Hv));
    c.gate(`write_l${c.layer}`, write); // β [B,T,Hv]: write strength of the delta rule
    const beta = perHead(write);
    const A = unary(g, 'Neg', unary(g, 'Exp', g.param('A_log', [Hv], { uniform: [0, 1.5] })));
    const dt = unary(g, 'Softplus', add(g, slice(g, ba, -1, Hv, 2 * Hv), g.param('dt_bias', [Hv], { normal: 0.5 })));
    const decay = unary(g, 'Exp', mul(g, dt, A));
    c.gate(`decay_l${c.layer}`, decay); // α [B,T,Hv]: state kept per step
    const alpha = perHead(decay);
    const o = deltaScan(c, scope, [q, k, v, alpha, beta], Hv, dk, dv);
    const z = reshape(g, slice(g, qkvz, -1, convDim, convDim + val), [B, T, Hv, dv]);
    const gated = mul(g, rmsnorm(g, o, g.param('norm', [dv], { fill: 1 })), silu(g, z));
    return linear(g, reshape(g, gated, [B, T, val]), c.d, 'out_proj');
  },
};
