/** Lowerings of embedding, lm_head, rmsnorm/layernorm, linear, mlp and gated_mlp (cost/kinds/dense.ts). */
import type { BlockInstance } from '../../semantic/instances';
import { bool, num, str } from '../../kinds/formulas';
import { positionTables } from '../../kinds/dense';
import type { Tensor } from '../graph';
import { activation, add, concat, fit, gather, layernorm, linear, matmul, mul, rmsnorm, transpose } from './ops';
import { dModelOf, residual, vocabOf, type Ctx, type KindLowering } from './context';

export const embedding: KindLowering = {
  role: 'embedding',
  lower(c, b) {
    const { g, T, past } = c;
    if (c.table) c.previous.push(residual(c));
    const d = dModelOf(b);
    const table = g.param('weight', [vocabOf(b), d], { normal: 1 });
    c.table = table;
    let x = gather(g, table, c.ids);
    // Absolute positions: one table indexed by t; factorised (Sparse Transformer): row ⌊t/l⌋ and column t mod l.
    const tables = positionTables(b.args);
    const l = num(b.args, 'pos_stride');
    const lookups: [string, string, (p: number) => number][] = tables.length === 2
      ? [['position_rows', 'pos_rows', (p) => Math.floor(p / l)], ['position_columns', 'pos_columns', (p) => p % l]]
      : tables.map(() => ['positions', 'pos', (p: number) => p]);
    lookups.forEach(([name, ids, index], i) => {
      const pos = g.param(name, [tables[i], d], { normal: 0.1 });
      x = add(g, x, gather(g, pos, g.constI(Array.from({ length: T }, (_, t) => index(past + t) % tables[i]), [T], ids)));
    });
    c.x = x;
    c.streams = undefined;
  },
};

export const lmHead: KindLowering = {
  role: 'head',
  lower(c, b) {
    const { g } = c;
    const h = c.h ?? c.x;
    const V = vocabOf(b);
    let w: Tensor;
    // Tied: the embedding's initializer, transposed (no parameters of its own). Tied without an embedding
    // block: a `const/` matrix (the engine counts no parameters for it either).
    if (b.dims.tied) w = c.table ? transpose(g, c.table, [1, 0]) : g.constF(new Float32Array(V * c.d).fill(0.01), [c.d, V], 'untied_head');
    else w = g.param('weight', [dModelOf(b), V], { normal: 1 / Math.sqrt(dModelOf(b)) });
    let y = matmul(g, h, w);
    if (bool(b.args, 'bias')) y = add(g, y, g.param('bias', [V], { normal: 0.02 }));
    c.logits = y;
  },
};

function norm(withBias: boolean): KindLowering {
  return {
    role: 'norm',
    lower(c, b) {
      const { g } = c;
      const width = num(b.args, 'dim') || dModelOf(b);
      const x = fit(g, c.x, width);
      const w = g.param('weight', [width], { fill: 1 });
      const y = withBias ? layernorm(g, x, w, bool(b.args, 'bias') ? g.param('bias', [width], { fill: 0 }) : undefined) : rmsnorm(g, x, w);
      return fit(g, y, c.d);
    },
  };
}

export const rmsnormL = norm(false);
export const layernormL = norm(true);

/** A projection d_in → d_out replacing the stream; input = the stream (and earlier streams) fitted to d_in. */
export const linearL: KindLowering = {
  role: 'replace',
  lower(c, b) {
    const { g } = c;
    const din = num(b.args, 'd_in') || dModelOf(b);
    const dout = num(b.args, 'd_out') || dModelOf(b);
    const h = c.h ?? c.x;
    const x = fit(g, c.previous.length ? concat(g, [h, ...c.previous], -1) : h, din);
    return fit(g, linear(g, x, dout, 'weight', bool(b.args, 'bias')), c.d);
  },
};

export const mlp: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const f = num(b.args, 'd_ff');
    const bias = bool(b.args, 'bias');
    const u = activation(g, linear(g, c.h ?? c.x, f, 'up', bias), str(b.args, 'act'));
    return linear(g, u, c.d, 'down', bias);
  },
};

export function gatedFfn(c: Ctx, h: Tensor, f: number, act: string, bias: boolean, prefix = ''): Tensor {
  const { g } = c;
  const gate = activation(g, linear(g, h, f, `${prefix}gate`, bias), act);
  const up = linear(g, h, f, `${prefix}up`, bias);
  return linear(g, mul(g, gate, up), c.d, `${prefix}down`, bias);
}

export const gatedMlp: KindLowering = {
  role: 'sublayer',
  lower: (c, b: BlockInstance) => gatedFfn(c, c.h ?? c.x, num(b.args, 'd_ff'), str(b.args, 'act'), bool(b.args, 'bias')),
};
