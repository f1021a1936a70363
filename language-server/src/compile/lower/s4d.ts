/**
 * S4D (kinds/s4d.ts), as state-spaces/s4 `S4D`: the discretised diagonal system as a hyena modal filter
 * (hyenaFilters.ts) — poles p = e^{dt·A} (log-magnitude dt·A_re, angle dt·A_im), residues R = 2·C·(p − 1)/A, skip D —
 * so the prefill is the same FFT convolution (count.ts charges the DFTs the engine's convention) and a decode step
 * the same modal recurrence over state `modal0` [B, H, N/2, 2]; then GELU and output_linear (H → 2H, bias) + GLU.
 */
import { num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { activation, add, concat, div, linear, mul, reshape, slice, sub, unary } from './ops';
import { type Ctx, type KindLowering } from './context';
import { fftConv } from './hyena';
import { modalFilter, modalPrefillState, modalStep, type Modal } from './hyenaFilters';
import { stateOut, stateScope } from './state';

/** The S4D parameters (log_dt, C, log_A_real, A_imag, D) as a Modal with computed poles and residues. */
function s4dModal(c: Ctx, H: number, S: number): Modal {
  const { g } = c;
  const dt = unary(g, 'Exp', reshape(g, g.param('log_dt', [H], { uniform: [-6.9, -2.3] }), [1, H, 1]));
  const Cp = g.param('C', [1, H, S, 2], { normal: 0.7 });
  const Ar = unary(g, 'Neg', unary(g, 'Exp', g.param('log_A_real', [1, H, S], { fill: Math.log(0.5) })));
  const Ai = g.param('A_imag', [1, H, S], { uniform: [0, Math.PI * S] });
  const a = mul(g, dt, Ar), theta = mul(g, dt, Ai);
  const mag = unary(g, 'Exp', a);
  const pr = sub(g, mul(g, mag, unary(g, 'Cos', theta)), g.scalar(1)), pi = mul(g, mag, unary(g, 'Sin', theta));
  const part = (i: number): Tensor => reshape(g, slice(g, Cp, -1, i, i + 1), [1, H, S]);
  const nr = sub(g, mul(g, part(0), pr), mul(g, part(1), pi)), ni = add(g, mul(g, part(0), pi), mul(g, part(1), pr));
  const a2 = mul(g, add(g, mul(g, Ar, Ar), mul(g, Ai, Ai)), g.scalar(0.5)); // |A|²/2: R = 2·C(p−1)/A
  const re = div(g, add(g, mul(g, nr, Ar), mul(g, ni, Ai)), a2), im = div(g, sub(g, mul(g, ni, Ar), mul(g, nr, Ai)), a2);
  const m = modalFilter(c, 0, H, S); // no parameters of its own: filled with S4D's poles, residues and skip
  m.a.push(a); m.theta.push(theta); m.R.push(concat(g, [re, im], -1)); m.D.push(g.param('D', [H], { normal: 1 }));
  return m;
}

export const s4d: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g } = c;
    const H = c.d;
    const u = c.h ?? c.x;
    const scope = stateScope(c, 's4d');
    const m = s4dModal(c, H, num(b.args, 'd_state') / 2);
    let y: Tensor;
    if (scope && c.cache?.decode) y = modalStep(c, scope, 0, u, m);
    else {
      if (scope) stateOut(c, scope, 'modal0', modalPrefillState(c, u, m, 0));
      y = add(g, fftConv(c, u, m.taps()), mul(g, u, m.D[0], '#mac'));
    }
    const z = linear(g, activation(g, y, 'gelu'), 2 * H, 'output_linear', true);
    return mul(g, slice(g, z, -1, 0, H), unary(g, 'Sigmoid', slice(g, z, -1, H, 2 * H)));
  },
};
