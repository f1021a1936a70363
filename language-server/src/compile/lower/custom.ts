/**
 * `custom`: one MatMul whose weight has exactly the stated `params` elements, [a, params/a] with a the largest
 * divisor of params not above min(d_model, √params); the stream is fitted to a (slice or tile) and the output
 * back to d_model. Its MACs per token equal params, so FLOPs match the engine's default 2·active when
 * active = params and `flops` is not stated; other stated FLOP counts are not reproduced, except `flops: 0` (a block
 * that costs nothing per token, e.g. DiT's per-image embedders): the weight then enters elementwise, 0 MACs.
 */
import { num } from '../../kinds/formulas';
import { fit, matmul, mul, reduceMean } from './ops';
import type { KindLowering } from './context';

function split(p: number, limit: number): number {
  for (let a = Math.max(1, Math.min(limit, Math.floor(Math.sqrt(p)))); a > 1; a--) if (p % a === 0) return a;
  return 1;
}

export const custom: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const p = Math.round(num(b.args, 'params'));
    if (p <= 0) return g.op('Mul', [c.h ?? c.x, g.scalar(0)], (c.h ?? c.x).shape);
    const a = split(p, c.d);
    const w = g.param('weight', [a, p / a], { normal: 1 / Math.sqrt(a) });
    const x = fit(g, c.h ?? c.x, a);
    if (b.args.flops === 0) return fit(g, mul(g, x, reduceMean(g, w, [1], false)), c.d);
    return fit(g, matmul(g, x, w), c.d);
  },
};
