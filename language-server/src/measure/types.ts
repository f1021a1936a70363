/**
 * Measured vs estimated: the types shared by the measurement (measure.ts), the CLI (`archlens run`), the report
 * script (test/bench/measure.ts), the inference child process and the dashboard. No onnxruntime import here:
 * sessions come through the Timer interface (extension/inference/ortTimer.ts implements it with onnxruntime-node).
 */

/** One graph input of a timed run: int64 ids get small token ids (< intMax), float32 inputs deterministic small values. */
export interface FeedSpec { readonly name: string; readonly type: 'int64' | 'float32'; readonly dims: readonly number[]; readonly intMax?: number }

/**
 * What views keep of an execution-provider attempt (gate panel, `archlens run`, the dashboard's measured row):
 * a skip is folded into the error. The inference protocol's ProviderAttempt extends it; `attemptView`
 * (protocol/inference.ts) converts. Defined here so that measure/ does not import protocol/.
 */
export interface ProviderAttemptView { readonly provider: string; readonly ok: boolean; readonly error?: string; readonly device?: string }

export interface TimedSession {
  /** Execution provider that loaded the graph (cpu, cuda, webgpu, …). */
  readonly provider: string;
  readonly attempts: readonly ProviderAttemptView[];
  /** Wall times in ms of `runs` runs (after `warmup` untimed runs) on the same feeds. */
  time(feeds: readonly FeedSpec[], runs: number, warmup: number): Promise<number[]>;
  release(): Promise<void>;
}

export interface Timer {
  /** Loads a graph with the panels' provider fallback, or with exactly `providers` when given. */
  load(bytes: Uint8Array, providers?: readonly string[]): Promise<TimedSession>;
}

/** The CPU's figures, measured once by the micro-benchmark (cpu.ts) and cached. */
export interface CpuFigures {
  /** Cache key: hash of the CPU model, logical cores, arch and onnxruntime version. */
  readonly key: string;
  readonly model: string;
  readonly cores: number;
  readonly arch: string;
  readonly memory: number;
  /** Peak fp32 FLOP/s: 2·n³ / best time of an n×n MatMul. */
  readonly flops: number;
  /** Memory (read) bandwidth, bytes/s: `streamBytes` / best time of a ReduceSum over them. */
  readonly bandwidth: number;
  readonly matmulN: number;
  readonly streamBytes: number;
  readonly runtime: string;
  /** ISO time of the measurement. */
  readonly measuredAt: string;
}

export interface PhaseResult {
  /** Roofline estimate for the device used, µs per token. */
  readonly estimatedUs: number;
  /** Median measured time, µs per token. */
  readonly measuredUs: number;
  /** measured / estimated (> 1: slower than the roofline predicts). */
  readonly ratio: number;
  /** Which roofline term bounds the estimate. */
  readonly bound: 'compute' | 'memory';
  /** How the time was measured (graph and division), e.g. `decode step (KV cache, L = 16)`. */
  readonly method: string;
  /** True when the measurement is an approximation of the phase (not its own graph). */
  readonly approximate: boolean;
  /** Every sample, ms (before dividing by tokens). */
  readonly samplesMs: readonly number[];
}

export interface DeviceFigures { readonly id: string; readonly name: string; readonly peakFlops: number; readonly bandwidth: number; readonly source: string }

export interface MeasureResult {
  readonly model: string;
  /** The probe spec (`layers=2,width=8`), or '' for the full model. */
  readonly probe: string;
  readonly params: number;
  /** Prefill tokens T, and the decode step's context L (= T). */
  readonly seq: number;
  readonly runs: number;
  readonly provider: string;
  readonly attempts: readonly ProviderAttemptView[];
  /** The device the estimate is computed for (measured CPU figures, or a catalogue GPU). */
  readonly device: DeviceFigures;
  readonly cpu?: CpuFigures;
  readonly prefill: PhaseResult;
  readonly decode: PhaseResult;
  readonly notes: readonly string[];
}
