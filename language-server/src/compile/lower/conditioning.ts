/**
 * adaLN-Zero (kinds/conditioning.ts): LayerNorm without affine of the stream, modulated by x̂·(1 + scale) + shift
 * from SiLU → Linear(cond_dim → chunks·d) of the conditioning vector. The graph has no timestep / class input, so
 * the per-sequence mean of the stream stands in for c: the Linear runs on [B, 1, cond_dim], once per sequence
 * (count.ts: cond_dim·chunks·d MACs per sequence, the engine's per-image charge). Gates are not applied.
 */
import { bool, num } from '../../kinds/formulas';
import { add, fit, layernorm, linear, mul, reduceMean, silu, slice } from './ops';
import { dModelOf, type KindLowering } from './context';

export const adaln: KindLowering = {
  role: 'norm',
  lower(c, b) {
    const { g } = c;
    const d = dModelOf(b);
    const k = num(b.args, 'chunks');
    const h = layernorm(g, c.x);
    if (k === 0) return h;
    const cond = fit(g, silu(g, reduceMean(g, c.x, [1])), num(b.args, 'cond_dim') || d);
    const mod = linear(g, cond, k * d, 'adaln_modulation', bool(b.args, 'bias')); // [B, 1, chunks·d]
    const shift = slice(g, mod, -1, 0, d);
    const scale = k > 1 ? slice(g, mod, -1, d, 2 * d) : g.scalar(0);
    return add(g, mul(g, h, add(g, g.scalar(1), scale)), shift);
  },
};
