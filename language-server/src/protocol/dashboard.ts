/** The dashboard's data: what archlens/dashboard answers and the dashboard webview renders (plain JSON). */
import type { AllocationSweep, Comparison, ContextPoint, KindBreakdown, RooflineData } from '../cost/sweeps';
export type { ContextClass } from '../kinds/types';

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
