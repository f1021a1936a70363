/**
 * The dashboard's Training section and the hover's training line: the training estimate (training/estimate.ts)
 * for the cluster and layout the Training controls choose (defaults: the archlens.* hardware and GPU count, data
 * parallel, ZeRO-1, selective recompute, the model's `tokens` or 20 tokens per parameter), memory per GPU, and the
 * valid layouts of that GPU count ranked by time (training/layouts.ts). Never throws: a bad layout is `error`.
 */
import type { ModelInstance } from '../../semantic/instances';
import type { TrainingParams, TrainingView } from '../../protocol/dashboard';
import { findHardware, HARDWARE } from '../../cost/hardware';
import { estimateTraining, type TrainingEstimate } from '../../training/estimate';
import { trainingSetupFor, type TrainingChoice } from '../../training/layout';
import { rankingBatchTokens, rankLayouts } from '../../training/layouts';
import { RECOMPUTE, ZERO_STAGES } from '../../training/types';
import type { ArchSettings } from './settings';

/** Training sequence length: the model's context, capped at 8Ki (long-context runs extend it later). */
export function trainingSeq(model: ModelInstance): number {
  return Math.min(model.dims.context ?? 4096, 8192);
}

export function trainingParams(model: ModelInstance, s: ArchSettings, params: number, over: Partial<TrainingParams> = {}): TrainingParams {
  return { hardware: s.hardware, gpus: s.gpus, tp: 1, pp: 1, dp: s.gpus, ep: 1, zero: '1', recompute: 'selective', tokens: model.dims.tokens ?? 20 * params, ...over };
}

function choiceOf(p: TrainingParams, s: ArchSettings, seq: number): TrainingChoice & { gpus: number; seq: number } {
  return {
    hardware: p.hardware, customHardware: s.customHardware, gpus: p.gpus, tp: p.tp, pp: p.pp, dp: p.dp, ep: p.ep, cp: 1,
    zero: p.zero, recompute: p.recompute, seq, tokens: p.tokens, globalBatchTokens: rankingBatchTokens(p.gpus, seq),
  };
}

/** The estimate for `p`, or why there is none (flags worded as the dashboard's controls). */
export function trainingEstimate(model: ModelInstance, s: ArchSettings, p: TrainingParams): TrainingEstimate | { error: string } {
  try {
    return estimateTraining(model, trainingSetupFor(model, choiceOf(p, s, trainingSeq(model))));
  } catch (e) {
    return { error: (e as Error).message.replace(/--([a-z-]+)/g, '$1') };
  }
}

function tokensFrom(model: ModelInstance, over: Partial<TrainingParams>): TrainingView['tokensFrom'] {
  return over.tokens !== undefined ? 'chosen' : model.dims.tokens !== undefined ? 'model' : 'chinchilla';
}

export function trainingView(model: ModelInstance, s: ArchSettings, params: number, over: Partial<TrainingParams> = {}): TrainingView {
  const p = trainingParams(model, s, params, over);
  const seq = trainingSeq(model);
  const choices = { hardware: [...HARDWARE, ...s.customHardware].map((h) => ({ id: h.id, name: h.name })), zero: ZERO_STAGES, recompute: RECOMPUTE };
  const base = { params: p, tokensFrom: tokensFrom(model, over), seq, choices };
  const perNode = findHardware(p.hardware, s.customHardware)?.gpusPerNode ?? 8;
  const ranked = p.gpus <= 4096 ? rankLayouts(model, choiceOf(p, s, seq), perNode) : [];
  const layouts = { layouts: ranked.slice(0, 12), layoutCount: ranked.length };
  const e = trainingEstimate(model, s, p);
  if ('error' in e) return { ...base, error: e.error, ...layouts };
  const m = e.memory;
  return {
    ...base, ...layouts,
    estimate: { days: e.days, gpuHours: e.gpuHours, mfu: e.mfu, tokensPerS: e.tokensPerS, stepSeconds: e.step.seconds },
    memory: { weights: m.weights, gradients: m.gradients, optimizer: m.optimizer, activations: m.activations, workspace: m.workspace, total: m.total, capacity: m.capacity, fits: m.fits },
  };
}
