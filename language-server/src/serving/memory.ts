/**
 * Device memory per GPU: resident weights (after TP / EP / PP sharding), the KV cache and recurrent state of the
 * replica's sequences at their final length, peak activations of a prefill, and the framework's workspace; whether
 * it fits, and the largest batch that would.
 * Activations: one layer's live tensors while prefilling, taken as 8·d values per token in flight (residual,
 * normed input, q/k/v/o and a gated MLP's intermediate ≈ 3.5·d) for at most PREFILL_CHUNK tokens at a time (the
 * frameworks' default token budget per step: vLLM max_num_batched_tokens, TensorRT-LLM max_num_tokens, 8192), plus
 * fp32 logits of one token per sequence — an approximation, stated as such in docs/estimate-json.md.
 */
import { weightCopies, type ModelInstance } from '../semantic/instances';
import { shardOf, sizedCost } from './workload';
import { activationBytes } from './peaks';
import type { Deployment, FrameworkProfile, Workload } from './types';

export interface MemoryPerGpu {
  readonly weights: number;
  readonly kv: number;
  readonly activations: number;
  readonly workspace: number;
  readonly total: number;
  readonly capacity: number;
  readonly fits: boolean;
  /** Largest total batch (all replicas) whose memory fits; 0 when not even the weights fit. */
  readonly maxBatch: number;
}

export const PREFILL_CHUNK = 8192;

interface PerSequence { weights: number; kvPerSeq: number; actPerSeq: number; actFixed: number }

function perSequence(model: ModelInstance, d: Deployment, w: Workload): PerSequence {
  const wb = d.weights.bitsPerWeight / 8;
  const L = Math.max(1, w.input + w.output);
  let weights = 0, kvPerSeq = 0;
  for (const b of model.blocks) {
    const c = sizedCost(b, L, 1, wb, d.kvDtype);
    const split = shardOf(b, d) * d.pp;
    // Shared weights (`layers N shared`) are resident once; every repetition keeps its own cache.
    weights += (weightCopies(b) / split) * c.weightBytes;
    kvPerSeq += (b.count / split) * c.cacheBytes;
  }
  const dm = model.dims.d_model ?? 0;
  const actFixed = (8 * Math.min(PREFILL_CHUNK, Math.max(1, w.input * w.batch)) * dm * activationBytes(d.activation)) / d.tp;
  return { weights, kvPerSeq, actPerSeq: (4 * (model.dims.vocab ?? 0)) / d.tp, actFixed };
}

export function memoryPerGpu(model: ModelInstance, d: Deployment, fw: FrameworkProfile, w: Workload): MemoryPerGpu {
  const dp = Math.max(1, Math.floor(d.gpus / (d.tp * d.pp)));
  const perReplica = Math.ceil(w.batch / dp);
  const s = perSequence(model, d, w);
  const capacity = d.hardware.memory;
  const workspace = fw.workspaceFraction * capacity;
  const kv = perReplica * s.kvPerSeq;
  const activations = s.actFixed + perReplica * s.actPerSeq;
  const total = s.weights + kv + activations + workspace;
  const room = capacity - workspace - s.weights - s.actFixed;
  const perSeq = s.kvPerSeq + s.actPerSeq;
  const maxBatch = room <= 0 ? 0 : perSeq > 0 ? Math.floor(room / perSeq) * dp : Number.MAX_SAFE_INTEGER;
  return { weights: s.weights, kv, activations, workspace, total, capacity, fits: total <= capacity, maxBatch };
}
