/**
 * The published training runs (test/fixtures/measured/measured-training.json) and how each is predicted:
 * every metric is turned into a ratio predicted / measured of the same quantity.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import type { ModelInstance } from '../../language-server/src/semantic/instances';
import { estimateTraining } from '../../language-server/src/training/estimate';
import { layerCount, trainingSetupFor } from '../../language-server/src/training/layout';
import type { TrainingConstants, TrainingSetup } from '../../language-server/src/training/types';

const DIR = path.resolve(__dirname, '../fixtures/measured');

export interface TrainingRun {
  id: string; source: string; file: string; model: string; hardware: string; gpus: number; tp: number; pp: number; cp?: number; vpp?: number;
  zero: string; recompute: string; seq: number; global_batch: number; micro_batch: number; network_gbps?: number; tokens?: number;
  metric: 'tokens_per_s_per_gpu' | 'megatron_tflops_per_gpu' | 'model_tflops_per_gpu' | 'gpu_hours'; measured: number;
}

export interface PreparedRun { run: TrainingRun; model: ModelInstance; setup: TrainingSetup }

export function loadRuns(): { runs: PreparedRun[]; sources: Record<string, string> } {
  const doc = JSON.parse(fs.readFileSync(path.join(DIR, 'measured-training.json'), 'utf8')) as { runs: TrainingRun[]; sources: Record<string, string> };
  const files = new Map<string, readonly ModelInstance[]>();
  const runs = doc.runs.map((run) => {
    if (!files.has(run.file)) files.set(run.file, analyze(path.join(DIR, run.file), nodeHost()).models);
    const model = files.get(run.file)!.find((m) => m.name === run.model);
    if (!model) throw new Error(`${run.id}: no model ${run.model} in ${run.file}`);
    const setup = trainingSetupFor(model, {
      hardware: run.hardware, gpus: run.gpus, tp: run.tp, pp: run.pp, cp: run.cp, vpp: run.vpp, zero: run.zero, recompute: run.recompute,
      seq: run.seq, globalBatchTokens: run.global_batch * run.seq, microBatch: run.micro_batch, tokens: run.tokens ?? 1e12, networkGbps: run.network_gbps,
    });
    return { run, model, setup };
  });
  return { runs, sources: doc.sources };
}

/** Narayanan et al. 2021 Eq. 3, 96·B·s·l·h²·(1 + s/6h + V/16lh) per iteration, divided by the B·s tokens. */
function megatronFlopsPerToken(m: ModelInstance, seq: number): number {
  const l = layerCount(m), h = m.dims.d_model ?? 0, V = m.dims.vocab ?? 0;
  return 96 * l * h * h * (1 + seq / (6 * h) + V / (16 * l * h));
}

/** Predicted / measured for one run under constants `tc`. */
export function ratio(p: PreparedRun, tc: TrainingConstants): number {
  const e = estimateTraining(p.model, p.setup, tc);
  const perGpu = e.tokensPerS / p.setup.layout.gpus;
  switch (p.run.metric) {
    case 'tokens_per_s_per_gpu': return perGpu / p.run.measured;
    case 'megatron_tflops_per_gpu': return perGpu / ((p.run.measured * 1e12) / megatronFlopsPerToken(p.model, p.run.seq));
    case 'model_tflops_per_gpu': return e.modelTflopsPerGpu / p.run.measured;
    case 'gpu_hours': return e.gpuHours / p.run.measured;
  }
}
