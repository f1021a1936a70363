/**
 * Which parallel layouts of a GPU count can train a model, ranked by time: every tp (a divisor of the GPU count
 * up to one node), pp (a divisor of the rest, at most the model's layers) and ep (a divisor of the experts, MoE
 * only) with dp = gpus / (tp · pp), cp = 1; each checked by trainingSetupFor (heads, experts, stages) and costed
 * by estimateTraining at one global batch for all (4 sequences per GPU, so every dp divides it). Layouts whose
 * memory per GPU fits come first, fastest first; the others follow, least memory first.
 */
import type { ModelInstance } from '../semantic/instances';
import { estimateTraining, type TrainingEstimate } from './estimate';
import { trainingSetupFor, type TrainingChoice } from './layout';
import { routedExperts } from '../kinds';

export interface RankedLayout {
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
  readonly ep: number;
  readonly days: number;
  readonly gpuHours: number;
  readonly mfu: number;
  /** Device memory per GPU (bytes) and whether it fits the device. */
  readonly memory: number;
  readonly fits: boolean;
}

export function divisors(n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) if (n % i === 0) out.push(i);
  return out;
}

/** Sequences per optimizer step used to compare layouts: 4 per GPU. */
export function rankingBatchTokens(gpus: number, seq: number): number {
  return 4 * gpus * seq;
}

/** The (tp, pp, ep) candidates for `gpus` GPUs with `perNode` GPUs per node. */
export function candidates(gpus: number, perNode: number, hasExperts: boolean): { tp: number; pp: number; ep: number }[] {
  const out: { tp: number; pp: number; ep: number }[] = [];
  for (const tp of divisors(gpus).filter((t) => t <= Math.max(1, perNode))) {
    for (const pp of divisors(gpus / tp)) {
      for (const ep of hasExperts ? divisors(gpus / pp) : [1]) out.push({ tp, pp, ep });
    }
  }
  return out;
}

function tryEstimate(model: ModelInstance, c: TrainingChoice): TrainingEstimate | undefined {
  try {
    return estimateTraining(model, trainingSetupFor(model, c));
  } catch {
    return undefined; // not a valid layout for this model
  }
}

export function rankLayouts(model: ModelInstance, base: TrainingChoice & { readonly gpus: number; readonly seq: number }, perNode: number): RankedLayout[] {
  const hasExperts = model.blocks.some((b) => routedExperts(b));
  const out: RankedLayout[] = [];
  for (const { tp, pp, ep } of candidates(base.gpus, perNode, hasExperts)) {
    const e = tryEstimate(model, { ...base, tp, pp, ep, dp: undefined, cp: 1, vpp: 1, globalBatchTokens: rankingBatchTokens(base.gpus, base.seq) });
    if (!e) continue;
    out.push({ tp, pp, dp: e.setup.layout.dp, ep, days: e.days, gpuHours: e.gpuHours, mfu: e.mfu, memory: e.memory.total, fits: e.memory.fits });
  }
  return out.sort((a, b) => Number(b.fits) - Number(a.fits) || (a.fits ? a.days - b.days : a.memory - b.memory) || a.tp - b.tp || a.pp - b.pp);
}
