/**
 * RG-LRU recurrent block (kinds/rglru.ts), as HF `RecurrentGemmaRecurrentBlock`: y = gelu(linear_y(x)); the x
 * branch linear_x → causal conv1d with bias (window state `conv`) → RG-LRU: block-diagonal input and recurrence
 * gates (MatMul of [B,T,H,1,w/H] by [H,w/H,w/H] plus bias), a = exp(−8·r·softplus(Λ)), input √(1−a²)·i·x, then an
 * ONNX Scan over time with state `h` [B, w] holding the engine's 1 MAC per state element (the decay, `#mac`);
 * out = linear_out(h ⊙ y). The reference's reset at position 0 (normaliser 1 on the first token) is left out:
 * it changes no count, and every step, prefill or decode, uses the same normaliser.
 */
import { num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { activation, add, linear, matmul, mul, reshape, sub, unary } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';
import { scanTime } from './scan';
import { convState, stateIn, stateOut, stateScope } from './state';

/** Block-diagonal gate: sigmoid(x_h · W_h + b_h) per head block, x [B,T,w] → [B,T,w]. */
function gate(c: Ctx, x: Tensor, H: number, name: string): Tensor {
  const { g, B, T } = c;
  const w = x.shape[2], bw = w / H;
  const W = g.param(`${name}_weight`, [H, bw, bw], { normal: 1 / Math.sqrt(bw) });
  const b = reshape(g, g.param(`${name}_bias`, [H, bw], { normal: 0.02 }), [H, 1, bw]);
  const y = add(g, matmul(g, reshape(g, x, [B, T, H, 1, bw]), W), b);
  return reshape(g, unary(g, 'Sigmoid', y), [B, T, w]);
}

/** h_t = a_t ⊙ h_{t−1} + u_t over time for a, u [B,T,w]; returns every h [B,T,w]. */
function diagonalScan(c: Ctx, scope: string | undefined, a: Tensor, u: Tensor): Tensor {
  const { states, ys } = scanTime(c.g, [stateIn(c, scope, 'h', [c.B, a.shape[2]])], [a, u], (s, [h], [at, ut]) => {
    const next = add(s, s.op('Mul', [h, at], h.shape, {}, { tag: '#mac' }), ut);
    return { states: [next], ys: [next] };
  });
  stateOut(c, scope, 'h', states[0]);
  return ys[0];
}

export const rgLru: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const d = dModelOf(b);
    const w = num(b.args, 'width') || d;
    const H = num(b.args, 'heads');
    const x = c.h ?? c.x;
    const scope = stateScope(c, 'rg_lru');
    const y = activation(g, linear(g, x, w, 'linear_y', true), 'gelu');
    const xb = convState(c, scope, 'conv', linear(g, x, w, 'linear_x', true), num(b.args, 'd_conv'), 'conv1d', { bias: true });
    const i = gate(c, xb, H, 'input_gate');
    const r = gate(c, xb, H, 'recurrent_gate');
    const lambda = unary(g, 'Softplus', g.param('recurrent_param', [w], { uniform: [1, 3] }));
    const logA = mul(g, mul(g, r, lambda), g.scalar(-8));
    const a = unary(g, 'Exp', logA);
    const norm = unary(g, 'Sqrt', sub(g, g.scalar(1), unary(g, 'Exp', mul(g, logA, g.scalar(2)))));
    const h = diagonalScan(c, scope, a, mul(g, mul(g, xb, i), norm));
    return linear(g, mul(g, h, y), c.d, 'linear_out', true);
  },
};
