/**
 * MIRAS choices for the Titans memory (Behrouz, Razaviyayn, Zhong & Mirrokni 2025, "It's All Connected: A Journey
 * Through Test-Time Memorization, Attentional Bias, Retention, and Online Optimization", arXiv 2504.13173):
 * - attentional bias (`loss`), the memory's inner objective on e = M(k) − v: ℓ2 ‖e‖² (Titans; gradient 2e),
 *   ℓp ‖e‖_p^p (Moneta, p = 3; gradient p·sign(e)·|e|^(p−1)) or the coordinate-wise Huber loss (Yaad; gradient
 *   clip(e, −δ, δ), Huber 1964; MIRAS makes δ data-dependent, here a fixed argument);
 * - retention gate (`retention`): `decay` is Titans' weight decay M ← (1 − α_t)·M + step (the ℓ2 retention of
 *   MIRAS §4 with the forget gate α_t), `none` keeps M ← M + step (no α gate);
 * - learning algorithm (`momentum`): GD with momentum S ← η_t·S − θ_t·∇ (Titans) or plain GD, step = −θ_t·∇.
 * Costs (our count, as titans.ts's 10·P_mem): read-out 2·P_mem, forward on k 2·P_mem, backward 4·P_mem, and the
 * write of each memory element, M ← (1 − α)·M + η·S − θ·∇, one multiply-add (2·P_mem) when it carries a state
 * product (the decay, the momentum, or both: one fused pass over the state, as Titans' default is counted); plain
 * GD without retention writes M − θ·∇ with no state product (elementwise, not counted). The loss gradient is
 * elementwise on the d outputs (not counted, as gates and norms). Momentum doubles the state (M and S: 2·P_mem)
 * and adds the η gate; retention adds the α gate (d + 1 parameters each, as Titans' gate projection).
 */
import type { ArgIssue, Args, ParamSpec } from './types';
import { bool, num, str } from './formulas';

export const LOSSES = ['l2', 'lp', 'huber'] as const;
export const RETENTIONS = ['decay', 'none'] as const;

export const MIRAS_PARAMS: readonly ParamSpec[] = [
  { name: 'loss', type: 'enum', values: [...LOSSES],
    doc: 'Attentional bias (MIRAS; default: l2): l2 ‖M(k) − v‖² (Titans), lp ‖·‖_p^p (Moneta), huber (Yaad, coordinate-wise with threshold delta).' },
  { name: 'p', type: 'number', min: 1, doc: 'loss: lp: the exponent p (default: 3, Moneta).' },
  { name: 'delta', type: 'number', min: 0, doc: 'loss: huber: the threshold δ where the loss turns from quadratic to linear (default: 1).' },
  { name: 'retention', type: 'enum', values: [...RETENTIONS],
    doc: 'Retention gate (default: decay): decay M ← (1 − α_t)·M + step (Titans weight decay, α gate); none: M ← M + step.' },
  { name: 'momentum', type: 'bool', doc: 'Surprise with momentum S ← η_t·S − θ_t·∇ (default: true, Titans; η gate, S doubles the state); false: plain GD, step = −θ_t·∇.' },
];

/** The update rule of one titans use, with what it costs per memory parameter. */
export interface MemoryRule {
  readonly loss: string;
  readonly p: number;
  readonly delta: number;
  readonly decay: boolean;
  readonly momentum: boolean;
  /** Data-dependent gates projected from x: θ, and η (momentum), α (decay). */
  readonly gates: number;
  /** Update FLOPs per memory parameter per token: forward 2 + backward 4 + the write (2 with a state product). */
  readonly update: number;
  /** State elements per memory parameter: M, and S with momentum. */
  readonly state: number;
}

export function memoryRule(args: Args): MemoryRule {
  const decay = (str(args, 'retention') || 'decay') === 'decay';
  const momentum = args.momentum === undefined ? true : bool(args, 'momentum');
  return {
    loss: str(args, 'loss') || 'l2', p: num(args, 'p') || 3, delta: args.delta === undefined ? 1 : num(args, 'delta'),
    decay, momentum, gates: 1 + (decay ? 1 : 0) + (momentum ? 1 : 0),
    update: 6 + (decay || momentum ? 2 : 0), state: momentum ? 2 : 1,
  };
}

export function mirasIssues(args: Args): ArgIssue[] {
  const out: ArgIssue[] = [];
  if (args.p !== undefined && str(args, 'loss') !== 'lp') out.push({ arg: 'p', message: "'p' needs loss: lp" });
  if (args.delta !== undefined && str(args, 'loss') !== 'huber') out.push({ arg: 'delta', message: "'delta' needs loss: huber" });
  return out;
}

/** Whether a use departs from Titans' rule (ℓ2, decay, momentum): its formula then says which rule it uses. */
export const isTitansRule = (r: MemoryRule): boolean => r.loss === 'l2' && r.decay && r.momentum;

export function ruleLine(r: MemoryRule): string {
  const loss = r.loss === 'lp' ? `ℓp, p = ${r.p} (∇ = p·sign(e)·|e|^(p−1))` : r.loss === 'huber' ? `Huber, δ = ${r.delta} (∇ = clip(e, ±δ))` : 'ℓ2 (∇ = 2e)';
  const write = r.decay || r.momentum ? '2·P_mem' : '0 (M − θ·∇: no state product)';
  return `MIRAS rule: loss ${loss}; retention ${r.decay ? 'decay (α gate)' : 'none'}; ${r.momentum ? 'momentum (η gate, state M + S)' : 'plain GD (state M)'};` +
    ` ${r.gates} gates; update FLOPs/token = 6·P_mem + write ${write}`;
}
