/**
 * Training FLOPs per token, per block kind: model FLOPs (forward + backward, what MFU counts — 6·N plus attention
 * for a dense Transformer, as PaLM's MFU, Chowdhery et al. 2022 App. B) and hardware FLOPs (what the GPUs execute,
 * HFU: + the forward passes recomputation repeats and kernels' own recompute). Forward FLOPs are each kind's own
 * `prefillFlops` (the causal average over `seq`); the per-kind multipliers are in kinds.ts.
 */
import type { BlockInstance, ModelInstance } from '../semantic/instances';
import { blockKind, isKindName, routedExperts } from '../kinds';
import { costBlock } from '../cost/engine';
import { TRAINING_KINDS } from './kinds';
import type { Recompute } from './types';

export interface KindFlops { readonly kind: string; readonly grouped: boolean; readonly forward: number; readonly model: number; readonly hardware: number }

export interface TrainingFlops {
  /** Per token of the whole model. */
  readonly model: number;
  readonly hardware: number;
  readonly byBlock: readonly KindFlops[];
}

function blockFlops(b: BlockInstance, seq: number, recompute: Recompute, capacity: number): KindFlops {
  if (!isKindName(b.kind)) throw new Error(`no training cost for block kind '${b.kind}'`);
  const t = TRAINING_KINDS[b.kind];
  const forward = b.count * costBlock(b, { seq, batch: 1 }).prefillFlops;
  // The part that grows with L (attention scores): forward at seq minus forward at one token.
  const context = blockKind(b.kind)?.context === 'attention' ? forward - b.count * costBlock(b, { seq: 1, batch: 1 }).prefillFlops : 0;
  const model = forward * (1 + t.backward);
  const kernel = t.contextRecompute * context + b.count * (t.kernelFlops?.(b.args, b.dims) ?? 0);
  const repeat = recompute === 'full' ? forward : recompute === 'selective' ? context : 0;
  // Capacity factor > 1 pads every expert's GEMM rows: executed, not model, FLOPs.
  const padded = routedExperts(b) ? (capacity - 1) * model : 0;
  return { kind: b.kind, grouped: routedExperts(b) !== undefined, forward, model, hardware: model + kernel + repeat + Math.max(0, padded) };
}

export function trainingFlops(model: ModelInstance, seq: number, recompute: Recompute, capacity = 1): TrainingFlops {
  const byBlock = model.blocks.map((b) => blockFlops(b, seq, recompute, capacity));
  return {
    model: byBlock.reduce((s, k) => s + k.model, 0),
    hardware: byBlock.reduce((s, k) => s + k.hardware, 0),
    byBlock,
  };
}
