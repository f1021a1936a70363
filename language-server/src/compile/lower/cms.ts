/**
 * Continuum memory system (kinds/cms.ts): the chain of level MLPs d → d_ff → d (GELU between). Lowered for a
 * prefill in which no level updates (every period longer than the compiled T): the graph is the chain of reads,
 * which is all the engine counts then. Test-time updates inside the sequence are not lowered: such a compile
 * is refused with a message; no decode step yet.
 */
import { num, numList } from '../../kinds/formulas';
import { activation, linear } from './ops';
import type { KindLowering } from './context';

export const cms: KindLowering = {
  role: 'sublayer',
  decodeStep: false,
  lower(c, b) {
    const { g } = c;
    const periods = numList(b.args, 'periods');
    const fast = Math.min(...periods);
    if (fast <= c.T) {
      throw new Error(`compile: cms updates a level every ${fast} tokens, within the ${c.T} compiled tokens; test-time updates are not lowered yet: compile with --seq below ${fast}, or use 'report'`);
    }
    let y = c.h ?? c.x;
    periods.forEach((_, l) => {
      y = linear(g, activation(g, linear(g, y, num(b.args, 'd_ff'), `level${l}_up`), 'gelu'), c.d, `level${l}_down`);
    });
    return y;
  },
};
