/**
 * `archlens train-estimate --json` (docs/training-json.md): a stable, versioned document. Seconds, bytes, FLOPs;
 * fields are only ever added.
 */
import type { TrainingEstimate } from '../training/estimate';
import type { ComputeOptimal } from '../training/chinchilla';
import { TRAINING_PROVENANCE } from '../training/calibration';

export const TRAINING_JSON_VERSION = 1;

function chinchillaJson(c: ComputeOptimal | undefined): object | null {
  if (!c) return null;
  return { budget_flops: c.budgetFlops, optimal_params: c.params, optimal_tokens: c.tokens, optimal_loss: c.optimalLoss, model_loss: c.modelLoss, source: c.source };
}

export function trainingJson(modelName: string, e: TrainingEstimate, chinchilla?: ComputeOptimal): object {
  const s = e.setup, l = s.layout, m = e.memory, st = e.step;
  return {
    version: TRAINING_JSON_VERSION,
    model: modelName,
    cluster: { hardware: s.hardware.id, hardware_name: s.hardware.name, gpus: l.gpus, network_bytes_per_s: s.networkBandwidth },
    layout: { tp: l.tp, pp: l.pp, dp: l.dp, cp: l.cp, ep: l.ep, vpp: l.vpp, zero: String(s.zero), recompute: s.recompute, dtype: s.dtype },
    batch: { seq: s.seq, global_batch_sequences: s.globalBatch, global_batch_tokens: s.globalBatch * s.seq, micro_batch: s.microBatch, micro_batches: e.microBatches },
    tokens: s.tokens,
    step_time_s: st.seconds,
    breakdown: {
      compute_s: st.compute, tp_comm_s: st.tp, ep_comm_s: st.ep, pp_bubble_s: st.bubble,
      dp_comm_exposed_s: st.dpExposed, dp_comm_total_s: st.dpTotal, overhead_s: st.overhead,
    },
    tokens_per_s: e.tokensPerS,
    model_flops_per_token: e.flops.model,
    hardware_flops_per_token: e.flops.hardware,
    model_tflops_per_gpu: e.modelTflopsPerGpu,
    mfu: e.mfu,
    hfu: e.hfu,
    memory_per_gpu_bytes: {
      weights: m.weights, gradients: m.gradients, optimizer: m.optimizer, activations: m.activations, workspace: m.workspace,
      total: m.total, capacity: m.capacity, host: m.host,
    },
    fits: m.fits,
    seconds: e.seconds,
    gpu_hours: e.gpuHours,
    days: e.days,
    energy_kwh: e.energyKwh ?? null,
    flops_by_kind: Object.fromEntries(e.flops.byBlock.reduce((acc, k) => {
      const v = acc.get(k.kind) ?? { model: 0, hardware: 0 };
      acc.set(k.kind, { model: v.model + k.model, hardware: v.hardware + k.hardware });
      return acc;
    }, new Map<string, { model: number; hardware: number }>())),
    chinchilla: chinchillaJson(chinchilla),
    calibration: TRAINING_PROVENANCE,
  };
}
