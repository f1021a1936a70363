/**
 * Collectives and pipeline hops over the node's GPU interconnect.
 * Ring all-reduce of `bytes` over n GPUs moves 2(n−1)/n · bytes through each GPU's link (Patarasuk & Yuan 2009,
 * "Bandwidth optimal all-reduce algorithms"; NCCL's bus-bandwidth convention); an all-to-all moves (n−1)/n of
 * each GPU's bytes; a pipeline hop sends one activation tensor to the next stage. Each also pays a fixed latency.
 */
import type { Hardware } from '../cost/hardware';
import type { GlobalConstants } from './types';

/** Per-direction GPU-to-GPU bandwidth, bytes/s: the catalogue's interconnect, else the host link (PCIe). */
export function linkBandwidth(hw: Hardware): number {
  return hw.interconnect.bandwidth > 0 ? hw.interconnect.bandwidth : hw.hostLink;
}

export function allReduceSeconds(bytes: number, n: number, hw: Hardware, g: GlobalConstants): number {
  if (n <= 1 || bytes <= 0) return 0;
  return g.collectiveLatency + (2 * (n - 1) / n) * bytes / (linkBandwidth(hw) * g.linkEfficiency);
}

export function allToAllSeconds(bytes: number, n: number, hw: Hardware, g: GlobalConstants): number {
  if (n <= 1 || bytes <= 0) return 0;
  return g.collectiveLatency + ((n - 1) / n) * bytes / (linkBandwidth(hw) * g.linkEfficiency);
}

export function hopSeconds(bytes: number, hw: Hardware, g: GlobalConstants): number {
  return g.collectiveLatency + bytes / (linkBandwidth(hw) * g.linkEfficiency);
}

/**
 * GPipe-style schedule (Huang et al. 2019): m micro-batches through p stages take (m + p − 1) stage times
 * plus (p − 1) hops per micro-batch on the critical path; p = 1 gives one stage time.
 */
export function pipelineSeconds(stage: number, hop: number, m: number, p: number): number {
  return (m + p - 1) * stage + (p - 1) * hop;
}
