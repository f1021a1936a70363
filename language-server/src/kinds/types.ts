/**
 * The shared vocabulary below the semantic model and the cost engine: argument values, dimensions, parameter
 * specs, costs, and the definition of a block kind (everything one kind is, in one object).
 */

/** A resolved argument value. Names that are not constants (e.g. `silu`, `bf16`) arrive as strings. */
export type Value = number | boolean | string | Value[];

export type ParamType = 'int' | 'number' | 'bool' | 'enum' | 'string' | 'list';

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  readonly doc: string;
  /** Omitted: the kind derives a default from other parameters or dimensions (described in `doc`). */
  readonly default?: Value;
  readonly values?: readonly string[];
  readonly required?: boolean;
  /** Smallest allowed value for numeric parameters (inclusive). */
  readonly min?: number;
}

/** Model-level dimensions, inherited by every block and overridable per block or scope. */
export interface Dims {
  readonly vocab?: number;
  readonly d_model?: number;
  readonly context?: number;
  readonly dtype: string;
  readonly kv_dtype?: string;
  readonly state_dtype: string;
  readonly tied: boolean;
  /** Training tokens D (documentation for the training estimate in hovers and the dashboard; no effect on costs). */
  readonly tokens?: number;
}

/** Where and how the model runs; chosen by the user (CLI flags or editor settings). */
export interface CostContext {
  /** Context length L: prefill length, and the position of the decode step. */
  readonly seq: number;
  /** Sequences processed together (B). */
  readonly batch: number;
}

/** An argument problem found by a kind's own validation (heads not dividing d_model, …). */
export interface ArgIssue {
  readonly message: string;
  /** The argument the problem is about; the use site is blamed when absent. */
  readonly arg?: string;
  readonly severity?: 'error' | 'warning';
}

/** Costs of ONE instance of a block, for one sequence unless stated. All FLOPs are 2 × multiply-accumulates. */
export interface BlockCost {
  /** Trainable parameters. */
  readonly params: number;
  /** Parameters used for one token (MoE: routed top-k + shared + router; Engram: without tables). */
  readonly active: number;
  /** FLOPs per token, averaged over a causal prefill of `seq` tokens. */
  readonly prefillFlops: number;
  /** FLOPs for one decode step of one sequence at position `seq`. */
  readonly decodeFlops: number;
  /** KV cache or recurrent state per sequence at context `seq`, in bytes. */
  readonly cacheBytes: number;
  /** Weight bytes that live in device memory. */
  readonly weightBytes: number;
  /** Weight bytes placed in host memory (Engram tables offloaded). */
  readonly hostWeightBytes: number;
  /** Bytes moved through device memory for one decode step of the whole batch (weights + cache reads/writes). */
  readonly decodeBytes: number;
  /** Bytes crossing the host link per decode step of the whole batch (offloaded lookups). */
  readonly hostDecodeBytes: number;
  /** MoE: expert weight bytes touched per decode step at batch B (expected distinct experts). */
  readonly expertBytesDecode?: number;
  /** Test-time memories (Titans variants): the memory-update part of prefillFlops per token, reported apart from its reads. */
  readonly updateFlops?: number;
  /** One line per formula used, e.g. `params = d·(H + 2·KV)·hd + H·hd·d`. */
  readonly formula: readonly string[];
}

/**
 * How a kind's cost depends on the context length L: `attention` (KV cache and per-token FLOPs grow with L,
 * so a prefill of L tokens costs ∝ L²; also Hyena decoding over a cache of its inputs), `recurrent` (SSM / linear attention / RNN-style memory: constant
 * state and per-token FLOPs, prefill ∝ L) and `position-free` (MLPs, MoE, norms, embeddings, Engram lookups).
 */
export type ContextClass = 'attention' | 'recurrent' | 'position-free';

/**
 * What a one-token decode step carries between positions: nothing (`none`, token-local), a KV cache that grows
 * with L (`kv-cache`), or a recurrent / convolution state (`state`; lower/state.ts names its tensors).
 */
export type DecodeState = 'none' | 'kv-cache' | 'state';

/**
 * A kind's place in a layer: a sequence `mixer` (attention, SSM, recurrence), a channel `ffn` (MLP, MoE), a
 * `memory` read (Engram, Titans), a `norm`, the `embedding` / `head`, a `residual` connection (mHC), or `other`.
 */
export type KindRole = 'mixer' | 'ffn' | 'memory' | 'norm' | 'embedding' | 'head' | 'residual' | 'other';

/** What a probe's argument scaling may need besides the width divisor: its sequence length and Engram slot cap. */
export interface ProbeFit { readonly seq?: number; readonly maxSlots?: number }

/**
 * Scales a block's arguments for a probe narrower by `w` (compile/probe.ts): divides every width argument and
 * fixes it up so the kind's own divisibility rules still hold. `d` is the probe's d_model. Mutates `args`.
 */
export type ProbeScaler = (args: Record<string, Value>, w: number, d: number, fit: ProbeFit) => void;

/** A built-in block kind: its parameters, checks, cost model, context class, decode state and probe rule. */
export interface BlockKind {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /** Dimensions the kind cannot be costed without. */
  readonly needs: readonly ('d_model' | 'vocab')[];
  readonly context: ContextClass;
  readonly decodeState: DecodeState;
  /**
   * Tensor-parallel all-reduces after one occurrence (Megatron-LM, Shoeybi et al. 2019: one after the attention
   * and one after the MLP; a vocab-parallel embedding and LM head also end in one); 0 for replicated norms.
   */
  readonly tpAllReduces: 0 | 1;
  /** What the block does in a layer, for views that group blocks (the dashboard's layer map). */
  readonly role: KindRole;
  /** Probe argument scaling; applied when the width divisor is not 1, or always with `probeAlways`. */
  readonly probe: ProbeScaler;
  /** The probe rule also fits the probe's sequence length (attention: a window ≥ seq shrinks to seq/2). */
  readonly probeAlways?: boolean;
  /** Attention kinds: the mask this use attends with (`causal`, `bidirectional`, …); absent for non-attention kinds. */
  readonly mask?: (args: Args) => string;
  /**
   * Context class and decode state of one use when they depend on its arguments (hyena's decode mode); the
   * static `context` / `decodeState` are the defaults' (see `classOf` in kinds/index.ts).
   */
  readonly classify?: (args: Args) => { readonly context: ContextClass; readonly decodeState: DecodeState };
  /**
   * Query heads that read each cached KV head (the GQA group H / KV); absent = 1. A decode-attention kernel that
   * does not share a KV head across its group loads the cache this many times (serving/workload.ts).
   */
  readonly kvGroup?: (args: Args) => number;
  /**
   * Routed experts of one use (MoE): they shard over expert parallelism, run as grouped GEMMs and are dispatched
   * and combined by all-to-alls (serving/, training/). Absent for a kind without experts; undefined for a use
   * without them (attention without `experts`).
   */
  readonly experts?: (args: Args) => { readonly experts: number; readonly topK: number } | undefined;
  /**
   * Weights shared across uses by name: a use that `holds` a name owns them, a use that `reads` it has none and
   * needs a holder earlier in the model (semantic/sharedHolders.ts; linformer's layerwise E).
   */
  readonly holds?: (args: Args) => string | undefined;
  readonly reads?: (args: Args) => string | undefined;
  validate?(args: Args, dims: Dims): ArgIssue[];
  cost(args: Args, dims: Dims, ctx: CostContext): BlockCost;
}

/** Arguments after defaults are applied: every spec with a default is present. */
export type Args = Readonly<Record<string, Value>>;
