/**
 * archlens/dashboard: everything the cost dashboard webview renders for one model of a document, as plain
 * JSON (no class instances, no AST): breakdown by kind, cost vs context, roofline, comparison, ρ sweep.
 */
import type { DocState } from './docState';
import { costOptions } from './settings';
import { peakFlops } from '../cost/hardware';
import {
  allocationSweep, breakdownByKind, compareModels, contextSweep, rooflinePoints,
  type AllocationSweep, type Comparison, type ContextPoint, type KindBreakdown, type RooflineData,
} from '../cost/sweeps';

export interface DashboardData {
  readonly uri: string;
  readonly model: string;
  /** All models of the document (for the model picker and compare mode). */
  readonly models: readonly string[];
  readonly compare: readonly string[];
  readonly hardware: { readonly id: string; readonly name: string; readonly peak: number; readonly bandwidth: number; readonly memory: number };
  readonly seq: number;
  readonly batch: number;
  readonly dtype: string;
  readonly totals: {
    readonly paramsTotal: number; readonly paramsActive: number;
    readonly prefillFlopsPerToken: number; readonly decodeFlopsPerToken: number;
    readonly weightBytes: number; readonly hostWeightBytes: number; readonly cacheBytes: number;
    readonly decodeSeconds: number; readonly prefillSeconds: number; readonly deviceBytes: number;
  };
  readonly breakdown: readonly KindBreakdown[];
  readonly context: readonly ContextPoint[];
  readonly roofline: RooflineData;
  /** Present when `compare` names at least one other model: the chosen model first. */
  readonly comparison?: Comparison;
  /** Present for models with both MoE and Engram blocks. */
  readonly allocation?: AllocationSweep;
  readonly warnings: readonly string[];
}

export type DashboardResult = DashboardData | { readonly error: string; readonly models: readonly string[] };

export function handleDashboard(doc: DocState, modelName?: string, compare: readonly string[] = []): DashboardResult {
  const models = doc.analysis.models;
  const names = models.map((m) => m.name);
  const model = (modelName ? models.find((m) => m.name === modelName) : undefined) ?? models[0];
  if (!model) return { error: 'This file declares no model.', models: names };
  const opts = costOptions(doc.settings);
  const r = doc.report(model);
  const others = compare.filter((n) => n !== model.name).map((n) => models.find((m) => m.name === n)).filter((m) => m !== undefined);
  const t = r.totals;
  return {
    uri: doc.uri, model: model.name, models: names, compare: others.map((m) => m.name),
    hardware: { id: r.hardware.id, name: r.hardware.name, peak: peakFlops(r.hardware, r.dtype), bandwidth: r.hardware.bandwidth, memory: r.hardware.memory },
    seq: r.seq, batch: r.batch, dtype: r.dtype,
    totals: {
      paramsTotal: t.params.total, paramsActive: t.params.active, prefillFlopsPerToken: t.flops.prefillPerToken,
      decodeFlopsPerToken: t.flops.decodePerToken, weightBytes: t.weightBytes, hostWeightBytes: t.hostWeightBytes,
      cacheBytes: t.cacheBytesPerSequence, decodeSeconds: r.decode.seconds, prefillSeconds: r.prefill.seconds, deviceBytes: r.deviceBytes,
    },
    breakdown: breakdownByKind(r),
    context: contextSweep(model, { ...opts, seq: undefined }),
    roofline: rooflinePoints(r),
    comparison: others.length ? compareModels([r, ...others.map((m) => doc.report(m))]) : undefined,
    allocation: allocationSweep(model, opts),
    warnings: r.warnings,
  };
}
