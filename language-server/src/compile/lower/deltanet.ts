/**
 * Gated DeltaNet (kinds/deltanet.ts), as HF `Qwen3NextGatedDeltaNet`: in_proj_qkvz and in_proj_ba (sliced
 * [q | k | v | z] and [b | a]; HF interleaves them per key head, a column permutation of the same weights),
 * causal depthwise conv + SiLU over q, k, v (conv window state `conv`), L2-normalised q and k (q also scaled by
 * 1/√dk) repeated over the Hv/Hk value heads of their group, then an ONNX Scan over time with state `S`
 * [B, Hv, dk, dv] holding exactly the engine's 4 MACs per state element: the decay S·α (`#mac` Mul), the
 * retrieval kᵀS (MatMul), the rank-1 delta update k·(β·(v − kᵀS)) (MatMul) and the read-out qᵀS (MatMul).
 * Gates α, β, the norms and the SiLU gate are elementwise (not counted, as in the engine).
 */
import { bool, num } from '../../kinds/formulas';
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

/**
 * The delta rule over time; q, k [B,T,Hv,dk], v [B,T,Hv,dv], beta [B,T,Hv,1,1] and, gated, alpha [B,T,Hv,1,1]
 * → o [B,T,Hv,dv]. Without alpha (DeltaNet) there is no decay product: 3 MACs per state element.
 */
function deltaScan(c: Ctx, scope: string | undefined, xs: Tensor[], Hv: number, dk: number, dv: number): Tensor {
  const { g, B } = c;
  const gated = xs.length === 5;
  const { states, ys } = scanTime(g, [stateIn(c, scope, 'S', [B, Hv, dk, dv])], xs, (s, [S], [q, k, v, beta, alpha]) => {
    const decayed = gated ? s.op('Mul', [S, alpha], S.shape, {}, { tag: '#mac' }) : S;
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
    const o = deltaScan(c, scope, [q, k, v, beta, alpha], Hv, dk, dv);
    const z = reshape(g, slice(g, qkvz, -1, convDim, convDim + val), [B, T, Hv, dv]);
    const gated = mul(g, rmsnorm(g, o, g.param('norm', [dv], { fill: 1 })), silu(g, z));
    return linear(g, reshape(g, gated, [B, T, val]), c.d, 'out_proj');
  },
};

/**
 * DeltaNet (kinds/deltanet.ts), as fla `DeltaNet`: q_proj, k_proj, v_proj as one projection sliced [q | k | v] (a
 * column concatenation of the same weights), the three short convs as one depthwise conv + SiLU over it (state
 * `conv`; without a conv, SiLU alone), L2-normalised q (scaled by 1/√dk) and k, β = sigmoid(b_proj x) (or 1), the
 * delta-rule Scan (state `S`), a per-head RMSNorm over dv (gated by SiLU(g_proj x) with `gate`) and o_proj.
 */
export const deltanet: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T } = c;
    const H = num(b.args, 'heads');
    const dk = num(b.args, 'head_dim') || dModelOf(b) / H;
    const dv = num(b.args, 'value_head_dim') || dk;
    const key = H * dk, val = H * dv, convDim = 2 * key + val;
    const x = c.h ?? c.x;
    const scope = stateScope(c, 'deltanet');
    const width = num(b.args, 'd_conv');
    const proj = linear(g, x, convDim, 'qkv_proj');
    const qkv = silu(g, width > 0 ? convState(c, scope, 'conv', proj, width, 'conv1d') : proj);
    const q = mul(g, keyHeads(c, qkv, 0, H, dk, 1), g.scalar(1 / Math.sqrt(dk)));
    const k = keyHeads(c, qkv, key, H, dk, 1);
    const v = reshape(g, slice(g, qkv, -1, 2 * key, convDim), [B, T, H, dv]);
    const write = bool(b.args, 'beta') ? unary(g, 'Sigmoid', linear(g, x, H, 'b_proj')) : g.constF(new Array(B * T * H).fill(1), [B, T, H], 'beta_one');
    c.gate(`write_l${c.layer}`, write); // β [B,T,H]: write strength of the delta rule
    const o = deltaScan(c, scope, [q, k, v, reshape(g, write, [B, T, H, 1, 1])], H, dk, dv);
    const normed = rmsnorm(g, o, g.param('o_norm', [dv], { fill: 1 }));
    const out = bool(b.args, 'gate') ? mul(g, normed, silu(g, reshape(g, linear(g, x, val, 'g_proj'), [B, T, H, dv]))) : normed;
    return linear(g, reshape(g, out, [B, T, val]), c.d, 'o_proj');
  },
};
