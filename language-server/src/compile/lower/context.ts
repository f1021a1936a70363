/** The state threaded through the lowering of one model: residual stream, pending norm output, HC streams. */
import type { BlockInstance } from '../../semantic/instances';
import type { GraphBuilder, Tensor } from '../graph';
import { reduceMean } from './ops';
import type { GateKind } from '../../onnx/gates';

export interface Ctx {
  readonly g: GraphBuilder;
  readonly B: number;
  readonly T: number;
  readonly d: number;
  /** input_ids, int64 [B, T]. */
  readonly ids: Tensor;
  /** Positions before input_ids: 0 in prefill, the cache length L in a decode step. */
  readonly past: number;
  /**
   * KV cache and state I/O: decode reads `past_key_{i}`/`past_value_{i}` inputs; both modes output `present_…`
   * (attention.ts); recurrent / conv state `state_{kind}_{i}_{name}` → `new_state_…` (state.ts; `states`: i per kind).
   */
  readonly cache?: { readonly decode: boolean; count: number; readonly states: Map<string, number> };
  /** 0-based decoder layer index of the block being lowered (gate output names). */
  layer: number;
  /** Residual stream [B, T, d]. */
  x: Tensor;
  /** Output of the last norm, the input of the next sublayer; cleared after each sublayer. */
  h?: Tensor;
  /** Hyper-connection streams [B, T, n, d] while they exist. */
  streams?: Tensor;
  /** H^post [B, T, n, 1] and H^res [B, T, n, n] of the mhc instance wrapping the next sublayer. */
  pending?: { readonly post: Tensor; readonly res: Tensor };
  /** Embedding table [V, d] (tied lm_head reuses it). */
  table?: Tensor;
  /** Residual streams replaced by a later embedding (DeepSeek MTP concatenates them back). */
  readonly previous: Tensor[];
  /** RWKV-7 value of the first time-mix layer (value residual). */
  vFirst?: Tensor;
  /** Linformer's layerwise-shared projection E (share: layerwise), made by the first block that holds it. */
  linformerE?: Tensor;
  logits?: Tensor;
  /**
   * The stream a cross-attention reads: float graph input [B, S, E] named `memory` (the encoder output), created on
   * first use; another (S, E) gets `memory_1`, `memory_2`, … Same input in prefill and decode.
   */
  memory(S: number, E: number): Tensor;
  /** Adds a gate output `name` unless a gate of that name exists already (one per kind and layer). */
  gate(name: string, t: Tensor): void;
  /** The first unused gate name of `kind` in this layer: `hc_res_l{i}`, then `hc_res_l{i}_b` (docs/gates.md). */
  nextGate(kind: GateKind): string;
}

export type Role = 'embedding' | 'norm' | 'head' | 'mhc' | 'replace' | 'sublayer';

export interface KindLowering {
  readonly role: Role;
  /** A sublayer that reads every hyper-connection stream itself (Engram's per-stream branches), so the streams are not collapsed first. */
  readonly readsStreams?: boolean;
  /** False for a kind whose one-token decode step is not lowered yet (its state would not be a graph input). */
  readonly decodeStep?: false;
  /** For a kind whose decode step exists for some arguments only: a label (e.g. `kind(arg: value)`) when this block has none. */
  readonly decodeRefusal?: (b: BlockInstance) => string | undefined;
  /** Sublayers and `replace` return their output; others update the context. */
  lower(c: Ctx, b: BlockInstance): Tensor | void;
}

export const dModelOf = (b: BlockInstance): number => b.dims.d_model ?? 0;
export const vocabOf = (b: BlockInstance): number => b.dims.vocab ?? 0;

/** Collapses HC streams back into one residual stream (mean over streams) unless an mhc is pending. */
export function residual(c: Ctx): Tensor {
  if (c.streams && !c.pending) {
    c.x = reduceMean(c.g, c.streams, [2], false);
    c.streams = undefined;
  }
  return c.x;
}
