/**
 * The cost engine: block instances × context (L, B, dtype, hardware) → per-block and model totals,
 * roofline times and placement checks. Pure; every formula it adds lives in this file or in
 * formulas.ts / roofline.ts, with its source.
 */
import { weightCopies, type BlockInstance, type ModelInstance } from '../semantic/instances';
import { blockKind } from '../kinds';
import type { BlockCost, CostContext, Dims } from '../kinds/types';
import { peakFlops, type Hardware } from './hardware';
import type { RooflineTime } from './roofline';
import { decodeTime, prefillTime, scaleShared, sumCosts, type PhaseSetting } from './algebra';
import type { CostWarning } from './warnings';
import { checkPrecision } from './precision';

export interface CostOptions {
  readonly hardware: Hardware;
  /** Context length; default the model's `context`, else 4096. */
  readonly seq?: number;
  readonly batch?: number;
  /** Overrides the model's weight/activation dtype. */
  readonly dtype?: string;
}

export interface BlockReport {
  readonly instance: BlockInstance;
  /** Costs of one occurrence. */
  readonly one: BlockCost;
  /** Costs of all `count` occurrences (weights counted `paramCount` times when shared). */
  readonly all: BlockCost;
  readonly decode: RooflineTime;
  readonly prefill: RooflineTime;
}

export interface Totals {
  readonly params: { readonly total: number; readonly active: number };
  readonly flops: { readonly prefillPerToken: number; readonly decodePerToken: number; readonly trainingPerToken: number };
  readonly weightBytes: number;
  readonly hostWeightBytes: number;
  readonly cacheBytesPerSequence: number;
  readonly decodeBytesPerStep: number;
  readonly hostBytesPerStep: number;
  readonly expertBytesPerStep: number;
}

export interface HostLinkReport {
  readonly bytesPerStep: number;
  readonly seconds: number;
  /** Time the earlier layers compute while the lookup is prefetched. */
  readonly prefetchWindowSeconds: number;
  readonly hidden: boolean;
}

export interface ModelReport {
  readonly model: ModelInstance;
  readonly seq: number;
  readonly batch: number;
  readonly dtype: string;
  readonly hardware: Hardware;
  readonly blocks: readonly BlockReport[];
  readonly totals: Totals;
  /** Prefill of B sequences of L tokens, and one decode step of B sequences at position L. */
  readonly prefill: RooflineTime;
  readonly decode: RooflineTime;
  readonly hostLink?: HostLinkReport;
  /** Device memory needed: resident weights + B × cache. */
  readonly deviceBytes: number;
  readonly warnings: readonly CostWarning[];
  /** False when a figure (or a product of one with B or L) exceeds 2^53 or is not finite: see precision.ts. */
  readonly precise: boolean;
  /** Names of the figures that are not exact. */
  readonly imprecise: readonly string[];
}

export function costModel(model: ModelInstance, opts: CostOptions): ModelReport {
  const seq = opts.seq ?? model.dims.context ?? 4096;
  const batch = opts.batch ?? 1;
  const dtype = opts.dtype ?? model.dims.dtype;
  const ctx: CostContext = { seq, batch };
  const peak = peakFlops(opts.hardware, dtype);
  const bw = opts.hardware.bandwidth;
  const phase: PhaseSetting = { batch, seq, peak, bandwidth: bw };
  const blocks = model.blocks.map((b) => blockReport(b, ctx, opts.dtype, phase));
  const sum = sumCosts(blocks.map((b) => b.all));
  const totals = totalsOf(sum);
  const prefill = prefillTime(sum, phase);
  const decode = decodeTime(sum, phase);
  const hostLink = hostLinkReport(blocks, totals, decode, opts.hardware);
  const deviceBytes = totals.weightBytes + batch * totals.cacheBytesPerSequence;
  const precision = checkPrecision({ batch, seq, totals, deviceBytes });
  const report = {
    model, seq, batch, dtype, hardware: opts.hardware, blocks, totals, prefill, decode, hostLink, deviceBytes,
    warnings: [] as CostWarning[], precise: precision.precise, imprecise: precision.imprecise,
  };
  report.warnings.push(...placementWarnings(report), ...precision.warnings);
  return report;
}

export function costBlock(b: BlockInstance, ctx: CostContext, dtypeOverride?: string): BlockCost {
  const kind = blockKind(b.kind);
  if (!kind) throw new Error(`no cost model for block kind '${b.kind}'`);
  const dims: Dims = dtypeOverride ? { ...b.dims, dtype: dtypeOverride } : b.dims;
  return kind.cost(b.args, dims, ctx);
}

function blockReport(b: BlockInstance, ctx: CostContext, dtype: string | undefined, phase: PhaseSetting): BlockReport {
  const one = costBlock(b, ctx, dtype);
  const all = scaleShared(one, b.count, weightCopies(b));
  return { instance: b, one, all, decode: decodeTime(all, phase), prefill: prefillTime(all, phase) };
}

function totalsOf(sum: BlockCost): Totals {
  return {
    params: { total: sum.params, active: sum.active },
    // Training ≈ forward + backward (2× forward) = 3 × forward FLOPs per token (Kaplan et al. 2020, "6N").
    flops: { prefillPerToken: sum.prefillFlops, decodePerToken: sum.decodeFlops, trainingPerToken: 3 * sum.prefillFlops },
    weightBytes: sum.weightBytes,
    hostWeightBytes: sum.hostWeightBytes,
    cacheBytesPerSequence: sum.cacheBytes,
    decodeBytesPerStep: sum.decodeBytes,
    hostBytesPerStep: sum.hostDecodeBytes,
    expertBytesPerStep: sum.expertBytesDecode ?? 0,
  };
}

/**
 * Offloaded tables (Engram §2.5): lookups for layer i are prefetched over the host link while
 * layers 0…i−1 compute, so the window is the decode time of the layers before the first
 * offloaded block (layer index / layers in its group × step time).
 */
function hostLinkReport(blocks: readonly BlockReport[], totals: Totals, decode: RooflineTime, hw: Hardware): HostLinkReport | undefined {
  if (totals.hostBytesPerStep <= 0) return undefined;
  let fraction = 1;
  for (const b of blocks) {
    if (b.all.hostDecodeBytes <= 0) continue;
    const l = b.instance.layers;
    fraction = Math.min(fraction, l && l.of > 0 && l.indices.length ? l.indices[0] / l.of : 0);
  }
  const seconds = totals.hostBytesPerStep / hw.hostLink;
  const prefetchWindowSeconds = decode.seconds * fraction;
  return { bytesPerStep: totals.hostBytesPerStep, seconds, prefetchWindowSeconds, hidden: seconds <= prefetchWindowSeconds };
}

function placementWarnings(r: ModelReport): CostWarning[] {
  const out: CostWarning[] = [];
  const context = r.model.dims.context;
  if (context !== undefined && r.seq > context) out.push({ code: 'beyond-context', seq: r.seq, context });
  if (r.deviceBytes > r.hardware.memory) {
    out.push({
      code: 'exceeds-device-memory', weightBytes: r.totals.weightBytes, cacheBytes: r.batch * r.totals.cacheBytesPerSequence,
      batch: r.batch, seq: r.seq, device: r.hardware.name, memory: r.hardware.memory,
    });
  }
  if (r.hostLink && !r.hostLink.hidden) {
    out.push({ code: 'host-link-exposed', seconds: r.hostLink.seconds, windowSeconds: r.hostLink.prefetchWindowSeconds, link: r.hardware.hostLinkName });
  }
  return out;
}
