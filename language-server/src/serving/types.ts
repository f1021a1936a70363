/** What a serving estimate is asked for (a deployment and a workload) and the tunable constants it uses. */
import type { Hardware } from '../cost/hardware';
import type { WeightFormat } from './formats';

export interface Deployment {
  readonly hardware: Hardware;
  /** GPUs in all: tp · pp · dp (dp = data-parallel replicas, each serving batch / dp). */
  readonly gpus: number;
  readonly tp: number;
  readonly pp: number;
  /** Expert parallelism: MoE experts spread over `ep` GPUs of a replica (1 = experts sharded like the rest by TP). */
  readonly ep: number;
  /** Activation / compute dtype (bf16, fp16, fp8). */
  readonly activation: string;
  readonly weights: WeightFormat;
  readonly kvDtype: string;
  readonly framework: string;
}

/** One request shape: `batch` prompts of `input` tokens, each generating `output` tokens. */
export interface Workload {
  readonly batch: number;
  readonly input: number;
  readonly output: number;
}

/** Fitted constants shared by every framework (serving/calibration.json). */
export interface GlobalConstants {
  /** Achievable fraction of the datasheet memory bandwidth (streaming reads, e.g. a decode GEMV). */
  readonly bandwidthEfficiency: number;
  /** Achievable fraction of the datasheet tensor peak for large GEMMs. */
  readonly gemmEfficiency: number;
  /** Tokens in flight at which GEMM efficiency reaches half of `gemmEfficiency` (skinny GEMMs run slower). */
  readonly gemmHalfTokens: number;
  /** Achievable fraction of the interconnect's per-direction bandwidth in collectives. */
  readonly linkEfficiency: number;
  /** Fixed latency of one collective (all-reduce, all-to-all, pipeline hop), seconds. */
  readonly collectiveLatency: number;
  /** MoE experts' grouped GEMMs relative to a dense GEMM of the same size (uneven, smaller per-expert tiles). */
  readonly groupedGemmEfficiency: number;
  /** Attention's KV-cache reads in decode (paged, scattered blocks) relative to streaming weights. */
  readonly cacheBandwidthEfficiency: number;
}

/** A serving framework's fixed costs and its departure from the global efficiencies. */
export interface FrameworkProfile {
  readonly name: string;
  /** Host-side cost of one decode step (scheduling, sampling, synchronisation), seconds. */
  readonly stepOverhead: number;
  /** Un-hidden launch cost per block occurrence per step or prefill, seconds. */
  readonly blockOverhead: number;
  /** Multipliers on the global GEMM and bandwidth efficiencies. */
  readonly gemmScale: number;
  readonly bandwidthScale: number;
  /** Device memory the framework keeps for itself (activation pool, CUDA graphs, allocator slack), as a fraction. */
  readonly workspaceFraction: number;
  /**
   * False for a decode-attention kernel that loads each KV head once per query head of its GQA group (TensorRT-LLM
   * before its XQA kernel); absent = true (one load per KV head).
   */
  readonly sharedKvReads?: boolean;
  /** Where the non-fitted values come from. */
  readonly source: string;
}

export interface Calibration {
  readonly global: GlobalConstants;
  readonly frameworks: Readonly<Record<string, FrameworkProfile>>;
}
