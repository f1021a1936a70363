/**
 * Sweeps over the cost engine for the dashboard: breakdown by block kind, cost vs context length,
 * roofline points, model comparison and the MoE ↔ Engram sparsity allocation (ρ) sweep.
 * Pure (no editor APIs); every number comes from `costModel` with modified options or arguments.
 */
import type { ModelInstance } from '../semantic/instances';
import { costBlock, costModel, type BlockReport, type CostOptions, type ModelReport } from './engine';
import { sumCosts } from './algebra';
import { peakFlops } from './hardware';
import type { BlockInstance } from '../semantic/instances';
import type { ContextClass, CostContext } from '../kinds/types';
import { classOf } from '../kinds';

// ─── Breakdown by kind ───────────────────────────────────────────────────────────────────────────────
export interface KindBreakdown {
  readonly kind: string;
  readonly paramsTotal: number;
  readonly paramsActive: number;
  /** FLOPs per token (prefill average) and per decode step of one sequence at `seq`. */
  readonly prefillFlops: number;
  readonly decodeFlops: number;
  readonly cacheBytes: number;
  /** Block occurrences of this kind. */
  readonly count: number;
}

export function breakdownByKind(report: ModelReport): KindBreakdown[] {
  return [...groupBlocks(report, (b) => b.instance.kind)].map(([kind, blocks]) => {
    const c = sumCosts(blocks.map((b) => b.all));
    return {
      kind, paramsTotal: c.params, paramsActive: c.active, prefillFlops: c.prefillFlops, decodeFlops: c.decodeFlops,
      cacheBytes: c.cacheBytes, count: blocks.reduce((n, b) => n + b.instance.count, 0),
    };
  });
}

/** Block reports grouped by a key, groups in order of first appearance. */
function groupBlocks<K>(report: ModelReport, key: (b: BlockReport) => K): Map<K, BlockReport[]> {
  const out = new Map<K, BlockReport[]>();
  for (const b of report.blocks) {
    const k = key(b);
    out.set(k, [...(out.get(k) ?? []), b]);
  }
  return out;
}

// ─── Cost vs context length ──────────────────────────────────────────────────────────────────────────
export type { ContextClass };

/** The context class of one use (kinds/index.ts classOf: its arguments may choose it); position-free for an unknown kind. */
export function contextClass(b: BlockInstance): ContextClass {
  return classOf(b.kind, b.args).context;
}

export interface ContextSlice {
  /** FLOPs per token averaged over a prefill of L tokens; a whole prefill is L × this. */
  readonly prefillFlopsPerToken: number;
  readonly decodeFlopsPerToken: number;
  /** KV cache / recurrent state per sequence at L, bytes. */
  readonly cacheBytes: number;
}

export interface ContextPoint extends ContextSlice {
  readonly seq: number;
  /** Roofline time of one decode step (batch B) at position L, seconds. */
  readonly decodeSeconds: number;
  readonly prefillSeconds: number;
  readonly byClass: Readonly<Record<ContextClass, ContextSlice>>;
  readonly byKind: Readonly<Record<string, ContextSlice>>;
}

/** 1Ki, 2Ki, … 1Mi tokens (log-spaced by powers of two). */
export const DEFAULT_LENGTHS: readonly number[] = Array.from({ length: 11 }, (_, i) => 1024 * 2 ** i);

function slice(blocks: readonly BlockReport[] = []): ContextSlice {
  const c = sumCosts(blocks.map((b) => b.all));
  return { prefillFlopsPerToken: c.prefillFlops, decodeFlopsPerToken: c.decodeFlops, cacheBytes: c.cacheBytes };
}

const CLASSES: readonly ContextClass[] = ['attention', 'recurrent', 'position-free'];

export function contextPoint(r: ModelReport): ContextPoint {
  const classes = groupBlocks(r, (b) => contextClass(b.instance));
  const byClass = Object.fromEntries(CLASSES.map((k) => [k, slice(classes.get(k))])) as Record<ContextClass, ContextSlice>;
  const byKind = Object.fromEntries([...groupBlocks(r, (b) => b.instance.kind)].map(([k, bs]) => [k, slice(bs)]));
  const t = r.totals;
  return {
    seq: r.seq, prefillFlopsPerToken: t.flops.prefillPerToken, decodeFlopsPerToken: t.flops.decodePerToken,
    cacheBytes: t.cacheBytesPerSequence, decodeSeconds: r.decode.seconds, prefillSeconds: r.prefill.seconds, byClass, byKind,
  };
}

export function contextSweep(model: ModelInstance, opts: CostOptions, lengths: readonly number[] = DEFAULT_LENGTHS): ContextPoint[] {
  return lengths.map((seq) => contextPoint(costModel(model, { ...opts, seq })));
}

// ─── Roofline ────────────────────────────────────────────────────────────────────────────────────────
export interface RooflinePoint {
  readonly label: string;
  readonly kind: string;
  readonly phase: 'prefill' | 'decode';
  /** FLOP per byte of device-memory traffic. */
  readonly intensity: number;
  /** min(peak, intensity × bandwidth), FLOP/s. */
  readonly attainable: number;
  readonly bound: 'compute' | 'memory';
  readonly seconds: number;
}

export interface RooflineData {
  readonly hardware: string;
  readonly peak: number;
  readonly bandwidth: number;
  /** Ridge point peak / bandwidth, FLOP/byte: left of it a phase is memory-bound. */
  readonly ridge: number;
  readonly points: readonly RooflinePoint[];
  /** The whole model's prefill and decode. */
  readonly model: readonly RooflinePoint[];
}

export function rooflinePoints(report: ModelReport): RooflineData {
  const peak = peakFlops(report.hardware, report.dtype);
  const bw = report.hardware.bandwidth;
  const attainable = (i: number): number => (Number.isFinite(i) ? Math.min(peak, i * bw) : peak);
  const points: RooflinePoint[] = [];
  for (const b of report.blocks) {
    const label = b.instance.path.join(' › ') || b.instance.kind;
    for (const phase of ['prefill', 'decode'] as const) {
      const t = b[phase];
      if (t.seconds <= 0 || !(t.intensity > 0) || !Number.isFinite(t.intensity)) continue; // nothing to place on log axes
      points.push({ label, kind: b.instance.kind, phase, intensity: t.intensity, attainable: attainable(t.intensity), bound: t.bound, seconds: t.seconds });
    }
  }
  const model = (['prefill', 'decode'] as const).map((phase): RooflinePoint => {
    const t = report[phase];
    return { label: report.model.name, kind: 'model', phase, intensity: t.intensity, attainable: attainable(t.intensity), bound: t.bound, seconds: t.seconds };
  });
  return { hardware: report.hardware.name, peak, bandwidth: bw, ridge: peak / bw, points, model };
}

// ─── Comparison ──────────────────────────────────────────────────────────────────────────────────────
export interface CompareRow {
  readonly model: string;
  readonly paramsTotal: number;
  readonly paramsActive: number;
  readonly prefillFlopsPerToken: number;
  readonly decodeFlopsPerToken: number;
  readonly weightBytes: number;
  readonly hostWeightBytes: number;
  readonly cacheBytes: number;
  readonly decodeSeconds: number;
  readonly prefillSeconds: number;
  readonly deviceBytes: number;
  readonly decodeBound: 'compute' | 'memory';
}

export type CompareMetric = Exclude<keyof CompareRow, 'model' | 'decodeBound'>;

export const COMPARE_METRICS: readonly CompareMetric[] = [
  'paramsTotal', 'paramsActive', 'prefillFlopsPerToken', 'decodeFlopsPerToken', 'weightBytes', 'hostWeightBytes',
  'cacheBytes', 'decodeSeconds', 'prefillSeconds', 'deviceBytes',
];

export interface Comparison {
  readonly rows: readonly CompareRow[];
  /** rows[i][metric] / rows[0][metric] (1 where the first model's value is 0). */
  readonly relative: readonly Readonly<Record<CompareMetric, number>>[];
}

export function compareModels(reports: readonly ModelReport[]): Comparison {
  const rows = reports.map((r): CompareRow => ({
    model: r.model.name, paramsTotal: r.totals.params.total, paramsActive: r.totals.params.active,
    prefillFlopsPerToken: r.totals.flops.prefillPerToken, decodeFlopsPerToken: r.totals.flops.decodePerToken,
    weightBytes: r.totals.weightBytes, hostWeightBytes: r.totals.hostWeightBytes, cacheBytes: r.totals.cacheBytesPerSequence,
    decodeSeconds: r.decode.seconds, prefillSeconds: r.prefill.seconds, deviceBytes: r.deviceBytes, decodeBound: r.decode.bound,
  }));
  const base = rows[0];
  const relative = rows.map((row) => Object.fromEntries(COMPARE_METRICS.map((m) => [m, base && base[m] !== 0 ? row[m] / base[m] : 1])) as Record<CompareMetric, number>);
  return { rows, relative };
}


// ─── MoE ↔ Engram sparsity allocation (Engram paper §3, Eq. 7) ─────────────────────────────────────
/** Shown with every allocation sweep: the sweep is about cost, never about quality. */
export const LOSS_NOT_COMPUTABLE =
  'Validation loss (the paper\'s U-curve, Fig. 3) cannot be computed here: it needs training runs. Only FLOPs, bytes and memory placement change with ρ in this sweep.';

/** Parameter split as the paper defines it: P_tot and P_act exclude the vocabulary embedding and the LM head. */
export interface Allocation {
  readonly pTot: number;
  readonly pAct: number;
  /** P_sparse = P_tot − P_act. */
  readonly pSparse: number;
  /** Inactive routed-expert parameters ((E − k) experts per layer). */
  readonly moeSparse: number;
  /** Engram table parameters (never active: only gathered rows are used). */
  readonly engramSparse: number;
  /** ρ = moeSparse / (moeSparse + engramSparse); 1 = pure MoE. */
  readonly rho: number;
}

const EXCLUDED = new Set(['embedding', 'lm_head']);

/** The model's own ρ, or undefined unless it has both routed experts and Engram tables. */
export function currentAllocation(report: ModelReport): Allocation | undefined {
  let pTot = 0, pAct = 0, moe = 0, eng = 0, hasMoe = false, hasEngram = false;
  for (const b of report.blocks) {
    if (EXCLUDED.has(b.instance.kind)) continue;
    pTot += b.all.params;
    pAct += b.all.active;
    if (b.instance.kind === 'moe') { moe += b.all.params - b.all.active; hasMoe = true; }
    if (b.instance.kind === 'engram') { eng += b.all.params - b.all.active; hasEngram = true; }
  }
  if (!hasMoe || !hasEngram || moe + eng <= 0) return undefined;
  return { pTot, pAct, pSparse: pTot - pAct, moeSparse: moe, engramSparse: eng, rho: moe / (moe + eng) };
}

export interface AllocationPoint {
  /** Requested ρ, and the ρ reached after rounding experts and slots to integers. */
  readonly rho: number;
  readonly rhoActual: number;
  /** Routed experts per MoE block instance and slots per Engram block instance, in model order. */
  readonly experts: readonly number[];
  readonly slots: readonly number[];
  readonly pTot: number;
  readonly pAct: number;
  readonly prefillFlopsPerToken: number;
  readonly decodeFlopsPerToken: number;
  /** Device-memory bytes moved per decode step (batch B), and bytes over the host link. */
  readonly decodeBytesPerStep: number;
  readonly hostBytesPerStep: number;
  /** Weights resident in device memory and in host memory (Engram tables with placement host). */
  readonly deviceWeightBytes: number;
  readonly hostWeightBytes: number;
  /** Engram table bytes wherever they live (what could be offloaded to host memory). */
  readonly engramTableBytes: number;
  readonly deviceBytes: number;
  readonly decodeSeconds: number;
}

export interface AllocationSweep {
  readonly base: Allocation;
  readonly points: readonly AllocationPoint[];
  readonly lossComputable: false;
  readonly note: string;
}

export interface AllocationOptions {
  /** Override every Engram block's table placement (default: as written in the model). */
  readonly placement?: 'device' | 'host';
}

/** ρ from 40 % to 100 % in steps of 5 % (the paper's Fig. 3 range). */
export const DEFAULT_RHOS: readonly number[] = Array.from({ length: 13 }, (_, i) => Math.round((0.4 + i * 0.05) * 100) / 100);

/** Sparse parameters added by one more unit of `arg` (one expert, one slot) across all occurrences of `b`. */
function sparseUnit(b: BlockInstance, arg: 'experts' | 'slots', ctx: CostContext): number {
  const n = Number(b.args[arg]);
  const a = costBlock(b, ctx);
  const c = costBlock({ ...b, args: { ...b.args, [arg]: n + 1 } }, ctx);
  return ((c.params - c.active) - (a.params - a.active)) * b.count;
}

/** Rewrites the MoE expert counts and Engram slot counts so the sparse budget splits ρ : 1 − ρ. */
function reallocate(model: ModelInstance, base: Allocation, rho: number, ctx: CostContext, opts: AllocationOptions): ModelInstance {
  const budget = base.moeSparse + base.engramSparse;
  const moeBlocks = model.blocks.filter((b) => b.kind === 'moe');
  const engBlocks = model.blocks.filter((b) => b.kind === 'engram');
  const share = (b: BlockInstance, blocks: BlockInstance[], total: number): number => {
    const mine = (() => { const c = costBlock(b, ctx); return (c.params - c.active) * b.count; })();
    return total > 0 ? mine / total : 1 / blocks.length;
  };
  const blocks = model.blocks.map((b): BlockInstance => {
    if (b.kind === 'moe') {
      const k = Number(b.args.top_k);
      const extra = Math.max(0, Math.round((rho * budget * share(b, moeBlocks, base.moeSparse)) / sparseUnit(b, 'experts', ctx)));
      return { ...b, args: { ...b.args, experts: k + extra } };
    }
    if (b.kind === 'engram') {
      const slots = Math.max(0, Math.round(((1 - rho) * budget * share(b, engBlocks, base.engramSparse)) / sparseUnit(b, 'slots', ctx)));
      return { ...b, args: { ...b.args, slots, ...(opts.placement ? { placement: opts.placement } : {}) } };
    }
    return b;
  });
  return { ...model, blocks };
}

function allocationPoint(rho: number, r: ModelReport): AllocationPoint {
  const a = currentAllocation(r);
  const engram = r.blocks.filter((b) => b.instance.kind === 'engram');
  const tableBytes = engram.reduce((s, b) => s + (b.all.params > 0 ? (b.all.weightBytes + b.all.hostWeightBytes) * (b.all.params - b.all.active) / b.all.params : 0), 0);
  const t = r.totals;
  return {
    rho, rhoActual: a?.rho ?? 1,
    experts: r.blocks.filter((b) => b.instance.kind === 'moe').map((b) => Number(b.instance.args.experts)),
    slots: engram.map((b) => Number(b.instance.args.slots)),
    pTot: a?.pTot ?? 0, pAct: a?.pAct ?? 0,
    prefillFlopsPerToken: t.flops.prefillPerToken, decodeFlopsPerToken: t.flops.decodePerToken,
    decodeBytesPerStep: t.decodeBytesPerStep, hostBytesPerStep: t.hostBytesPerStep,
    deviceWeightBytes: t.weightBytes, hostWeightBytes: t.hostWeightBytes, engramTableBytes: tableBytes,
    deviceBytes: r.deviceBytes, decodeSeconds: r.decode.seconds,
  };
}

/**
 * Varies ρ at (nearly) fixed P_tot and P_act by changing only the number of routed experts and the number of
 * Engram slots (the paper's protocol, §3), re-costing the model each time. P_act moves only by the router's
 * d + 1 parameters per added expert. Undefined for models without both MoE and Engram blocks.
 */
export function allocationSweep(model: ModelInstance, opts: CostOptions, rhos: readonly number[] = DEFAULT_RHOS, aopts: AllocationOptions = {}): AllocationSweep | undefined {
  const report = costModel(model, opts);
  const base = currentAllocation(report);
  if (!base) return undefined;
  const ctx: CostContext = { seq: report.seq, batch: report.batch };
  const points = rhos.map((rho) => allocationPoint(rho, costModel(reallocate(model, base, Math.min(1, Math.max(0, rho)), ctx, aopts), opts)));
  return { base, points, lossComputable: false, note: LOSS_NOT_COMPUTABLE };
}
