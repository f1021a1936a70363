/**
 * Independent check of the cost engine against a compiled graph, from the serialized bytes alone:
 * parameters = elements of the float initializers (read with onnx/info.ts, the one ONNX reader), excluding
 * `const/…` tensors (masks, shapes, index tables: not parameters); multiply-adds = a walk over the nodes
 * with the shapes stored in the graph's value_info (onnxruntime checks these against its own inference):
 *   MatMul / Gemm: elements of the output × the contracted width;
 *   Conv: elements of the output × (input channels / group) × kernel size;
 *   DFT: 1.25·n·log2(n) per transform of n points — the engine's real-FFT convention (2.5·n·log2 n FLOPs);
 *   Mul named `… #mac`: one MAC per output element (products with a recurrent state, counted by the engine);
 *   Scan / Loop: the body's MACs × the trip count (the scanned axis, or Loop's constant M).
 * Name markers scale a node's MACs (the engine counts work, not what a dense graph computes):
 *   `#mask=<const>`: × the fraction of visible entries of that additive mask (0 visible, −1e9 masked): a
 *     causal T×T mask gives (T+1)/(2T), so scores and AV count (T+1)/2 keys per query, the engine's causal average;
 *   `#routed=<TopK values>`: × k/E with k the TopK node's K and E its input width (routed experts computed densely).
 * FLOPs per token = 2·MACs / (B·T), comparable with the engine's prefill FLOPs per token at seq = T.
 */
import { initializerFloats, initializerInt64s, readOnnxInfo, type GraphInfo, type Initializer, type NodeInfo } from '../onnx/info';

/** A graph's nodes with the static shape of every value whose dims are all known numbers. */
interface PGraph { readonly nodes: readonly NodeInfo[]; readonly shapes: Map<string, number[]> }

function withShapes(g: GraphInfo): PGraph {
  const shapes = new Map<string, number[]>();
  for (const v of [...g.inputs, ...g.outputs, ...g.valueInfo]) {
    if (v.dims && v.dims.every((d): d is number => typeof d === 'number')) shapes.set(v.name, v.dims);
  }
  return { nodes: g.nodes, shapes };
}

export interface GraphCount {
  readonly params: number;
  readonly macs: number;
  readonly flopsPerToken: number;
  readonly batch: number;
  readonly seq: number;
  /** MACs per node-name scope (the part before '/'), for diagnosing a mismatch. */
  readonly byScope: Readonly<Record<string, number>>;
}

export function countGraph(bytes: Uint8Array): GraphCount {
  const info = readOnnxInfo(bytes);
  const inits = new Map(info.initializers.map((t) => [t.name, t]));
  const params = info.initializers.filter((t) => t.dataType === 1 && !t.name.startsWith('const/')).reduce((s, t) => s + t.size, 0);
  const graph = withShapes(info);
  const ids = graph.shapes.get('input_ids') ?? [1, 1];
  const byScope: Record<string, number> = {};
  const macs = graphMacs(graph, new Map(), inits, byScope, 1);
  const [batch, seq] = ids;
  return { params, macs, flopsPerToken: (2 * macs) / (batch * seq), batch, seq, byScope };
}

function graphMacs(g: PGraph, outer: Map<string, number[]>, inits: Map<string, Initializer>, byScope: Record<string, number>, mult: number): number {
  const shapes = new Map([...outer, ...g.shapes]);
  const producer = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  let total = 0;
  for (const n of g.nodes) {
    const m = nodeMacs(n, shapes, inits, byScope, mult) * factor(n.name, inits, producer, shapes);
    total += m;
    if (n.opType !== 'Scan' && n.opType !== 'Loop' && m) {
      const scope = n.name.split('/')[0];
      byScope[scope] = (byScope[scope] ?? 0) + m * mult;
    }
  }
  return total;
}

function nodeMacs(n: NodeInfo, shapes: Map<string, number[]>, inits: Map<string, Initializer>, byScope: Record<string, number>, mult: number): number {
  const shape = (t: string): number[] => {
    const s = shapes.get(t) ?? inits.get(t)?.dims;
    if (!s) throw new Error(`count: no shape for '${t}' (node ${n.name})`);
    return s;
  };
  const numel = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  switch (n.opType) {
    case 'MatMul': case 'Gemm': { const a = shape(n.inputs[0]); return numel(shape(n.outputs[0])) * a[a.length - 1]; }
    case 'Conv': { const w = shape(n.inputs[1]); return numel(shape(n.outputs[0])) * numel(w.slice(1)); }
    case 'DFT': {
      const x = shape(n.inputs[0]);
      const axis = n.ints.axis?.[0] ?? 1;
      const pts = x[axis];
      return (numel(x) / (pts * x[x.length - 1])) * 1.25 * pts * Math.log2(pts);
    }
    case 'Mul': return n.name.includes('#mac') ? numel(shape(n.outputs[0])) : 0;
    case 'Scan': {
      const body = withShapes(n.graphs.body);
      const k = n.ints.num_scan_inputs?.[0] ?? 1;
      const axis = n.ints.scan_input_axes?.[0] ?? 0;
      const trip = shape(n.inputs[n.inputs.length - k])[axis];
      return trip * graphMacs(body, shapes, inits, byScope, mult * trip);
    }
    case 'Loop': {
      const trip = initializerInt64s(inits.get(n.inputs[0])!)[0];
      return trip * graphMacs(withShapes(n.graphs.body), shapes, inits, byScope, mult * trip);
    }
    default: return 0;
  }
}

function factor(name: string, inits: Map<string, Initializer>, producer: Map<string, NodeInfo>, shapes: Map<string, number[]>): number {
  let f = 1;
  const mask = /#mask=(\S+)/.exec(name);
  if (mask) {
    const v = initializerFloats(inits.get(mask[1])!);
    f *= v.filter((x) => x > -1e8).length / v.length;
  }
  const routed = /#routed=(\S+)/.exec(name);
  if (routed) {
    const topk = producer.get(routed[1]);
    if (!topk || topk.opType !== 'TopK') throw new Error(`count: ${routed[1]} is not a TopK output`);
    const k = initializerInt64s(inits.get(topk.inputs[1])!)[0];
    const scores = shapes.get(topk.inputs[0])!;
    f *= k / scores[scores.length - 1];
  }
  return f;
}
