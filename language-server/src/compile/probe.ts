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
import { blockKind } from '../kinds';
import { divisorAtMost, down } from '../kinds/probeScale';

export { divisorAtMost };
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
      const count = indices.length * mult;
      if (indices.length) out.push({ ...b, count, paramCount: Math.min(b.paramCount ?? count, count), layers: { indices, of: selected.length } });
    }
  }
  return out;
}

function scaleDims(dims: Dims, w: number, o: ProbeOptions): Dims {
  const V = dims.vocab;
  return {
    ...dims,
    d_model: dims.d_model === undefined ? undefined : down(dims.d_model, w),
    vocab: V === undefined ? undefined : o.vocab ?? Math.min(V, Math.max(64, Math.ceil(V / w))),
  };
}

function scaleArgs(b: BlockInstance, w: number, o: ProbeOptions): Args {
  const a: Record<string, Value> = { ...b.args };
  const d = down(b.dims.d_model ?? 0, w);
  const kind = blockKind(b.kind);
  if (!kind) throw new Error(`probe: no scaling rule for block kind '${b.kind}'`);
  if (w !== 1 || kind.probeAlways) kind.probe(a, w, d, o);
  return a;
}
