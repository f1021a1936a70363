/**
 * The serving estimate: time to first token (prefill of the batch's prompts), mean time per output token,
 * end to end (prefill + O − 1 decode steps summed exactly over the growing context), throughputs, memory per
 * GPU, and each phase split into compute, memory traffic, communication and fixed overhead, per block kind.
 * `input = 0`: generation from an empty context (llama-bench tg: O decode steps); `output = 0`: prefill only (pp).
 */
import type { ModelInstance } from '../semantic/instances';
import { frameworkSetup } from './calibration';
import { memoryPerGpu, type MemoryPerGpu } from './memory';
import { decodeTime, prefillTime, type PhaseTime } from './timing';
import { prepare, type PreparedWorkload } from './workload';
import type { Calibration, Deployment, Workload } from './types';

export interface ServingEstimate extends ServingTimes {
  readonly deployment: Deployment;
  readonly workload: Workload;
  readonly memory: MemoryPerGpu;
}

export function checkDeployment(d: Deployment, model: ModelInstance): void {
  for (const [k, v] of [['gpus', d.gpus], ['tp', d.tp], ['pp', d.pp], ['ep', d.ep]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${v}`);
  }
  if (d.gpus % (d.tp * d.pp) !== 0) throw new Error(`--gpus ${d.gpus} is not a multiple of tp·pp = ${d.tp * d.pp}`);
  if (d.ep > d.gpus / d.pp) throw new Error(`--ep ${d.ep} exceeds the ${d.gpus / d.pp} GPUs of a pipeline stage`);
  if (d.ep > 1 && !model.blocks.some((b) => b.kind === 'moe')) throw new Error(`--ep ${d.ep}: model '${model.name}' has no moe block`);
}

/** The time figures alone, from a prepared workload (the calibration fit reuses one preparation per run). */
export interface ServingTimes {
  readonly ttft: number; readonly tpot: number; readonly e2e: number; readonly decodeSteps: number;
  readonly outputTokensPerS: number; readonly outputTokensPerSPerGpu: number; readonly inputTokensPerS: number;
  readonly prefill: PhaseTime; readonly decode: PhaseTime;
}

export function servingTimes(p: PreparedWorkload, d: Deployment, w: Workload, calibration?: Calibration): ServingTimes {
  const { cal, fw } = frameworkSetup(d.framework, calibration);
  const prefill = prefillTime(p, d, cal, fw, w.input);
  const decode = decodeTime(p, d, cal, fw);
  const decodeSteps = p.decode.length ? p.to - p.from + 1 : 0;
  const e2e = prefill.seconds + decode.seconds;
  const outputs = w.batch * w.output;
  return {
    ttft: prefill.seconds, tpot: decodeSteps ? decode.seconds / decodeSteps : 0, e2e, decodeSteps,
    outputTokensPerS: e2e > 0 ? outputs / e2e : 0,
    outputTokensPerSPerGpu: e2e > 0 ? outputs / e2e / d.gpus : 0,
    inputTokensPerS: prefill.seconds > 0 ? (w.batch * w.input) / prefill.seconds : 0,
    prefill, decode,
  };
}

export function estimateServing(model: ModelInstance, d: Deployment, w: Workload, calibration?: Calibration): ServingEstimate {
  checkDeployment(d, model);
  const { fw } = frameworkSetup(d.framework, calibration);
  const times = servingTimes(prepare(model, d, w), d, w, calibration);
  return { deployment: d, workload: w, ...times, memory: memoryPerGpu(model, d, fw, w) };
}
