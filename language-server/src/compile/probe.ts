/**
 * Scaled probes: the same block pattern with fewer layers and/or narrower widths, as a transformed
 * ModelInstance, so the cost engine reports the probe's own numbers unchanged (costModel(probe)).
 * Layers: in each `layers N` group keep the first `layers` layers plus, for every block line of the group, the
 * first layer where it occurs (so `at [15]`, `every 8 from 4` or `not first 3` keep one instance each), in order.
 * Width: d_model ÷ width (or `d_model` given directly); every width argument is divided too, then fixed up so
 * the kind's divisibility rules hold (heads | d_model, kv_heads | heads, head_dim | d_inner, orders·heads | dim…).
 * Head and expert counts shrink with the width (GQA ratio kept, top_k scaled with the expert count, ≥ 1);
 * vocab ÷ width (≥ 64), Engram slots ÷ width capped at `maxSlots`; a sliding window ≥ seq becomes seq/2 so the
 * probe exercises it.
 */
import type { Args, Dims, Value } from '../kinds/types';
import type { BlockInstance, ModelInstance } from '../semantic/instances';
import type { LayersGroup } from '../syntax/ast';

export interface ProbeOptions {
  /** Layers kept per `layers` group before adding first occurrences (default: all). */
  readonly layers?: number;
  /** Width divisor (default 1). */
  readonly width?: number;
  /** Target d_model: sets the divisor to d_model / this. */
  readonly d_model?: number;
  readonly vocab?: number;
  /** Probe sequence length (sliding windows are shrunk below it). */
  readonly seq?: number;
  readonly maxSlots?: number;
}

/** Parses `layers=2,width=8` (also d_model, vocab, seq, slots). */
export function parseProbe(spec: string): ProbeOptions {
  const out: Record<string, number> = {};
  const keys: Record<string, string> = { layers: 'layers', width: 'width', d_model: 'd_model', vocab: 'vocab', seq: 'seq', slots: 'maxSlots' };
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split('=');
    const n = Number(v);
    if (!Object.hasOwn(keys, k) || !Number.isFinite(n) || n <= 0) throw new Error(`bad probe setting '${part}' (known: ${Object.keys(keys).join(', ')}; positive numbers)`);
    out[keys[k]] = n;
  }
  return out;
}

export function probeModel(m: ModelInstance, o: ProbeOptions): ModelInstance {
  const d = m.dims.d_model ?? 0;
  const w = o.width ?? (o.d_model && d ? d / o.d_model : 1);
  const dims = scaleDims(m.dims, w, o);
  const blocks = fewerLayers(m.blocks, o.layers).map((b) => ({ ...b, dims: scaleDims(b.dims, w, o), args: scaleArgs(b, w, o) }));
  return { ...m, dims, blocks };
}

function groupOf(b: BlockInstance): LayersGroup | undefined {
  return b.via.find((v): v is LayersGroup => v.kind === 'Layers');
}

function fewerLayers(blocks: readonly BlockInstance[], keep?: number): BlockInstance[] {
  if (!keep) return [...blocks];
  const out: BlockInstance[] = [];
  for (let i = 0; i < blocks.length;) {
    const g = groupOf(blocks[i]);
    if (!g) { out.push(blocks[i++]); continue; }
    const members: BlockInstance[] = [];
    while (i < blocks.length && groupOf(blocks[i]) === g) members.push(blocks[i++]);
    const of = members[0].layers?.of ?? 1;
    const chosen = new Set(Array.from({ length: Math.min(keep, of) }, (_, l) => l));
    for (const b of members) if (b.layers?.indices.length) chosen.add(b.layers.indices[0]);
    const selected = [...chosen].sort((a, b) => a - b);
    for (const b of members) {
      const idx = b.layers?.indices ?? [];
      const mult = idx.length ? b.count / idx.length : b.count;
      const indices = selected.map((l, pos) => (idx.includes(l) ? pos : -1)).filter((p) => p >= 0);
      if (indices.length) out.push({ ...b, count: indices.length * mult, layers: { indices, of: selected.length } });
    }
  }
  return out;
}

const down = (v: number, w: number): number => Math.max(1, Math.round(v / w));
/** Largest divisor of n that is ≤ cap (≥ 1). */
export function divisorAtMost(n: number, cap: number): number {
  for (let k = Math.max(1, Math.min(n, Math.floor(cap))); k > 1; k--) if (n % k === 0) return k;
  return 1;
}

function scaleDims(dims: Dims, w: number, o: ProbeOptions): Dims {
  const V = dims.vocab;
  return {
    ...dims,
    d_model: dims.d_model === undefined ? undefined : down(dims.d_model, w),
    vocab: V === undefined ? undefined : o.vocab ?? Math.min(V, Math.max(64, Math.ceil(V / w))),
  };
}

type Scaler = (a: Record<string, Value>, w: number, d: number, o: ProbeOptions) => void;
const n = (a: Record<string, Value>, k: string): number => (typeof a[k] === 'number' ? (a[k] as number) : 0);
const scale = (a: Record<string, Value>, w: number, ...keys: string[]): void => {
  for (const k of keys) if (n(a, k) > 0) a[k] = down(n(a, k), w);
};

function heads(a: Record<string, Value>, w: number, d: number): void {
  const H = n(a, 'heads');
  const KV = n(a, 'kv_heads') || H;
  const kv = down(KV, w);
  a.heads = kv * (H / KV);
  if (a.kv_heads !== undefined) a.kv_heads = kv;
  if (n(a, 'head_dim')) a.head_dim = down(n(a, 'head_dim'), w);
  else if (d % (a.heads as number) !== 0) a.head_dim = Math.max(1, Math.floor(d / (a.heads as number)));
}

const SCALERS: Record<string, Scaler> = {
  embedding: () => undefined,
  lm_head: () => undefined,
  rmsnorm: (a, w) => scale(a, w, 'dim'),
  layernorm: (a, w) => scale(a, w, 'dim'),
  linear: (a, w) => scale(a, w, 'd_in', 'd_out'),
  mlp: (a, w) => scale(a, w, 'd_ff'),
  gated_mlp: (a, w) => scale(a, w, 'd_ff'),
  rwkv_channel_mix: (a, w) => scale(a, w, 'd_ff'),
  attention: (a, w, d, o) => {
    heads(a, w, d);
    const T = o.seq ?? 16;
    if (n(a, 'window') >= T) a.window = Math.max(1, Math.floor(T / 2));
  },
  mla: (a, w) => scale(a, w, 'heads', 'q_lora', 'kv_lora', 'qk_nope_dim', 'qk_rope_dim', 'v_head_dim'),
  moe: (a, w) => {
    const E = n(a, 'experts');
    const e = Math.min(E, Math.max(4, Math.round(E / w)));
    a.top_k = Math.max(1, Math.min(n(a, 'top_k'), Math.round((n(a, 'top_k') * e) / E)));
    a.experts = e;
    scale(a, w, 'd_ff', 'shared_d_ff');
  },
  mamba: (a, w) => { scale(a, w, 'd_inner', 'dt_rank'); a.d_state = Math.max(2, Math.round(n(a, 'd_state') / w)); },
  mamba2: (a, w, d) => {
    const di = n(a, 'd_inner') ? down(n(a, 'd_inner'), w) : n(a, 'expand') * d;
    if (n(a, 'd_inner')) a.d_inner = di;
    a.head_dim = divisorAtMost(di, down(n(a, 'head_dim'), w));
    a.n_groups = divisorAtMost(di / (a.head_dim as number), n(a, 'n_groups'));
    a.d_state = Math.max(2, Math.round(n(a, 'd_state') / w));
  },
  hyena: (a, w) => { a.filter_width = Math.max(2, Math.round(n(a, 'filter_width') / w)); },
  linear_attention: (a, w, d) => {
    if (n(a, 'head_dim')) scale(a, w, 'heads', 'head_dim');
    else a.heads = divisorAtMost(d, down(n(a, 'heads'), w));
  },
  retnet: (a, w, d) => { a.heads = divisorAtMost(d, down(n(a, 'heads'), w)); },
  rwkv_time_mix: (a, w, d) => {
    a.head_dim = divisorAtMost(d, down(n(a, 'head_dim'), w));
    scale(a, w, 'decay_lora', 'a_lora', 'v_lora', 'gate_lora');
  },
  engram: (a, w, _d, o) => {
    const parts = (Array.isArray(a.orders) ? a.orders.length : 1) * n(a, 'heads');
    a.dim = parts * Math.max(1, Math.round(n(a, 'dim') / w / parts));
    a.slots = Math.min(o.maxSlots ?? 1024, down(n(a, 'slots'), w));
  },
  mhc: () => undefined,
  titans: (a, w) => { scale(a, w, 'memory_width'); if (n(a, 'persistent')) a.persistent = Math.min(4, n(a, 'persistent')); },
  custom: (a, w) => {
    const p = n(a, 'params');
    const p2 = Math.max(1, Math.round(p / (w * w)));
    for (const k of ['active', 'flops', 'decode_flops']) if (a[k] !== undefined) a[k] = Math.round((n(a, k) * p2) / Math.max(1, p));
    a.params = p2;
  },
};

function scaleArgs(b: BlockInstance, w: number, o: ProbeOptions): Args {
  const a: Record<string, Value> = { ...b.args };
  const d = down(b.dims.d_model ?? 0, w);
  const s = SCALERS[b.kind];
  if (!s) throw new Error(`probe: no scaling rule for block kind '${b.kind}'`);
  if (w !== 1 || b.kind === 'attention') s(a, w, d, o);
  return a;
}
