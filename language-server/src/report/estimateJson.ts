/**
 * `archlens estimate --json` (docs/estimate-json.md): a stable, versioned document. Times in milliseconds, memory in
 * bytes; fields are only ever added.
 */
import type { ServingEstimate } from '../serving/estimate';
import type { PhaseTime } from '../serving/timing';
import { CALIBRATION_PROVENANCE } from '../serving/calibration';

export const ESTIMATE_JSON_VERSION = 1;

const ms = (s: number): number => s * 1e3;

function phaseJson(p: PhaseTime): object {
  return {
    total_ms: ms(p.seconds), compute_ms: ms(p.compute), memory_ms: ms(p.memory), communication_ms: ms(p.communication), overhead_ms: ms(p.overhead),
    by_kind: Object.fromEntries(Object.entries(p.byKind).map(([k, v]) => [k, { ms: ms(v.seconds), compute_bound_ms: ms(v.computeBound) }])),
  };
}

export function estimateJson(modelName: string, e: ServingEstimate): object {
  const d = e.deployment, m = e.memory;
  return {
    version: ESTIMATE_JSON_VERSION,
    model: modelName,
    deployment: {
      hardware: d.hardware.id, hardware_name: d.hardware.name, gpus: d.gpus, tp: d.tp, pp: d.pp, ep: d.ep, dp: d.gpus / (d.tp * d.pp),
      dtype: d.activation, weights: d.weights.id, bits_per_weight: d.weights.bitsPerWeight, kv_dtype: d.kvDtype, framework: d.framework,
    },
    workload: { batch: e.workload.batch, input: e.workload.input, output: e.workload.output },
    ttft_ms: ms(e.ttft), tpot_ms: ms(e.tpot), e2e_ms: ms(e.e2e), decode_steps: e.decodeSteps,
    output_tokens_per_s: e.outputTokensPerS, output_tokens_per_s_per_gpu: e.outputTokensPerSPerGpu, input_tokens_per_s: e.inputTokensPerS,
    concurrency: e.concurrency, waves: e.waves,
    memory_per_gpu: {
      weights_bytes: m.weights, kv_bytes: m.kv, activation_bytes: m.activations, workspace_bytes: m.workspace,
      total_bytes: m.total, capacity_bytes: m.capacity, fits: m.fits, max_batch: m.maxBatch,
    },
    breakdown: { prefill: phaseJson(e.prefill), decode: phaseJson(e.decode) },
    calibration: CALIBRATION_PROVENANCE,
  };
}
