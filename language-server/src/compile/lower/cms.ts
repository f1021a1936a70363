/**
 * Continuum memory system (kinds/cms.ts, Nested Learning Eq. 30–31): the chain of level MLPs d → d_ff → d (GELU
 * between), each level trained at test time on its own input stream u: loss ‖MLP_θ(u_t) − u_t‖², gradients summed
 * over a chunk of C_ℓ tokens read with the chunk-start weights, then θ ← θ − η·G. Later chunks read the updated
 * weights; the initial weights are the initializers `level{ℓ}_up` [d, d_ff] / `level{ℓ}_down` [d_ff, d].
 * Prefill: the ⌊T/C⌋ full chunks of a level run as one ONNX Scan over chunks (the graph does not grow with the
 * number of chunks: a Scan body per level, count.ts multiplies its MACs by the chunk count), the remaining
 * T mod C tokens are read with the last weights. MACs per full chunk, the engine's 3·P·C + 2·P FLOPs: the read
 * (its forward is the gradient's), the two weight gradients and the error through the down-projection (MatMuls),
 * and θ − η·G (a `#mac` Mul per weight). A level whose period exceeds T is the plain chain of reads.
 * Decode state per level (lower/state.ts): fast weights `w{ℓ}_up` [B, d, d_ff] / `w{ℓ}_down` [B, d_ff, d], the
 * gradient summed so far in the current chunk `acc{ℓ}_up` / `acc{ℓ}_down` (same shapes) and `phase{ℓ}` int64 [1]
 * (tokens of the chunk read so far, < C). A step adds its token's gradient and, when the chunk completes, applies
 * the summed step (a 0/1 mask: the engine amortises this 2·P to 2·P/C per token) and resets the accumulator.
 */
import { num, numList } from '../../kinds/formulas';
import { numel, type GraphBuilder, type Tensor } from '../graph';
import { checkElements } from '../limits';
import { BOOL, FLOAT, INT64 } from '../../onnx/writer';
import { activation, add, concat, expand, matmul, mul, reshape, slice, sub, transpose, unary } from './ops';
import type { Ctx, KindLowering } from './context';
import { scanTime } from './scan';
import { stateIn, stateOut, stateScope } from './state';

type G = GraphBuilder;
/** One level's weights: up [B, d, d_ff] (or [d, d_ff] unbatched) and down [B, d_ff, d]. */
interface Level { readonly up: Tensor; readonly down: Tensor }

/** d/dz of GELU (erf form, ops.ts): Φ(z) + z·φ(z). */
function geluPrime(g: G, z: Tensor): Tensor {
  const cdf = mul(g, add(g, unary(g, 'Erf', mul(g, z, g.scalar(Math.SQRT1_2))), g.scalar(1)), g.scalar(0.5));
  const pdf = mul(g, unary(g, 'Exp', mul(g, mul(g, z, z), g.scalar(-0.5))), g.scalar(1 / Math.sqrt(2 * Math.PI)));
  return add(g, cdf, mul(g, z, pdf));
}

/** Reads u [B, n, d] through a level; returns the output and what the gradient reuses. */
function read(g: G, W: Level, u: Tensor): { z: Tensor; h: Tensor; o: Tensor } {
  const z = matmul(g, u, W.up);
  const h = activation(g, z, 'gelu');
  return { z, h, o: matmul(g, h, W.down) };
}

/** Σ over the n tokens of u [B, n, d] of ∇_θ ‖MLP_θ(u_t) − u_t‖² (W batched): up [B, d, d_ff], down [B, d_ff, d]. */
function gradient(g: G, W: Level, u: Tensor, f: { z: Tensor; h: Tensor; o: Tensor }): Level {
  const err = mul(g, sub(g, f.o, u), g.scalar(2));
  const down = matmul(g, transpose(g, f.h, [0, 2, 1]), err);
  const back = mul(g, matmul(g, err, transpose(g, W.down, [0, 2, 1])), geluPrime(g, f.z));
  return { up: matmul(g, transpose(g, u, [0, 2, 1]), back), down };
}

/** θ − eta·G per weight (eta: η, or η times the decode step's 0/1 "chunk complete" mask); the product is one MAC per weight (`#mac`). */
function step(g: G, W: Level, G: Level, eta: Tensor): Level {
  const upd = (w: Tensor, d: Tensor): Tensor => sub(g, w, g.op('Mul', [d, eta], d.shape, {}, { tag: '#mac' }));
  return { up: upd(W.up, G.up), down: upd(W.down, G.down) };
}

/** The initial (trained) weights of level l, unbatched. */
function initial(g: G, l: number, d: number, dff: number): Level {
  return {
    up: g.param(`level${l}_up`, [d, dff], { normal: 1 / Math.sqrt(d) }),
    down: g.param(`level${l}_down`, [dff, d], { normal: 1 / Math.sqrt(dff) }),
  };
}

const batched = (g: G, W: Level, B: number): Level => ({
  up: expand(g, W.up, [B, ...W.up.shape.slice(-2)]), down: expand(g, W.down, [B, ...W.down.shape.slice(-2)]),
});

/** Prefill of one level on u [B, T, d] from the initial weights; outputs the decode state when there is state I/O. */
function prefillLevel(c: Ctx, scope: string | undefined, l: number, W0: Level, u: Tensor, C: number, eta: number): Tensor {
  const { g, B, T, d } = c;
  const n = Math.floor(T / C), r = T - n * C;
  let W = n > 0 || scope ? batched(g, W0, B) : W0;
  const outs: Tensor[] = [];
  if (n > 0) {
    const chunks = reshape(g, slice(g, u, 1, 0, n * C), [B, n, C, d]);
    const res = scanTime(g, [W.up, W.down], [chunks], (b, [up, down], [x]) => {
      const f = read(b, { up, down }, x);
      const W2 = step(b, { up, down }, gradient(b, { up, down }, x, f), b.scalar(eta));
      return { states: [W2.up, W2.down], ys: [f.o] };
    });
    W = { up: res.states[0], down: res.states[1] };
    outs.push(reshape(g, res.ys[0], [B, n * C, d]));
  }
  const tail = r > 0 ? slice(g, u, 1, n * C, T) : undefined;
  const f = tail && read(g, W, tail);
  if (f) outs.push(f.o);
  if (scope) {
    const acc = tail && f ? gradient(g, W, tail, f) : { up: zerosLike(g, W.up), down: zerosLike(g, W.down) };
    outState(c, scope, l, W, acc, g.constI([r], [1]));
  }
  return outs.length === 1 ? outs[0] : concat(g, outs, 1);
}

const zerosLike = (g: G, t: Tensor): Tensor => (checkElements(numel(t.shape), `a zero state [${t.shape.join(', ')}]`), g.constF(new Float32Array(t.shape.reduce((a, b) => a * b, 1)), t.shape, 'zeros'));

function outState(c: Ctx, scope: string, l: number, W: Level, acc: Level, phase: Tensor): void {
  stateOut(c, scope, `w${l}_up`, W.up);
  stateOut(c, scope, `w${l}_down`, W.down);
  stateOut(c, scope, `acc${l}_up`, acc.up);
  stateOut(c, scope, `acc${l}_down`, acc.down);
  stateOut(c, scope, `phase${l}`, phase);
}

/** One decode token u [B, 1, d] through level l: read, accumulate, apply when the chunk of C tokens completes. */
function decodeStep(c: Ctx, scope: string, l: number, W0: Level, u: Tensor, C: number, eta: number): Tensor {
  const { g, B } = c;
  const input = (name: string, w: Tensor): Tensor => stateIn(c, scope, name, [B, ...w.shape]);
  const W = { up: input(`w${l}_up`, W0.up), down: input(`w${l}_down`, W0.down) };
  const A = { up: input(`acc${l}_up`, W0.up), down: input(`acc${l}_down`, W0.down) };
  const phase = add(g, stateIn(c, scope, `phase${l}`, [1], INT64), g.constI([1], [1]));
  const f = read(g, W, u);
  const G = gradient(g, W, u, f);
  const acc = { up: add(g, A.up, G.up), down: add(g, A.down, G.down) };
  const period = g.constI([C], [1]);
  const due = g.op('Cast', [g.op('Equal', [phase, period], [1], {}, { type: BOOL })], [1], { to: { int: FLOAT } });
  const keep = sub(g, g.scalar(1), due);
  const Wn = step(g, W, acc, mul(g, due, g.scalar(eta)));
  const rest = { up: mul(g, acc.up, keep), down: mul(g, acc.down, keep) };
  outState(c, scope, l, Wn, rest, g.op('Mod', [phase, period], [1], {}, { type: INT64 }));
  return f.o;
}

export const cms: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const periods = numList(b.args, 'periods');
    const dff = num(b.args, 'd_ff'), eta = num(b.args, 'lr');
    const scope = stateScope(c, 'cms');
    let y = c.h ?? c.x;
    periods.forEach((C, l) => {
      const W0 = initial(g, l, c.d, dff);
      y = scope && c.cache?.decode ? decodeStep(c, scope, l, W0, y, C, eta) : prefillLevel(c, scope, l, W0, y, C, eta);
    });
    return y;
  },
};
