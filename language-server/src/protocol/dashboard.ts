/** The dashboard's data: what archlens/dashboard answers and the dashboard webview renders (plain JSON). */
import type { AllocationSweep, Comparison, ContextPoint, KindBreakdown, RooflineData } from '../cost/sweeps';
import type { ParetoPoint } from '../serving/sweep';
export type { ContextClass } from '../kinds/types';
export type { ParetoPoint };

/** What the Deployment section's controls choose (defaults from the archlens.* settings). */
export interface DeploymentParams {
  readonly hardware: string;
  readonly gpus: number;
  readonly tp: number;
  readonly pp: number;
  readonly ep: number;
  readonly batch: number;
  readonly input: number;
  readonly output: number;
  readonly framework: string;
}

export interface ServingFigures {
  readonly ttft: number; readonly tpot: number; readonly e2e: number;
  readonly outputTokensPerS: number; readonly outputTokensPerSPerGpu: number; readonly inputTokensPerS: number;
  /** Sequences in flight and the waves the batch runs in (more than one when it does not fit). */
  readonly concurrency: number; readonly waves: number;
}

/** Bytes per GPU. */
export interface MemoryFigures {
  readonly weights: number; readonly kv: number; readonly activations: number; readonly workspace: number;
  readonly total: number; readonly capacity: number; readonly fits: boolean; readonly maxBatch: number;
}

/** The dashboard's Deployment section: the calibrated serving estimate, the ideal roofline and the Pareto sweep. */
export interface DeploymentView {
  readonly params: DeploymentParams;
  readonly choices: { readonly hardware: readonly { readonly id: string; readonly name: string }[]; readonly frameworks: readonly string[] };
  /** Why there is no estimate (an invalid layout, a workload of zero tokens); the figures below are then absent. */
  readonly error?: string;
  readonly estimate?: ServingFigures;
  readonly ideal?: ServingFigures;
  readonly memory?: MemoryFigures;
  readonly sweep?: { readonly points: readonly ParetoPoint[]; readonly limit?: ParetoPoint };
}

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
  readonly deployment: DeploymentView;
}

export type DashboardResult = DashboardData | { readonly error: string; readonly models: readonly string[] };
