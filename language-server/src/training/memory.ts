/**
 * Device memory per GPU while training: weights, gradients and optimizer states by ZeRO stage, activations by
 * recompute policy, and a workspace reserve.
 * - Mixed-precision Adam (Rajbhandari et al. 2020 §3.1): 2 bytes of bf16 weights + 2 of bf16 gradients + K = 12 of
 *   fp32 master weights, momentum and variance per parameter; stage 1 shards the 12, stage 2 also the gradients,
 *   stage 3 / FSDP also the weights, over the data-parallel ranks (dp·cp; experts over their own tp·dp·cp/ep).
 * - Weights are split like serving's (workload.ts shardOf): experts over EP, the rest over TP, layers over PP.
 * - Activations: kinds.ts bytes per token, all divided by tp (sequence parallelism, Korthikanti et al. 2022 §4.2.2)
 *   and cp; 1F1B keeps min(m, p) micro-batches of a stage's L/p layers in flight on the first stage (= one
 *   micro-batch through all L layers when m ≥ p; interleaving adds (p−1)/(p·v), Korthikanti §4.2.3). Selective
 *   recompute drops the attention-score term (5·a·s per token per layer); full recompute keeps each layer's input
 *   (2·h bytes per token) plus one layer's activations while it is recomputed.
 */
import { weightCopies, type BlockInstance, type ModelInstance } from '../semantic/instances';
import { costBlock } from '../cost/engine';
import { isKindName, routedExperts } from '../kinds';
import { shardOf } from '../serving/workload';
import { TRAINING_KINDS } from './kinds';
import { layerCount } from './layout';
import type { Layout, TrainingSetup, ZeroStage } from './types';

/** Assumed reserve for the CUDA context, NCCL buffers and allocator fragmentation (no single published figure). */
export const WORKSPACE_FRACTION = 0.05;

export interface TrainingMemory {
  readonly weights: number;
  readonly gradients: number;
  readonly optimizer: number;
  readonly activations: number;
  readonly workspace: number;
  readonly total: number;
  readonly capacity: number;
  readonly fits: boolean;
  /** Parameters, gradients and optimizer states kept in host memory (Engram tables with placement = host). */
  readonly host: number;
}

const WEIGHT = 2, GRAD = 2, ADAM = 12;

interface Sharded { weights: number; gradients: number; optimizer: number }

export function stateBytes(params: number, zero: ZeroStage, n: number): Sharded {
  const full = zero === 3 || zero === 'fsdp';
  return {
    weights: (params * WEIGHT) / (full ? n : 1),
    gradients: (params * GRAD) / (full || zero === 2 ? n : 1),
    optimizer: (params * ADAM) / (zero === 0 ? 1 : n),
  };
}

function blockState(b: BlockInstance, l: Layout, zero: ZeroStage): Sharded & { host: number } {
  const shard = shardOf(b, l);
  const params = (weightCopies(b) * costBlock(b, { seq: 1, batch: 1 }).params) / (shard * l.pp);
  const zeroRanks = routedExperts(b) && l.ep > 1 ? (l.tp * l.dp * l.cp) / l.ep : l.dp * l.cp;
  const onHost = isKindName(b.kind) && TRAINING_KINDS[b.kind].hostOptimizer?.(b.args) === true;
  const s = stateBytes(params, zero, zeroRanks);
  return onHost ? { weights: 0, gradients: 0, optimizer: 0, host: s.weights + s.gradients + s.optimizer } : { ...s, host: 0 };
}

/** Activation bytes per token of the whole model (all layers), before any split over GPUs. */
export function activationPerToken(model: ModelInstance, seq: number, recompute: TrainingSetup['recompute']): number {
  let kept = 0;
  for (const b of model.blocks) {
    if (!isKindName(b.kind)) continue;
    const a = TRAINING_KINDS[b.kind].activation(b.args, b.dims, seq);
    kept += b.count * (a.linear + (recompute === 'none' ? a.quadratic : 0));
  }
  if (recompute !== 'full') return kept;
  const layers = Math.max(1, layerCount(model));
  return layers * 2 * (model.dims.d_model ?? 0) + kept / layers;
}

export function trainingMemory(model: ModelInstance, s: TrainingSetup): TrainingMemory {
  const l = s.layout;
  let weights = 0, gradients = 0, optimizer = 0, host = 0;
  for (const b of model.blocks) {
    const st = blockState(b, l, s.zero);
    weights += st.weights; gradients += st.gradients; optimizer += st.optimizer; host += st.host;
  }
  const m = s.globalBatch / (l.dp * s.microBatch);
  const inFlight = (Math.min(m, l.pp) / l.pp) * (l.vpp > 1 ? 1 + (l.pp - 1) / (l.pp * l.vpp) : 1);
  const tokens = s.microBatch * s.seq;
  const activations = (activationPerToken(model, s.seq, s.recompute) * tokens * inFlight) / (l.tp * l.cp);
  const capacity = s.hardware.memory;
  const workspace = WORKSPACE_FRACTION * capacity;
  const total = weights + gradients + optimizer + activations + workspace;
  return { weights, gradients, optimizer, activations, workspace, total, capacity, fits: total <= capacity, host };
}
