/**
 * Communication of one training step, built on serving's collectives (serving/parallel.ts: ring all-reduce
 * 2(n−1)/n, all-to-all (n−1)/n, hops, the pipeline schedule), over NVLink inside a node and over the scale-out
 * network (cluster.ts) when a group spans nodes. Megatron orders ranks tp (innermost), cp, dp, pp, so a TP group
 * spans nodes only when tp > GPUs per node, a DP group when tp·cp·dp does, and pipeline neighbours whenever
 * tp·cp·dp ≥ GPUs per node.
 * - TP (Shoeybi et al. 2019; with sequence parallelism the all-gather + reduce-scatter pair moves what one
 *   all-reduce moves, Korthikanti et al. 2022): each kind's `tpAllReduces` per occurrence, in forward, backward
 *   and again in a full recompute; exposed (not overlapped).
 * - EP: dispatch and combine all-to-alls of top_k · capacity copies of each token, forward and backward.
 * - DP: gradient reduce-scatter + all-gather (ZeRO 0–2, = one all-reduce's volume) or, for ZeRO-3 / FSDP, also the
 *   parameter all-gathers of forward and backward: 1.5× (Rajbhandari et al. 2020 §7.2); overlapped with backward
 *   compute (PyTorch DDP buckets, Li et al. 2020; Megatron --overlap-grad-reduce) up to `dpOverlap` of it.
 */
import type { Hardware } from '../cost/hardware';
import { weightCopies, type ModelInstance } from '../semantic/instances';
import { blockKind, routedExperts } from '../kinds';
import { costBlock } from '../cost/engine';
import { shardOf } from '../serving/workload';
import { allReduceSeconds, allToAllSeconds, hopSeconds } from '../serving/parallel';
import type { GlobalConstants } from '../serving/types';
import type { TrainingConstants, TrainingSetup } from './types';

/** The device and constants a collective runs with: NVLink inside a node, the scale-out network across nodes. */
export function fabric(s: TrainingSetup, g: GlobalConstants, tc: TrainingConstants, span: number): { hw: Hardware; g: GlobalConstants } {
  if (span <= s.hardware.gpusPerNode) return { hw: s.hardware, g };
  const hw = { ...s.hardware, interconnect: { ...s.hardware.interconnect, bandwidth: s.networkBandwidth } };
  return { hw, g: { ...g, linkEfficiency: tc.networkEfficiency } };
}

const ACT = 2;

/** TP all-reduces of one micro-batch through one stage (forward, backward, and the recompute's forward). */
export function tpSeconds(model: ModelInstance, s: TrainingSetup, g: GlobalConstants, tc: TrainingConstants): number {
  const l = s.layout;
  if (l.tp <= 1) return 0;
  const count = model.blocks.reduce((n, b) => n + b.count * (blockKind(b.kind)?.tpAllReduces ?? 0), 0) / l.pp;
  const passes = s.recompute === 'full' ? 3 : 2;
  const bytes = ((s.microBatch * s.seq) / l.cp) * (model.dims.d_model ?? 0) * ACT;
  const f = fabric(s, g, tc, l.tp);
  return count * passes * allReduceSeconds(bytes, l.tp, f.hw, f.g);
}

/** MoE all-to-alls of one micro-batch through one stage: dispatch + combine, forward and backward (and recompute). */
export function epSeconds(model: ModelInstance, s: TrainingSetup, g: GlobalConstants, tc: TrainingConstants): number {
  const l = s.layout;
  if (l.ep <= 1) return 0;
  const moe = model.blocks.filter((b) => routedExperts(b));
  const layers = moe.reduce((n, b) => n + b.count, 0) / l.pp;
  const topK = Math.max(1, ...moe.map((b) => routedExperts(b)?.topK ?? 1));
  const bytes = ((s.microBatch * s.seq) / (l.tp * l.cp)) * (model.dims.d_model ?? 0) * ACT * topK * s.capacityFactor;
  const f = fabric(s, g, tc, l.ep);
  return layers * (s.recompute === 'full' ? 6 : 4) * allToAllSeconds(bytes, l.ep, f.hw, f.g);
}

/** One pipeline hop (a micro-batch's activations to the next stage). */
export function hop(model: ModelInstance, s: TrainingSetup, g: GlobalConstants, tc: TrainingConstants): number {
  const l = s.layout;
  if (l.pp <= 1) return 0;
  const bytes = ((s.microBatch * s.seq) / (l.tp * l.cp)) * (model.dims.d_model ?? 0) * ACT;
  const f = fabric(s, g, tc, l.tp * l.cp * l.dp + 1);
  return hopSeconds(bytes, f.hw, f.g);
}

/** Data-parallel gradient (and ZeRO-3 parameter) traffic of one step, before overlap. */
export function dpSeconds(model: ModelInstance, s: TrainingSetup, g: GlobalConstants, tc: TrainingConstants): number {
  const l = s.layout;
  let dense = 0, expert = 0;
  for (const b of model.blocks) {
    const p = (weightCopies(b) * costBlock(b, { seq: 1, batch: 1 }).params) / (shardOf(b, l) * l.pp);
    if (routedExperts(b) && l.ep > 1) expert += p; else dense += p;
  }
  const factor = s.zero === 3 || s.zero === 'fsdp' ? 1.5 : 1;
  const ranks = l.dp * l.cp, expertRanks = (l.tp * l.dp * l.cp) / l.ep;
  const f = fabric(s, g, tc, l.tp * ranks), fe = fabric(s, g, tc, l.tp * ranks);
  return factor * (allReduceSeconds(dense * 2, ranks, f.hw, f.g) + allReduceSeconds(expert * 2, expertRanks, fe.hw, fe.g));
}
