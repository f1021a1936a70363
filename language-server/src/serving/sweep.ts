/**
 * The serving Pareto curve: one deployment and request shape over batch sizes 1 … 1024 (log-spaced, half-octave
 * steps), each point the mean time per output token, the end-to-end latency of a request and the output tokens per
 * second per GPU. `limit` is the largest batch whose KV cache fits (memory.maxBatch, where it lies in the range):
 * past it the batch runs in waves, so throughput stops growing while latency does not.
 */
import type { ModelInstance } from '../semantic/instances';
import { frameworkSetup } from './calibration';
import { estimateServing } from './estimate';
import { memoryPerGpu } from './memory';
import type { Deployment, Workload } from './types';

export interface ParetoPoint {
  readonly batch: number;
  readonly ttft: number;
  readonly tpot: number;
  readonly e2e: number;
  readonly outputTokensPerSPerGpu: number;
  /** The whole batch is in flight at once (no waves). */
  readonly fits: boolean;
}

export interface ServingSweep {
  readonly points: readonly ParetoPoint[];
  /** The point at the largest batch that fits in memory, when it lies within the sweep. */
  readonly limit?: ParetoPoint;
}

export const SWEEP_MAX_BATCH = 1024;

/** 1, 2, 3, 4, 6, 8, 11, 16, … 724, 1024: round(2^(k/2)), without repeats. */
export function sweepBatches(max = SWEEP_MAX_BATCH): number[] {
  const out = new Set<number>();
  for (let k = 0; Math.round(2 ** (k / 2)) <= max; k++) out.add(Math.round(2 ** (k / 2)));
  return [...out];
}

/**
 * The largest batch that fits. The activation peak grows with the prompt tokens in flight (up to one prefill
 * chunk), so memory.maxBatch depends a little on the batch it is asked at: iterate to the batch that reports itself.
 */
export function kvLimit(model: ModelInstance, d: Deployment, io: Omit<Workload, 'batch'>): number {
  const { fw } = frameworkSetup(d.framework);
  let b = 1;
  for (let i = 0; i < 8; i++) {
    const next = memoryPerGpu(model, d, fw, { ...io, batch: b }).maxBatch;
    if (next === b || next < 1) return next;
    b = next;
  }
  return b;
}

function point(model: ModelInstance, d: Deployment, w: Workload): ParetoPoint {
  const e = estimateServing(model, d, w);
  return { batch: w.batch, ttft: e.ttft, tpot: e.tpot, e2e: e.e2e, outputTokensPerSPerGpu: e.outputTokensPerSPerGpu, fits: e.waves === 1 && e.memory.fits };
}

export function servingSweep(model: ModelInstance, d: Deployment, io: Omit<Workload, 'batch'>, max = SWEEP_MAX_BATCH): ServingSweep {
  const limitBatch = kvLimit(model, d, io);
  const inRange = limitBatch >= 1 && limitBatch <= max;
  const batches = sweepBatches(max);
  if (inRange && !batches.includes(limitBatch)) batches.push(limitBatch);
  batches.sort((a, b) => a - b);
  const points = batches.map((batch) => point(model, d, { ...io, batch }));
  return { points, limit: inRange ? points.find((p) => p.batch === limitBatch) : undefined };
}
