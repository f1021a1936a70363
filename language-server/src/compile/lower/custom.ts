/**
 * `custom`: one MatMul whose weight has exactly the stated `params` elements, [a, params/a] with a the largest
 * divisor of params not above min(d_model, √params); the stream is fitted to a (slice or tile) and the output
 * back to d_model. Its MACs per token equal params, so FLOPs match the engine's default 2·active when
 * active = params and `flops` is not stated. A stated `flops: F` ≠ 2·params enters the weight elementwise (0 MACs)
 * and adds one `#mac` Mul of width round(F / 2) (count.ts: one MAC per output element), so the graph's FLOPs are
 * the stated ones (up to 2²⁰ MACs per token; above that the matmul's params MACs stand, to keep the graph small);
 * `flops: 0` (a block that costs nothing per token, e.g. DiT's per-image embedders) adds none.
 */
import { num } from '../../kinds/formulas';
import { expand, fit, matmul, mul, reduceMean } from './ops';
import type { KindLowering } from './context';

/** Above this many stated MACs per token the product is not materialised (B·T·MACs floats): MACs = params, as before. */
const MAX_STATED_MACS = 1 << 20;

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
    const flops = b.args.flops === undefined ? 2 * p : num(b.args, 'flops');
    if (flops === 2 * p || flops / 2 > MAX_STATED_MACS) return fit(g, matmul(g, x, w), c.d);
    const y = mul(g, x, reduceMean(g, w, [1], false));
    const m = Math.round(flops / 2);
    if (m === 0) return fit(g, y, c.d);
    const wide = expand(g, reduceMean(g, y, [-1]), [c.B, c.T, m]);
    return fit(g, g.op('Mul', [wide, g.scalar(1)], wide.shape, {}, { tag: '#mac' }), c.d);
  },
};
