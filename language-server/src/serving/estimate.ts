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
import { routedExperts } from '../kinds';

export interface ServingEstimate extends ServingTimes {
  readonly deployment: Deployment;
  readonly workload: Workload;
  readonly memory: MemoryPerGpu;
  /** Sequences in flight: the batch, or the largest that fits when the batch does not (then it runs in waves). */
  readonly concurrency: number;
  readonly waves: number;
}

/**
 * How a batch runs: all at once when it fits; otherwise the framework keeps at most the largest batch that fits in
 * flight (continuous batching admits a request when memory for its full length is free, as TensorRT-LLM's
 * guaranteed-no-evict scheduler does) — costed as ⌊B / c⌋ waves of c sequences, then one wave of the rest.
 */
export interface ServingPlan { readonly run: Workload; readonly fullWaves: number; readonly rest?: Workload; readonly memory: MemoryPerGpu }

export function planServing(model: ModelInstance, d: Deployment, w: Workload, calibration?: Calibration): ServingPlan {
  const { fw } = frameworkSetup(d.framework, calibration);
  const memory = memoryPerGpu(model, d, fw, w);
  if (memory.fits || memory.maxBatch < 1 || memory.maxBatch >= w.batch) return { run: w, fullWaves: 1, memory };
  const c = memory.maxBatch;
  const r = w.batch % c;
  return { run: { ...w, batch: c }, fullWaves: Math.floor(w.batch / c), rest: r ? { ...w, batch: r } : undefined, memory };
}

/** A plan with its workloads prepared (the calibration fit prepares once per measured run). */
export interface PreparedPlan { readonly plan: ServingPlan; readonly run: PreparedWorkload; readonly rest?: PreparedWorkload }

export function preparePlan(model: ModelInstance, d: Deployment, plan: ServingPlan): PreparedPlan {
  return { plan, run: prepare(model, d, plan.run), rest: plan.rest && prepare(model, d, plan.rest) };
}

export function checkDeployment(d: Deployment, model: ModelInstance): void {
  for (const [k, v] of [['gpus', d.gpus], ['tp', d.tp], ['pp', d.pp], ['ep', d.ep]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${v}`);
  }
  if (d.gpus % (d.tp * d.pp) !== 0) throw new Error(`--gpus ${d.gpus} is not a multiple of tp·pp = ${d.tp * d.pp}`);
  if (d.ep > d.gpus / d.pp) throw new Error(`--ep ${d.ep} exceeds the ${d.gpus / d.pp} GPUs of a pipeline stage`);
  if (d.ep > 1 && !model.blocks.some((b) => routedExperts(b))) throw new Error(`--ep ${d.ep}: model '${model.name}' has no moe block (no kind with routed experts)`);
}

/** The time figures alone, from a prepared workload (the calibration fit reuses one preparation per run). */
export interface ServingTimes {
  readonly ttft: number; readonly tpot: number; readonly e2e: number; readonly decodeSteps: number;
  readonly outputTokensPerS: number; readonly outputTokensPerSPerGpu: number; readonly inputTokensPerS: number;
  readonly prefill: PhaseTime; readonly decode: PhaseTime;
}

/** Times of a prepared plan serving `w` (its full waves, then the rest). */
export function servingTimes(pp: PreparedPlan, d: Deployment, w: Workload, calibration?: Calibration): ServingTimes {
  const { cal, fw } = frameworkSetup(d.framework, calibration);
  const prefill = prefillTime(pp.run, d, cal, fw, w.input);
  const decode = decodeTime(pp.run, d, cal, fw);
  const rest = pp.rest ? prefillTime(pp.rest, d, cal, fw, w.input).seconds + decodeTime(pp.rest, d, cal, fw).seconds : 0;
  const decodeSteps = pp.run.decode.length ? pp.run.to - pp.run.from + 1 : 0;
  const e2e = pp.plan.fullWaves * (prefill.seconds + decode.seconds) + rest;
  const outputs = w.batch * w.output;
  return {
    ttft: prefill.seconds, tpot: decodeSteps ? decode.seconds / decodeSteps : 0, e2e, decodeSteps,
    outputTokensPerS: e2e > 0 ? outputs / e2e : 0,
    outputTokensPerSPerGpu: e2e > 0 ? outputs / e2e / d.gpus : 0,
    inputTokensPerS: prefill.seconds > 0 ? (pp.plan.run.batch * w.input) / prefill.seconds : 0,
    prefill, decode,
  };
}

export function estimateServing(model: ModelInstance, d: Deployment, w: Workload, calibration?: Calibration): ServingEstimate {
  checkDeployment(d, model);
  const plan = planServing(model, d, w, calibration);
  const times = servingTimes(preparePlan(model, d, plan), d, w, calibration);
  const waves = plan.fullWaves + (plan.rest ? 1 : 0);
  return { deployment: d, workload: w, ...times, memory: plan.memory, concurrency: plan.run.batch, waves };
}
