/**
 * The training estimate: one optimizer step split into compute, exposed communication (TP, EP, pipeline bubble and
 * hops, DP after overlap) and fixed overhead; tokens/s, model TFLOP/s per GPU, MFU and HFU; memory per GPU; time,
 * GPU-hours and energy for D tokens. Compute runs at the tensor peak of the dtype × the MAMF-scaled training GEMM
 * efficiency, with serving's skinny-GEMM curve and grouped-GEMM factor for MoE experts (serving/timing.ts).
 */
import type { ModelInstance } from '../semantic/instances';
import { peakFlops } from '../cost/hardware';
import { gemmEfficiency } from '../serving/timing';
import { pipelineSeconds } from '../serving/parallel';
import { TRAINING_CONSTANTS, TRAINING_PROFILE, trainingGlobal } from './calibration';
import { tdpWatts } from './cluster';
import { dpSeconds, epSeconds, hop, tpSeconds } from './comm';
import { trainingFlops, type TrainingFlops } from './flops';
import { trainingMemory, type TrainingMemory } from './memory';
import type { TrainingConstants, TrainingSetup } from './types';

export interface StepTime {
  readonly seconds: number;
  readonly compute: number;
  readonly tp: number;
  readonly ep: number;
  readonly bubble: number;
  readonly dpExposed: number;
  readonly dpTotal: number;
  readonly overhead: number;
}

export interface TrainingEstimate {
  readonly setup: TrainingSetup;
  readonly microBatches: number;
  readonly flops: TrainingFlops;
  readonly step: StepTime;
  readonly tokensPerS: number;
  readonly modelTflopsPerGpu: number;
  readonly mfu: number;
  readonly hfu: number;
  readonly memory: TrainingMemory;
  readonly seconds: number;
  readonly gpuHours: number;
  readonly days: number;
  /** GPU board power × GPU-hours, kWh; undefined where the device has no cited TDP. */
  readonly energyKwh?: number;
}

/** Compute seconds of one micro-batch through one stage on one GPU. */
function microCompute(f: TrainingFlops, s: TrainingSetup, tc: TrainingConstants): number {
  const l = s.layout, g = trainingGlobal(tc);
  const tokens = s.microBatch * s.seq;
  const rate = peakFlops(s.hardware, s.dtype) * gemmEfficiency(g, TRAINING_PROFILE, tokens / l.cp, s.hardware);
  const grouped = 1 / Math.min(1, g.groupedGemmEfficiency);
  const work = f.byBlock.reduce((sum, k) => sum + k.hardware * (k.grouped ? grouped : 1), 0);
  return (work * tokens) / (l.tp * l.cp * l.pp * rate);
}

export function stepTime(model: ModelInstance, s: TrainingSetup, f: TrainingFlops, tc: TrainingConstants = TRAINING_CONSTANTS): StepTime {
  const l = s.layout, g = trainingGlobal(tc);
  const m = s.globalBatch / (l.dp * s.microBatch);
  const compute = microCompute(f, s, tc), tp = tpSeconds(model, s, g, tc), ep = epSeconds(model, s, g, tc);
  const stage = compute + tp + ep;
  // Interleaving v chunks per GPU: m·v chunks of stage/v through p stages (bubble (p − 1)/v stage times); two hops
  // (forward activations, backward gradients) per stage boundary on the critical path.
  const pipeline = pipelineSeconds(stage / l.vpp, 2 * hop(model, s, g, tc), m * l.vpp, l.pp);
  const dpTotal = dpSeconds(model, s, g, tc);
  const window = (s.zero === 3 || s.zero === 'fsdp' ? 1 : 2 / 3) * m * compute;
  const dpExposed = Math.max(0, dpTotal - tc.dpOverlap * window);
  const seconds = pipeline + dpExposed + tc.stepOverhead;
  return { seconds, compute: m * compute, tp: m * tp, ep: m * ep, bubble: pipeline - m * stage, dpExposed, dpTotal, overhead: tc.stepOverhead };
}

export function estimateTraining(model: ModelInstance, s: TrainingSetup, tc: TrainingConstants = TRAINING_CONSTANTS): TrainingEstimate {
  const flops = trainingFlops(model, s.seq, s.recompute, s.capacityFactor);
  const step = stepTime(model, s, flops, tc);
  const gpus = s.layout.gpus;
  const tokensPerS = (s.globalBatch * s.seq) / step.seconds;
  const peak = peakFlops(s.hardware, s.dtype);
  const modelTflopsPerGpu = (flops.model * tokensPerS) / gpus / 1e12;
  const seconds = s.tokens / tokensPerS;
  const gpuHours = (seconds * gpus) / 3600;
  const tdp = tdpWatts(s.hardware);
  return {
    setup: s, microBatches: s.globalBatch / (s.layout.dp * s.microBatch), flops, step, tokensPerS, modelTflopsPerGpu,
    mfu: (modelTflopsPerGpu * 1e12) / peak, hfu: (flops.hardware * tokensPerS) / gpus / peak,
    memory: trainingMemory(model, s), seconds, gpuHours, days: seconds / 86400,
    energyKwh: tdp === undefined ? undefined : (gpuHours * tdp) / 1000,
  };
}
