/**
 * Linear-recurrent mixers. linear_attention: causal form with CumSum over the outer products φ(k)ᵀv (MatMul,
 * H·m·hd MACs per token, m = hd for elu + 1) and the read-out φ(q)·S (MatMul): the engine's 2 MACs per state
 * element; the normaliser is elementwise. FAVOR+ adds the projections x·ω of q and k (MatMul, H·hd·m MACs each).
 * linear_attention(style: lightning): a Scan with the decay S·λ (`#mac`), the update kᵀv and the read-out q·S (3 MACs
 * per state element), then RMSNorm(H·hd), the sigmoid output gate and out_proj. retnet: a Scan with the decay S·γ
 * (`#mac`), the update kᵀv and the read-out q·S.
 * rwkv_time_mix (RWKV-7): a Scan with the 5 state products S·diag(w) (`#mac`), S·κ̂ᵀ, (S·κ̂ᵀ)(a⊙κ̂), vᵀk, S·r;
 * token shift, the w/a/v/g LoRAs, k_k/k_a/r_k and the per-head GroupNorm outside. rwkv_channel_mix: shifted ReLU².
 */
import { num, str } from '../../kinds/formulas';
import { favorFeatures, retnetValueWidth } from '../../kinds/recurrent';
import { mulberry32, type GraphBuilder, type Tensor } from '../graph';
import { activation, add, div, expand, layernorm, linear, matmul, mul, reduceSum, reshape, rmsnorm, silu, slice, sub, unary, unsqueeze } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { checkElements } from '../limits';
import { scanTime } from './scan';
import { shiftState, stateIn, stateOut, stateScope } from './state';

const heads = (c: Ctx, x: Tensor, H: number, w: number): Tensor => reshape(c.g, x, [c.B, c.T, H, w]);

/** Running sum over time (axis 1) of x [B,T,…], continuing from state `name` [B,1,…] (state.ts) when there is one. */
function cumulative(c: Ctx, scope: string | undefined, name: string, x: Tensor): Tensor {
  const { g } = c;
  const sum = g.op('CumSum', [x, g.constI([1], [], 'axis')], x.shape);
  if (!scope) return sum;
  const total = add(g, sum, stateIn(c, scope, name, [x.shape[0], 1, ...x.shape.slice(2)]));
  stateOut(c, scope, name, slice(g, total, 1, x.shape[1] - 1, x.shape[1]));
  return total;
}

/** Decayed recurrence S ← λ·S + kᵀv, y = q·S per head (λ [H,1,1] constant), over time: ys [B,T,H,dv]. */
function decayedScan(c: Ctx, scope: string | undefined, lambda: Tensor, q: Tensor, k: Tensor, v: Tensor): Tensor {
  const { g, B } = c;
  const [H, dk, dv] = [q.shape[2], q.shape[3], v.shape[3]];
  const { states, ys } = scanTime(g, [stateIn(c, scope, 'S', [B, H, dk, dv])], [q, k, v], (s, [S], [qt, kt, vt]) => {
    const decayed = s.op('Mul', [S, lambda], S.shape, {}, { tag: '#mac' });
    const S2 = add(s, decayed, matmul(s, unsqueeze(s, kt, 3), unsqueeze(s, vt, 2)));
    return { states: [S2], ys: [reshape(s, matmul(s, unsqueeze(s, qt, 2), S2), [B, H, dv])] };
  });
  stateOut(c, scope, 'S', states[0]);
  return ys[0];
}

/** MiniMax lightning attention: SiLU(qkv_proj), per-head decay λ_h = exp(−2^(−8(h+1)/H)) (layer-0 slopes), norm, gate. */
function lightning(c: Ctx, x: Tensor, H: number, hd: number): Tensor {
  const { g, B, T } = c;
  const qkv = reshape(g, silu(g, linear(g, x, 3 * H * hd, 'qkv_proj')), [B, T, H, 3 * hd]);
  const lambda = g.constF(Array.from({ length: H }, (_, h) => Math.exp(-(2 ** (-8 * (h + 1) / H)))), [H, 1, 1], 'slope');
  const y = decayedScan(c, stateScope(c, 'linear_attention'), lambda, slice(g, qkv, -1, 0, hd), slice(g, qkv, -1, hd, 2 * hd), slice(g, qkv, -1, 2 * hd, 3 * hd));
  const normed = rmsnorm(g, reshape(g, y, [B, T, H * hd]), g.param('norm', [H * hd], { fill: 1 }));
  return linear(g, mul(g, unary(g, 'Sigmoid', linear(g, x, H * hd, 'output_gate')), normed), c.d, 'out_proj');
}

export const linearAttention: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T } = c;
    const d = dModelOf(b);
    const H = num(b.args, 'heads');
    const hd = num(b.args, 'head_dim') || d / H;
    const x = c.h ?? c.x;
    if (str(b.args, 'style') === 'lightning') return lightning(c, x, H, hd);
    const elu = (t: Tensor): Tensor => add(g, unary(g, 'Elu', t), g.scalar(1));
    const favor = str(b.args, 'feature_map') === 'favor';
    const m = favor ? favorFeatures(b.args, hd) : hd;
    if (favor) checkElements(hd * m, `the FAVOR+ random features [${hd}, ${m}]`);
    const omega = favor ? g.constF(gaussian(hd * m, 0x9e3779b9 + c.layer), [hd, m], 'favor_omega') : undefined;
    const phi = (t: Tensor, query: boolean): Tensor => (omega ? favorPhi(g, t, omega, query) : elu(t));
    const q = phi(heads(c, linear(g, x, H * hd, 'wq'), H, hd), true);
    const k = phi(heads(c, linear(g, x, H * hd, 'wk'), H, hd), false);
    const v = heads(c, linear(g, x, H * hd, 'wv'), H, hd);
    const scope = stateScope(c, 'linear_attention');
    const kv = matmul(g, unsqueeze(g, k, 4), unsqueeze(g, v, 3)); // [B,T,H,m,hd]
    const S = cumulative(c, scope, 'kv', kv);
    const num_ = reshape(g, matmul(g, unsqueeze(g, q, 3), S), [B, T, H, hd]);
    const z = cumulative(c, scope, 'k', k);
    const den = add(g, reduceSum(g, mul(g, q, z), [-1]), g.scalar(1e-6));
    return linear(g, reshape(g, div(g, num_, den), [B, T, H * hd]), c.d, 'wo');
  },
};

/** n draws of N(0, 1) (Box–Muller over mulberry32): the FAVOR+ random features ω, a constant (not a parameter). */
export function gaussian(n: number, seed: number): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()));
}

/**
 * FAVOR+ positive random features (Choromanski et al. 2021, Lemma 1): x' = x·hd^(−1/4), u = x'ω [B,T,H,m],
 * φ(x) = exp(u − ‖x'‖²/2 − s)/√m. Queries subtract s = max over their m features (it cancels between the
 * numerator and the normaliser); keys use s = 0, since a max over keys would look at later tokens (not causal).
 */
export function favorPhi(g: GraphBuilder, x: Tensor, omega: Tensor, query: boolean): Tensor {
  const [hd, m] = omega.shape;
  const xs = mul(g, x, g.scalar(hd ** -0.25));
  const u = matmul(g, xs, omega);
  let e = sub(g, u, mul(g, reduceSum(g, mul(g, xs, xs), [-1]), g.scalar(0.5)));
  if (query) e = sub(g, e, g.op('ReduceMax', [e], [...e.shape.slice(0, -1), 1], { axes: { ints: [e.shape.length - 1] }, keepdims: { int: 1 } }));
  return mul(g, unary(g, 'Exp', e), g.scalar(1 / Math.sqrt(m)));
}

export const retnet: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T } = c;
    const d = dModelOf(b);
    const H = num(b.args, 'heads');
    const vd = retnetValueWidth(b.args, d);
    const dk = d / H, dv = vd / H;
    const x = c.h ?? c.x;
    const q = heads(c, linear(g, x, d, 'wq'), H, dk);
    const k = heads(c, mul(g, linear(g, x, d, 'wk'), g.scalar(1 / Math.sqrt(dk))), H, dk);
    const v = heads(c, linear(g, x, vd, 'wv'), H, dv);
    const gamma = g.constF(Array.from({ length: H }, (_, h) => 1 - 2 ** (-5 - h)), [H, 1, 1], 'gamma');
    c.gate(`decay_l${c.layer}`, expand(g, reshape(g, gamma, [H]), [B, T, H])); // γ per head, the same at every token
    const scope = stateScope(c, 'retnet');
    const { states, ys } = scanTime(g, [stateIn(c, scope, 'S', [B, H, dk, dv])], [q, k, v], (s, [S], [qt, kt, vt]) => {
      const decayed = s.op('Mul', [S, gamma], S.shape, {}, { tag: '#mac' });
      const S2 = add(s, decayed, matmul(s, unsqueeze(s, kt, 3), unsqueeze(s, vt, 2)));
      return { states: [S2], ys: [reshape(s, matmul(s, unsqueeze(s, qt, 2), S2), [B, H, dv])] };
    });
    stateOut(c, scope, 'S', states[0]);
    const y = reshape(g, layernorm(g, ys[0]), [B, T, vd]); // per-head GroupNorm without affine weights
    return linear(g, mul(g, silu(g, linear(g, x, vd, 'wg')), y), c.d, 'wo');
  },
};

function lora(c: Ctx, x: Tensor, rank: number, name: string, act: string, bias: boolean): Tensor {
  const { g } = c;
  const y = linear(c.g, activation(g, linear(g, x, rank, `${name}1`), act), c.d, `${name}2`);
  return bias ? add(g, y, g.param(`${name}0`, [c.d], { normal: 0.1 })) : y;
}

/** RWKV-7 state update over time for r, w, k, v, a⊙κ̂, κ̂ [B,T,H,hd]; returns y [B,T,H,hd]. */
function rwkvScan(c: Ctx, scope: string | undefined, H: number, hd: number, xs: Tensor[]): Tensor {
  const { g, B } = c;
  const { states, ys } = scanTime(g, [stateIn(c, scope, 'S', [B, H, hd, hd])], xs, (s, [S], [r, w, k, v, ak, kk]) => {
    const col = (t: Tensor): Tensor => unsqueeze(s, t, 3); // [B,H,hd,1]
    const row = (t: Tensor): Tensor => unsqueeze(s, t, 2); // [B,H,1,hd]
    const decayed = s.op('Mul', [S, row(w)], S.shape, {}, { tag: '#mac' });
    const removal = matmul(s, matmul(s, S, col(kk)), row(ak));
    const S2 = add(s, sub(s, decayed, removal), matmul(s, col(v), row(k)));
    return { states: [S2], ys: [reshape(s, matmul(s, S2, col(r)), [B, H, hd])] };
  });
  stateOut(c, scope, 'S', states[0]);
  return ys[0];
}

export const rwkvTimeMix: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T, d } = c;
    const hd = num(b.args, 'head_dim');
    const H = d / hd;
    const x = c.h ?? c.x;
    const scope = stateScope(c, 'rwkv_time_mix');
    const xx = sub(g, shiftState(c, scope, 'shift', x), x);
    const mix = (name: string): Tensor => add(g, x, mul(g, xx, g.param(`mix_${name}`, [d], { uniform: [0, 1] })));
    const [xr, xw, xk, xv, xa, xg] = ['r', 'w', 'k', 'v', 'a', 'g'].map(mix);
    const r = linear(g, xr, d, 'wr');
    let k = linear(g, xk, d, 'wk');
    let v = linear(g, xv, d, 'wv');
    const w = unary(g, 'Exp', mul(g, unary(g, 'Sigmoid', lora(c, xw, num(b.args, 'decay_lora'), 'w_lora', 'tanh', true)), g.scalar(-Math.exp(-0.5))));
    const a = unary(g, 'Sigmoid', lora(c, xa, num(b.args, 'a_lora'), 'a_lora', 'tanh', true));
    c.gate(`decay_l${c.layer}`, w); // w [B,T,d]: per-channel decay
    c.gate(`write_l${c.layer}`, a); // a [B,T,d]: in-context learning rate (the delta rule's write strength)
    const rv = num(b.args, 'v_lora');
    if (rv > 0) {
      const gate = unary(g, 'Sigmoid', lora(c, xv, rv, 'v_lora', 'tanh', true));
      v = add(g, v, mul(g, sub(g, c.vFirst ?? v, v), gate));
    } else c.vFirst ??= v;
    const gOut = lora(c, xg, num(b.args, 'gate_lora'), 'g_lora', 'sigmoid', false);
    const kkRaw = heads(c, mul(g, k, g.param('k_k', [d], { fill: 1 })), H, hd);
    const kk = div(g, kkRaw, unary(g, 'Sqrt', add(g, reduceSum(g, mul(g, kkRaw, kkRaw), [-1]), g.scalar(1e-6))));
    k = mul(g, k, add(g, g.scalar(1), mul(g, sub(g, a, g.scalar(1)), g.param('k_a', [d], { fill: 1 }))));
    const [rh, wh, kh, vh, ah] = [r, w, k, v, a].map((t) => heads(c, t, H, hd));
    const y = rwkvScan(c, scope, H, hd, [rh, wh, kh, vh, mul(g, ah, kk), kk]);
    const norm = reshape(g, layernorm(g, y), [B, T, d]);
    const gn = add(g, mul(g, norm, g.param('ln_x_w', [d], { fill: 1 })), g.param('ln_x_b', [d], { fill: 0 }));
    const bonus = mul(g, reduceSum(g, mul(g, mul(g, rh, kh), reshape(g, g.param('r_k', [d], { normal: 0.1 }), [H, hd])), [-1]), vh);
    const out = add(g, gn, reshape(g, bonus, [B, T, d]));
    return linear(g, mul(g, out, gOut), d, 'wo');
  },
};

export const rwkvChannelMix: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, d } = c;
    const x = c.h ?? c.x;
    const xk = add(g, x, mul(g, sub(g, shiftState(c, stateScope(c, 'rwkv_channel_mix'), 'shift', x), x), g.param('mix_k', [d], { uniform: [0, 1] })));
    return linear(g, activation(g, linear(g, xk, num(b.args, 'd_ff'), 'wk'), 'relu2'), d, 'wv');
  },
};
