/**
 * Lowerings of `head` and `hashed_embedding` (kinds/heads.ts).
 * - head: pools the normalised stream (none: every position, or the last `positions`; last; cls: position 0;
 *   mean: the average), an optional dense + tanh layer `dense`, then `score` [in, K]; the result is the graph's
 *   `logits` [B, T or N or 1, K]. Decode: mean carries the running sum `state_head_{i}_sum` [B, 1, d] and divides
 *   by past + T; cls carries the first position `state_head_{i}_first` [B, 1, d] (lower/state.ts).
 * - hashed_embedding: for hash i, row ((a_i·id + c_i) mod p) mod buckets of one table `weight` [buckets, dim]
 *   (int64 Mul / Add / Mod, p = 2³¹ − 1, a_i odd), the k rows summed or concatenated.
 */
import { headShape, hashedShape } from '../../kinds/heads';
import type { Tensor } from '../graph';
import { INT64 } from '../../onnx/writer';
import { add, concat, gather, linear, mul, reduceSum, slice, unary } from './ops';
import type { Ctx, KindLowering } from './context';
import { checkNodes } from '../limits';
import { stateIn, stateOut, stateScope } from './state';

/** The rows the head scores: [B, n, d]. */
function pooled(c: Ctx, h: Tensor, pool: string, scored: number): Tensor {
  const { g, B, T, past } = c;
  const d = h.shape[2];
  if (pool === 'none') return scored >= T ? h : slice(g, h, 1, T - scored, T);
  if (pool === 'last') return slice(g, h, 1, T - 1, T);
  const scope = stateScope(c, 'head');
  if (pool === 'mean') {
    const sum = add(g, stateIn(c, scope, 'sum', [B, 1, d]), reduceSum(g, h, [1]));
    stateOut(c, scope, 'sum', sum);
    return mul(g, sum, g.scalar(1 / (past + T)));
  }
  // cls: the first position of the sequence, from this graph's input in a prefill, from the state in a decode step
  const first = past === 0 ? slice(g, h, 1, 0, 1) : unary(g, 'Identity', stateIn(c, scope, 'first', [B, 1, d]));
  stateOut(c, scope, 'first', first);
  return first;
}

export const head: KindLowering = {
  role: 'head',
  lower(c, b) {
    const { g } = c;
    const h = c.h ?? c.x;
    const { pool, hidden, K, bias, scored } = headShape(b.args, h.shape[2], c.T);
    let x = pooled(c, h, pool, scored);
    if (hidden) x = unary(g, 'Tanh', linear(g, x, hidden, 'dense', bias));
    c.logits = linear(g, x, K, 'score', bias);
  },
};

const P = 2_147_483_647;
/** Fixed odd multipliers and offsets of hash i (Knuth's multiplicative constant, made odd, below p). */
const multiplier = (i: number): number => ((2_654_435_761 * (i + 1)) % P) | 1;
const offset = (i: number): number => (40_503 * (i + 1) * 7_919) % P;

function bucketIds(c: Ctx, i: number, buckets: number): Tensor {
  const { g, ids } = c;
  const mod = (x: Tensor, m: number): Tensor => g.op('Mod', [x, g.constI([m], [1])], x.shape, { fmod: { int: 0 } }, { type: INT64 });
  const affine = add(g, mul(g, ids, g.constI([multiplier(i)], [1])), g.constI([offset(i)], [1]));
  return mod(mod(affine, P), buckets);
}

export const hashedEmbedding: KindLowering = {
  role: 'embedding',
  lower(c, b) {
    const { g } = c;
    const { k, concat: cat, buckets, dim } = hashedShape(b.args, c.d);
    const table = g.param('weight', [buckets, dim], { normal: 1 });
    checkNodes(k, `${k} hashes (a gather each)`);
    const rows = Array.from({ length: k }, (_, i) => gather(g, table, bucketIds(c, i, buckets)));
    c.x = cat ? concat(g, rows, -1) : rows.reduce((s, r) => add(g, s, r));
    c.streams = undefined;
  },
};
