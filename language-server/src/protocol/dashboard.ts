/** The dashboard's data: what archlens/dashboard answers and the dashboard webview renders (plain JSON). */
import type { AllocationSweep, Comparison, ContextPoint, KindBreakdown, RooflineData } from '../cost/sweeps';
import type { ParetoPoint } from '../serving/sweep';
import type { CompareSweep } from '../cost/crossover';
import type { RankedLayout } from '../training/layouts';
export type { CompareSweep, RankedLayout };
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

/** A source range (0-based lines and characters) in a file: where a layer map cell's block is written. */
export interface SourceRange {
  readonly uri: string;
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

/** One block on one layer: `row` mixer (attention, SSM, …), ffn (mlp, gated_mlp, moe) or other (engram, mhc, …). */
export interface LayerCell {
  readonly layer: number;
  readonly row: 'mixer' | 'ffn' | 'other';
  readonly kind: string;
  /** Costs of this one occurrence: parameters, prefill FLOPs per token (at the dashboard's L), decode step seconds. */
  readonly params: number;
  readonly prefillFlops: number;
  readonly decodeSeconds: number;
  readonly source?: SourceRange;
}

/** The layer map of one model: which kinds sit on each of its `layers` layers (norms left out). */
export interface LayerStrip {
  readonly model: string;
  readonly layers: number;
  /** Layers drawn: the first min(layers, LAYER_MAP_MAX) (a strip of a million layers is not drawn cell by cell). */
  readonly shown: number;
  readonly cells: readonly LayerCell[];
}

/** The most layers a layer-map strip draws. */
export const LAYER_MAP_MAX = 512;

/** The Training section's choices (defaults: the archlens.* hardware and gpus, data parallel, ZeRO-1, selective). */
export interface TrainingParams {
  readonly hardware: string;
  readonly gpus: number;
  readonly tp: number; readonly pp: number; readonly dp: number; readonly ep: number;
  readonly zero: string;
  readonly recompute: string;
  /** Training tokens D (the model's `tokens` setting, else 20 per parameter). */
  readonly tokens: number;
}

export interface TrainingView {
  readonly params: TrainingParams;
  /** Where `tokens` came from: the model's setting, the Chinchilla rule of thumb, or the Training controls. */
  readonly tokensFrom: 'model' | 'chinchilla' | 'chosen';
  readonly seq: number;
  readonly choices: { readonly hardware: readonly { readonly id: string; readonly name: string }[]; readonly zero: readonly string[]; readonly recompute: readonly string[] };
  readonly error?: string;
  readonly estimate?: { readonly days: number; readonly gpuHours: number; readonly mfu: number; readonly tokensPerS: number; readonly stepSeconds: number };
  readonly memory?: { readonly weights: number; readonly gradients: number; readonly optimizer: number; readonly activations: number; readonly workspace: number; readonly total: number; readonly capacity: number; readonly fits: boolean };
  /** Valid layouts of `gpus` GPUs, those that fit first, fastest first (at most 12). */
  readonly layouts: readonly RankedLayout[];
  readonly layoutCount: number;
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
  /** The chosen model and the compare list on one cost-vs-context chart, with their crossovers. */
  readonly overlay: CompareSweep;
  /** One strip per model of the overlay. */
  readonly layerMap: readonly LayerStrip[];
  readonly training: TrainingView;
}

export type DashboardResult = DashboardData | { readonly error: string; readonly models: readonly string[] };
