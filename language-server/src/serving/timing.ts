/**
 * Phase times of a prepared workload: per-block roofline (each block bounded by its own compute or memory time,
 * then summed — not one max over the whole model), achievable rather than datasheet rates, collectives, the
 * framework's fixed costs, and the pipeline schedule.
 */
import { DEFAULT_MAMF, type Hardware } from '../cost/hardware';
import { sumMax } from './segments';
import { activationBytes, computePeak } from './peaks';
import { allReduceSeconds, allToAllSeconds, hopSeconds, pipelineSeconds } from './parallel';
import type { PreparedWorkload } from './workload';
import type { Calibration, Deployment, FrameworkProfile, GlobalConstants } from './types';

export interface KindTime { seconds: number; computeBound: number }

/** A phase's time and where it goes; `byKind` and the parts are per GPU, before the pipeline schedule. */
export interface PhaseTime {
  readonly seconds: number;
  readonly compute: number;
  readonly memory: number;
  readonly communication: number;
  readonly overhead: number;
  readonly byKind: Readonly<Record<string, KindTime>>;
}

export const ZERO_PHASE: PhaseTime = { seconds: 0, compute: 0, memory: 0, communication: 0, overhead: 0, byKind: {} };

/**
 * GEMM efficiency with `tokens` rows in flight: e·M/(M + M½) on devices with matrix engines, whose tiles are
 * underfilled by skinny GEMMs (tile quantisation; NVIDIA "Matrix Multiplication Background" guide); devices whose
 * bf16 rate is their fp32 rate (no matrix engine, e.g. Apple GPUs) have no such penalty.
 */
export function gemmEfficiency(g: GlobalConstants, fw: FrameworkProfile, tokens: number, hw: Hardware): number {
  // The device's measured best matmul (MAMF), times how much of it serving kernels reach (fitted, relative to H100).
  const e = Math.min(1, g.gemmEfficiency * fw.gemmScale * ((hw.mamf ?? DEFAULT_MAMF) / DEFAULT_MAMF));
  const tiled = hw.fp32 === undefined || hw.bf16 > hw.fp32;
  return tiled && g.gemmHalfTokens > 0 ? e * tokens / (tokens + g.gemmHalfTokens) : e;
}

interface Rates { kc: number; km: number; kk: number; kh: number }

function rates(d: Deployment, cal: Calibration, fw: FrameworkProfile, tokens: number): Rates {
  const hw: Hardware = d.hardware;
  const peak = computePeak(hw, d.weights, d.activation);
  const bw = hw.bandwidth * Math.min(1, cal.global.bandwidthEfficiency * fw.bandwidthScale);
  const kvBw = hw.bandwidth * Math.min(1, cal.global.bandwidthEfficiency * fw.bandwidthScale * cal.global.cacheBandwidthEfficiency);
  return { kc: 1 / (peak * gemmEfficiency(cal.global, fw, tokens, hw)), km: 1 / bw, kk: 1 / kvBw, kh: hw.hostLink > 0 ? 1 / hw.hostLink : 0 };
}

/** Compute-time factor of a block: routed experts (BlockKind.experts) run as grouped GEMMs. */
function kindFactor(grouped: boolean, g: GlobalConstants): number {
  return grouped ? 1 / Math.min(1, g.groupedGemmEfficiency) : 1;
}

function add(by: Record<string, KindTime>, kind: string, seconds: number, computeBound: number): void {
  const e = (by[kind] ??= { seconds: 0, computeBound: 0 });
  e.seconds += seconds;
  e.computeBound += computeBound;
}

/** Collectives of one micro-step moving `tokens` activations: TP all-reduces and MoE all-to-alls (dispatch + combine). */
function collectives(p: PreparedWorkload, d: Deployment, g: GlobalConstants, tokens: number): number {
  const bytes = tokens * p.dModel * activationBytes(d.activation);
  const ar = p.allReduces * allReduceSeconds(bytes, d.tp, d.hardware, g);
  const a2a = p.moeLayers * 2 * allToAllSeconds(bytes * Math.max(1, p.moeTopK), d.ep, d.hardware, g);
  return ar + a2a;
}

function finish(p: PreparedWorkload, d: Deployment, g: GlobalConstants, stage: PhaseTime, tokens: number, steps: number): PhaseTime {
  if (d.pp <= 1) return stage;
  const hop = steps * hopSeconds(tokens * p.dModel * activationBytes(d.activation), d.hardware, g);
  return { ...stage, seconds: pipelineSeconds(stage.seconds, hop, p.microBatches, d.pp) };
}

/** Prefill of the micro-batch's prompts (all micro-batches through the pipeline). */
export function prefillTime(p: PreparedWorkload, d: Deployment, cal: Calibration, fw: FrameworkProfile, input: number): PhaseTime {
  if (input <= 0) return ZERO_PHASE;
  const tokens = p.microBatch * input;
  const r = rates(d, cal, fw, tokens);
  const byKind: Record<string, KindTime> = {};
  let compute = 0, memory = 0;
  for (const t of p.prefill) {
    const c = t.flops * r.kc * kindFactor(t.grouped, cal.global), m = t.bytes * r.km + t.cacheBytes * r.km;
    add(byKind, t.kind, Math.max(c, m), c >= m ? c : 0);
    if (c >= m) compute += c; else memory += m;
  }
  const communication = collectives(p, d, cal.global, tokens);
  const overhead = fw.stepOverhead + fw.blockOverhead * p.occurrences;
  const stage = { seconds: compute + memory + communication + overhead, compute, memory, communication, overhead, byKind };
  return finish(p, d, cal.global, stage, tokens, 1);
}

/** Every decode step from position `from` to `to`, summed exactly (affine pieces), with the pipeline schedule. */
export function decodeTime(p: PreparedWorkload, d: Deployment, cal: Calibration, fw: FrameworkProfile): PhaseTime {
  const steps = p.decode.length ? p.to - p.from + 1 : 0;
  if (steps <= 0) return ZERO_PHASE;
  const r = rates(d, cal, fw, p.microBatch);
  const byKind: Record<string, KindTime> = {};
  let compute = 0, memory = 0;
  for (const t of p.decode) {
    let kindTotal = 0, kindCompute = 0;
    const kc = r.kc * kindFactor(t.grouped, cal.global);
    for (const piece of t.pieces) {
      const s = sumMax(piece, kc, r.km, r.kk);
      kindTotal += s.total; kindCompute += s.compute;
      compute += s.compute; memory += s.memory;
    }
    const host = steps * t.hostBytes * r.kh;
    memory += host;
    add(byKind, t.kind, kindTotal + host, kindCompute);
  }
  const communication = steps * collectives(p, d, cal.global, p.microBatch);
  const overhead = steps * (fw.stepOverhead + fw.blockOverhead * p.occurrences);
  const stage = { seconds: compute + memory + communication + overhead, compute, memory, communication, overhead, byKind };
  return finish(p, d, cal.global, stage, p.microBatch, steps);
}
