/**
 * Compiles a model instance (usually a probe, see probe.ts) into an ONNX graph: input `input_ids` int64
 * [B, T], output `logits` [B, T, V] plus the gate outputs of docs/gates.md. B and T are fixed at compile time
 * (masks, reshapes and scan lengths are specialised to them).
 * Decode step (`mode: 'decode'`): input_ids [B, 1] at position L = `seq`, plus the KV cache of every attention
 * / MLA sublayer as inputs past_key_{i} [B, KV, L, hd] and past_value_{i} [B, KV, L, hv]; outputs logits
 * [B, 1, V] and present_key_{i} / present_value_{i} [B, KV, L+1, ·] (no gate outputs). Kinds with recurrent
 * or convolution state (mamba, mamba2, linear_attention, retnet, rwkv_*, engram, hyena, titans, cms, head with pool
 * mean / cls, …) read inputs
 * state_{kind}_{i}_{name} (i: ordinal of that kind in execution order) and output new_state_{kind}_{i}_{name}
 * (lower/state.ts, docs/run-json.md). A prefill compiled with `exposeCache` outputs present_… [B, KV, T, ·]
 * and new_state_… from zero state: the cache and state a decode step continues. decodeUnsupported lists kinds
 * without a decode step and blocks whose arguments have none (`decodeStep` / `decodeRefusal`; none at present). Hyena's implicit filters are functions of t / (L + 1), so its
 * step continues the history of an (L + 1)-token prefill, not of an L-token one. A cross-attention
 * (`attention(mask: cross)`) reads the float input `memory` [B, S, E] (the encoder output; `memory_1`, … for
 * further shapes) in both modes.
 * Wiring (the language states blocks, not residuals): a norm normalises the residual stream into the input
 * of the next sublayer; a sublayer's output is added to the residual (pre-norm); `mhc` wraps the next
 * sublayer (streams: read-out H^pre, write-in H^post, mixing H^res); `linear` replaces the stream.
 */
import { isShared, weightCopies, type BlockInstance, type ModelInstance } from '../semantic/instances';
import type { LayersGroup } from '../syntax/ast';
import { GraphBuilder, type Tensor } from './graph';
import { INT64 } from '../onnx/writer';
import { residual, type Ctx } from './lower/context';
import { loweringOf } from './lower';
import { add, matmul, unsqueeze } from './lower/ops';
import { gateName } from '../onnx/gates';
import { checkElements, checkNodes } from './limits';

export interface CompileOptions {
  /** Tokens per sequence T (default 16). */
  readonly seq?: number;
  readonly batch?: number;
  readonly seed?: number;
  /** Also output every intermediate tensor (tests check onnxruntime's shapes against the value_info). */
  readonly exposeIntermediates?: boolean;
  /** 'prefill' (default): T = seq tokens from position 0. 'decode': one token after a cache of `seq` positions. */
  readonly mode?: 'prefill' | 'decode';
  /** Prefill: also output the KV cache (present_key_{i} / present_value_{i}). */
  readonly exposeCache?: boolean;
}

/** Block kinds of `model` that have no decode-step lowering (their state would not be a graph input). */
export function decodeUnsupported(model: ModelInstance): string[] {
  return [...new Set(model.blocks.flatMap((b) => {
    const l = loweringOf(b.kind);
    if (!l || l.decodeStep === false) return [b.kind];
    const refused = l.decodeRefusal?.(b);
    return refused ? [refused] : [];
  }))];
}

export interface Compiled {
  readonly bytes: Uint8Array;
  readonly seq: number;
  readonly batch: number;
  readonly gates: readonly string[];
  readonly mode: 'prefill' | 'decode';
  /** Positions before input_ids (the cache length L of a decode step; 0 in prefill). */
  readonly past: number;
  /** Attention / MLA sublayers with a KV cache input/output (when decoding or exposeCache). */
  readonly caches: number;
  /** Graph inputs (input_ids int64, memory… float for cross-attention, then past_key_{i} / past_value_{i} and state_{kind}_{i}_{name} in a decode step). */
  readonly inputs: readonly { readonly name: string; readonly dims: readonly number[]; readonly type: 'int64' | 'float32' }[];
}

/** One executed occurrence of a block: the instance and the decoder layer it runs in. */
export interface Step { readonly block: BlockInstance; readonly layer: number }

/** The execution order: `layers` groups unrolled layer by layer, blocks in text order, `x N` repeated. */
export function schedule(model: ModelInstance): Step[] {
  // Occurrences are counted before any is listed: `custom x 10^15` or `layers 10^6` is refused, not looped over.
  checkNodes(model.blocks.reduce((n, b) => n + b.count, 0), 'the number of block occurrences to compile');
  const steps: Step[] = [];
  let offset = 0;
  let lastLayer = 0;
  for (let i = 0; i < model.blocks.length;) {
    const group = groupOf(model.blocks[i]);
    if (!group) {
      const b = model.blocks[i++];
      for (let r = 0; r < b.count; r++) steps.push({ block: b, layer: lastLayer });
      continue;
    }
    const members: BlockInstance[] = [];
    while (i < model.blocks.length && groupOf(model.blocks[i]) === group) members.push(model.blocks[i++]);
    const of = members[0].layers?.of ?? 1;
    for (let l = 0; l < of; l++) {
      for (const b of members) {
        const idx = b.layers?.indices ?? [];
        if (!idx.includes(l)) continue;
        for (let r = 0; r < b.count / Math.max(1, idx.length); r++) steps.push({ block: b, layer: offset + l });
      }
    }
    lastLayer = offset + Math.max(0, of - 1);
    offset += of;
  }
  return steps;
}

function groupOf(b: BlockInstance): LayersGroup | undefined {
  return b.via.find((v): v is LayersGroup => v.kind === 'Layers');
}

export function compileModel(model: ModelInstance, opts: CompileOptions = {}): Compiled {
  const decode = opts.mode === 'decode';
  if (decode && decodeUnsupported(model).length) throw new Error(`no decode-step lowering yet for block kind(s) ${decodeUnsupported(model).join(', ')}`);
  const T = decode ? 1 : opts.seq ?? 16;
  const past = decode ? opts.seq ?? 16 : 0;
  const B = opts.batch ?? 1;
  const d = model.dims.d_model ?? 0;
  checkElements(B * T * d, `the residual stream [${B}, ${T}, ${d}]`);
  const g = new GraphBuilder(opts.seed ?? 1234);
  const ids = g.input('input_ids', [B, T], INT64);
  const gates: string[] = [];
  const memories = new Map<string, Tensor>();
  const c: Ctx = {
    g, B, T, d, ids, past, layer: 0, x: g.constF(new Float32Array(B * T * d), [B, T, d], 'zeros'), previous: [],
    cache: decode || opts.exposeCache ? { decode, count: 0, states: new Map() } : undefined,
    gate(name, t) { if (!decode && !gates.includes(name)) { gates.push(name); g.output(t, name); } },
    memory(S, E) {
      const key = `${S}x${E}`;
      if (!memories.has(key)) memories.set(key, g.input(memories.size ? `memory_${memories.size}` : 'memory', [B, S, E]));
      return memories.get(key)!;
    },
    nextGate(kind) { let i = 0; while (gates.includes(gateName(kind, c.layer, i))) i++; return gateName(kind, c.layer, i); },
  };
  const shareKey = weightSharing(model);
  for (const step of schedule(model)) {
    c.layer = step.layer;
    g.within(`l${step.layer}.${step.block.kind}`, () => g.sharingWeights(shareKey(step.block), () => run(c, step.block)));
  }
  // A `head` sets the logits ([B, rows, K]); without lm_head or head (DiT, encoders) the final stream is the output.
  const main = c.logits ? 'logits' : 'output';
  g.output(c.logits ?? residual(c), main);
  const rank = (n: string): number => (n === main ? -1 : gates.includes(n) ? gates.indexOf(n) : gates.length);
  g.outputs.sort((a, b) => rank(a.name) - rank(b.name));
  if (opts.exposeIntermediates) g.exposeIntermediates();
  const bytes = g.serialize(model.name, { 'archlens.gates': gates.join(','), 'archlens.untrained': 'true', 'archlens.mode': decode ? 'decode' : 'prefill' });
  return { bytes, seq: T, batch: B, gates, mode: decode ? 'decode' : 'prefill', past, caches: c.cache?.count ?? 0,
    inputs: g.inputs.map((v) => ({ name: v.name, dims: (v.dims ?? []).map(Number), type: v.elemType === INT64 ? 'int64' : 'float32' }) as const) };
}

/**
 * Which set of weights each executed occurrence uses: a block with `paramCount` < `count` (shared weights)
 * cycles through its paramCount copies, so the graph holds exactly the parameters the engine counts.
 */
function weightSharing(model: ModelInstance): (b: BlockInstance) => string | undefined {
  const seen = new Map<BlockInstance, number>();
  return (b) => {
    if (!isShared(b)) return undefined;
    const k = seen.get(b) ?? 0;
    seen.set(b, k + 1);
    return `${model.blocks.indexOf(b)}#${k % weightCopies(b)}`;
  };
}

function run(c: Ctx, b: BlockInstance): void {
  const l = loweringOf(b.kind);
  if (!l) throw new Error(`no ONNX lowering for block kind '${b.kind}'`);
  if (l.role === 'embedding' || l.role === 'mhc') { l.lower(c, b); return; }
  if (l.role === 'norm') { c.h = l.lower(c, b) as Tensor; return; }
  if (l.role === 'head') { if (!c.h) residual(c); l.lower(c, b); c.h = undefined; return; }
  if (!c.h && !l.readsStreams) residual(c);
  const y = l.lower(c, b) as Tensor;
  c.h = undefined;
  if (l.role === 'replace') { residual(c); c.x = y; return; }
  finishSublayer(c, y);
}

/** Adds a sublayer output to the residual: X = H^res·X + H^post·y under a pending mhc, else x + y. */
function finishSublayer(c: Ctx, y: Tensor): void {
  const g = c.g;
  if (c.pending && c.streams) {
    const mixed = matmul(g, c.pending.res, c.streams);
    const post = matmul(g, c.pending.post, unsqueeze(g, y, 2));
    c.streams = add(g, mixed, post);
    c.pending = undefined;
  } else if (c.streams) {
    c.streams = add(g, c.streams, y.shape.length === 4 ? y : unsqueeze(g, y, 2));
  } else c.x = add(g, c.x, y);
}
