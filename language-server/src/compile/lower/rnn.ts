/**
 * LSTM and GRU (kinds/rnn.ts) as PyTorch nn.LSTM / nn.GRU: the input projection x·W_ih + b_ih for every step
 * at once, then an ONNX Scan over time with state `h` (and `c` for the LSTM) [B, h]: gates = x_t + h·W_hh + b_hh
 * (the recurrent MatMul, G·h² MACs per step). LSTM: c = σ(f)·c + σ(i)·tanh(g), h = σ(o)·tanh(c). GRU:
 * n = tanh(x_n + σ(r)·(h·W_hn + b_hn)), h = n + σ(z)·(h − n). A hidden width ≠ d_model ends in out_proj.
 */
import { num } from '../../kinds/formulas';
import type { GraphBuilder, Tensor } from '../graph';
import { add, linear, matmul, mul, slice, sub, unary } from './ops';
import { dModelOf, type KindLowering } from './context';
import { scanTime } from './scan';
import { stateIn, stateOut, stateScope } from './state';

type Step = (s: GraphBuilder, x: Tensor, rec: Tensor, states: Tensor[], h: number) => Tensor[];

const sig = (s: GraphBuilder, t: Tensor): Tensor => unary(s, 'Sigmoid', t);
const part = (s: GraphBuilder, t: Tensor, j: number, h: number): Tensor => slice(s, t, -1, j * h, (j + 1) * h);

const lstmStep: Step = (s, x, rec, [, c], h) => {
  const pre = add(s, x, rec);
  const c2 = add(s, mul(s, sig(s, part(s, pre, 1, h)), c), mul(s, sig(s, part(s, pre, 0, h)), unary(s, 'Tanh', part(s, pre, 2, h))));
  return [mul(s, sig(s, part(s, pre, 3, h)), unary(s, 'Tanh', c2)), c2];
};

const gruStep: Step = (s, x, rec, [hPrev], h) => {
  const r = sig(s, add(s, part(s, x, 0, h), part(s, rec, 0, h)));
  const z = sig(s, add(s, part(s, x, 1, h), part(s, rec, 1, h)));
  const n = unary(s, 'Tanh', add(s, part(s, x, 2, h), mul(s, r, part(s, rec, 2, h))));
  return [add(s, n, mul(s, z, sub(s, hPrev, n)))];
};

function rnnLowering(kind: 'lstm' | 'gru', gates: number, names: string[], step: Step): KindLowering {
  return {
    role: 'sublayer',
    lower(c, b) {
      const { g, B } = c;
      const d = dModelOf(b), h = num(b.args, 'hidden') || d;
      const scope = stateScope(c, kind);
      const xs = linear(g, c.h ?? c.x, gates * h, 'weight_ih', true);
      const Whh = g.param('weight_hh', [h, gates * h], { normal: 1 / Math.sqrt(h) });
      const bhh = g.param('bias_hh', [gates * h], { normal: 0.02 });
      const init = names.map((n) => stateIn(c, scope, n, [B, h]));
      const { states, ys } = scanTime(g, init, [xs], (s, st, [x]) => {
        const next = step(s, x, add(s, matmul(s, st[0], Whh), bhh), st, h);
        return { states: next, ys: [next[0]] };
      });
      names.forEach((n, j) => stateOut(c, scope, n, states[j]));
      return h === d ? ys[0] : linear(g, ys[0], c.d, 'out_proj');
    },
  };
}

export const lstm = rnnLowering('lstm', 4, ['h', 'c'], lstmStep);
export const gru = rnnLowering('gru', 3, ['h'], gruStep);
