/** What a training estimate is asked for (a cluster, a parallel layout, a batch and a token budget) and its constants. */
import type { Hardware } from '../cost/hardware';

/**
 * ZeRO stage (Rajbhandari et al. 2020, "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models"):
 * 0 = plain data parallel, 1 = optimizer states sharded, 2 = + gradients, 3 = + parameters; `fsdp` = PyTorch
 * FULL_SHARD (Zhao et al. 2023), which shards like stage 3.
 */
export type ZeroStage = 0 | 1 | 2 | 3 | 'fsdp';
export const ZERO_STAGES: readonly string[] = ['0', '1', '2', '3', 'fsdp'];

/** Activation recomputation (Korthikanti et al. 2022): none, selective (attention core only), full (every layer). */
export type Recompute = 'none' | 'selective' | 'full';
export const RECOMPUTE: readonly Recompute[] = ['none', 'selective', 'full'];

/** GPUs = tp · cp · pp · dp; experts spread over `ep` GPUs taken from the tp · dp ranks of a stage (Megatron-Core). */
export interface Layout {
  readonly gpus: number;
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
  readonly cp: number;
  readonly ep: number;
  /** Virtual pipeline stages per GPU (interleaved 1F1B, Narayanan et al. 2021 §2.2.2); 1 = plain 1F1B. */
  readonly vpp: number;
}

export interface TrainingSetup {
  readonly hardware: Hardware;
  readonly layout: Layout;
  readonly zero: ZeroStage;
  readonly recompute: Recompute;
  /** GEMM dtype: bf16, or fp8 (Transformer Engine; weights, gradients and optimizer stay as with bf16). */
  readonly dtype: 'bf16' | 'fp8';
  readonly seq: number;
  /** Sequences per optimizer step (all replicas). */
  readonly globalBatch: number;
  /** Sequences per micro-batch of one replica. */
  readonly microBatch: number;
  /** Training tokens D for the time, GPU-hours and energy figures. */
  readonly tokens: number;
  /** MoE capacity factor: expert GEMMs sized for capacity · top_k · tokens / experts rows (1 = dropless average). */
  readonly capacityFactor: number;
  /** Per-GPU scale-out (inter-node) bandwidth per direction, bytes/s. */
  readonly networkBandwidth: number;
}

/** Fitted constants of the training-time model (training/calibration.json). */
export interface TrainingConstants {
  /** Achievable fraction of the (MAMF-scaled) tensor peak in training kernels, forward and backward together. */
  readonly gemmEfficiency: number;
  /** Fraction of the backward pass that data-parallel gradient traffic can hide behind (bucketed overlap). */
  readonly dpOverlap: number;
  /** Achievable fraction of the scale-out network's bandwidth in collectives. */
  readonly networkEfficiency: number;
  /** Fixed cost of one optimizer step (optimizer update, loss scaling, logging, data loading), seconds. */
  readonly stepOverhead: number;
}
