/**
 * The per-GPU work of a deployment, before any efficiency is applied: for each block, prefill FLOPs and bytes,
 * and decode FLOPs and bytes as affine pieces over the growing context (segments.ts). Weight formats are applied
 * by interpolating the kinds' own costs between 1- and 2-byte weights (every byte figure is affine in the weight
 * width), so any kind's cost model serves any format.
 */
import type { BlockInstance, ModelInstance } from '../semantic/instances';
import type { BlockCost, Dims } from '../kinds/types';
import { blockKind, routedExperts } from '../kinds';
import { affinePieces, type AffinePiece, type StepCost } from './segments';
import type { Deployment, Workload } from './types';
import { frameworkSetup } from './calibration';

/** FLOPs, weight bytes and cache bytes of one block (all occurrences) per GPU in one phase. */
/** `grouped`: the block has routed experts (BlockKind.experts), whose GEMMs run grouped. */
export interface PhaseTerms { readonly kind: string; readonly grouped: boolean; readonly flops: number; readonly bytes: number; readonly cacheBytes: number }

export interface DecodeTerms { readonly kind: string; readonly grouped: boolean; readonly pieces: readonly AffinePiece[]; readonly hostBytes: number }

export interface PreparedWorkload {
  readonly prefill: readonly PhaseTerms[];
  /** Decode steps at positions `from`…`to` (inclusive); empty when no decode step runs. */
  readonly decode: readonly DecodeTerms[];
  readonly from: number;
  readonly to: number;
  /** Sequences per micro-batch of one replica (batch / dp / micro-batches). */
  readonly microBatch: number;
  readonly microBatches: number;
  /** Block occurrences per GPU (launches), TP all-reduces per micro-step, MoE layers (all-to-alls) per GPU. */
  readonly occurrences: number;
  readonly allReduces: number;
  readonly moeLayers: number;
  readonly moeTopK: number;
  readonly dModel: number;
}

type Sized = Pick<BlockCost, 'prefillFlops' | 'decodeFlops' | 'decodeBytes' | 'weightBytes' | 'cacheBytes' | 'hostDecodeBytes' | 'hostWeightBytes'> & {
  /** The part of decodeBytes that scales with the weight width: weights (and experts) streamed per step. */
  readonly weightTraffic: number;
};

/** A block's cost at (seq, batch) with weights of `w` bytes each (interpolated) and the deployment's KV dtype. */
export function sizedCost(b: BlockInstance, seq: number, batch: number, w: number, kvDtype: string): Sized {
  const kind = blockKind(b.kind);
  if (!kind) throw new Error(`no cost model for block kind '${b.kind}'`);
  const at = (dtype: string): BlockCost => kind.cost(b.args, { ...b.dims, dtype, kv_dtype: kvDtype } as Dims, { seq: Math.max(1, seq), batch });
  const one = at('fp8'), two = at('bf16');
  const mix = (k: Exclude<keyof Sized, 'weightTraffic'>): number => one[k] + (w - 1) * (two[k] - one[k]);
  return {
    prefillFlops: one.prefillFlops, decodeFlops: one.decodeFlops, decodeBytes: mix('decodeBytes'), weightBytes: mix('weightBytes'),
    weightTraffic: w * (two.decodeBytes - one.decodeBytes),
    cacheBytes: mix('cacheBytes'), hostDecodeBytes: mix('hostDecodeBytes'), hostWeightBytes: mix('hostWeightBytes'),
  };
}

/** How a block's work is split over the GPUs of one pipeline stage: experts over EP (or TP), the rest over TP. */
export function shardOf(b: BlockInstance, d: Pick<Deployment, 'tp' | 'ep'>): number {
  return routedExperts(b) && d.ep > 1 ? d.ep : d.tp;
}

export function prepare(model: ModelInstance, d: Deployment, w: Workload): PreparedWorkload {
  const dp = Math.max(1, Math.floor(d.gpus / (d.tp * d.pp)));
  const perReplica = Math.max(1, Math.ceil(w.batch / dp));
  const microBatches = Math.min(d.pp, perReplica);
  const mb = Math.ceil(perReplica / microBatches);
  const wb = d.weights.bitsPerWeight / 8;
  const stageShare = 1 / d.pp;
  const prefill = model.blocks.map((b) => prefillTerms(b, d, w, mb, wb, stageShare));
  const from = w.input > 0 ? w.input : 0;
  const to = w.input > 0 ? w.input + w.output - 2 : w.output - 1;
  const reads = kvReadFactor(d);
  const decode = to >= from ? model.blocks.map((b) => decodeTerms(b, d, mb, wb, stageShare, from, to, reads(b))) : [];
  return {
    prefill, decode, from, to, microBatch: mb, microBatches,
    occurrences: model.blocks.reduce((s, b) => s + b.count, 0) * stageShare,
    allReduces: model.blocks.reduce((s, b) => s + b.count * (blockKind(b.kind)?.tpAllReduces ?? 0), 0) * stageShare,
    moeLayers: model.blocks.filter((b) => routedExperts(b)).reduce((s, b) => s + b.count, 0) * stageShare,
    moeTopK: Math.max(0, ...model.blocks.map((b) => routedExperts(b)?.topK ?? 0)),
    dModel: model.dims.d_model ?? 0,
  };
}

function prefillTerms(b: BlockInstance, d: Deployment, w: Workload, mb: number, wb: number, share: number): PhaseTerms {
  const c = sizedCost(b, w.input, mb, wb, d.kvDtype);
  const n = (b.count * share) / shardOf(b, d);
  // Prefill reads the weights once and writes the micro-batch's caches (cost/algebra.ts prefillTime).
  return { kind: b.kind, grouped: routedExperts(b) !== undefined, flops: n * mb * w.input * c.prefillFlops, bytes: n * c.weightBytes, cacheBytes: n * mb * c.cacheBytes };
}

/**
 * Times each block's decode cache traffic is loaded: 1, or the GQA group (BlockKind.kvGroup) under a framework
 * whose decode-attention kernel loads a KV head once per query head (FrameworkProfile.sharedKvReads = false).
 */
function kvReadFactor(d: Deployment): (b: BlockInstance) => number {
  if (d.framework === 'ideal' || frameworkSetup(d.framework).fw.sharedKvReads !== false) return () => 1;
  return (b) => Math.max(1, blockKind(b.kind)?.kvGroup?.(b.args) ?? 1);
}

function decodeTerms(b: BlockInstance, d: Deployment, mb: number, wb: number, share: number, from: number, to: number, reads: number): DecodeTerms {
  const n = (b.count * share) / shardOf(b, d);
  const at = (L: number): StepCost => {
    const c = sizedCost(b, L, mb, wb, d.kvDtype);
    return { flops: n * mb * c.decodeFlops, bytes: n * c.weightTraffic, cacheBytes: n * reads * (c.decodeBytes - c.weightTraffic) };
  };
  const host = sizedCost(b, from, mb, wb, d.kvDtype).hostDecodeBytes * b.count * share;
  return { kind: b.kind, grouped: routedExperts(b) !== undefined, pieces: affinePieces(at, from, to), hostBytes: host };
}
