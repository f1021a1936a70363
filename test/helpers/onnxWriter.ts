// Test-only ONNX model builders (tiny gate models) on top of the production protobuf writer.
// Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).

import { encodeVarint, writeModel as writeOnnx } from '../../language-server/src/onnx/writer';

// The protobuf encoder is the production one (language-server/src/compile/onnxWriter.ts); this helper keeps
// its small test-only spec (float_data option, tiny gate models).
export { encodeVarint };
export type Dim = number | string;

export interface TensorSpec {
  name: string;
  dims: number[];
  floats?: ArrayLike<number>;
  int64s?: number[];
  /** Write floats as packed float_data (field 4) instead of raw_data. */
  asFloatData?: boolean;
}

export interface ValueSpec {
  name: string;
  elemType?: number; // 1 float32 (default), 7 int64
  dims?: Dim[];
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
}

export interface ModelSpec {
  irVersion?: number;
  opset?: number;
  graphName?: string;
  nodes: NodeSpec[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  initializers: TensorSpec[];
}

export function writeModel(s: ModelSpec): Uint8Array {
  return writeOnnx({
    irVersion: s.irVersion,
    opset: s.opset,
    producer: 'archlens-test',
    graph: {
      name: s.graphName ?? 'test_graph',
      nodes: s.nodes,
      inputs: s.inputs,
      outputs: s.outputs,
      initializers: s.initializers.map((t) => ({
        name: t.name, dims: t.dims, int64s: t.int64s, floatData: t.asFloatData,
        floats: t.int64s ? undefined : Float32Array.from(t.floats ?? []),
      })),
    },
  });
}

/** Deterministic uniform numbers in [-scale, scale). */
export function randomFloats(n: number, seed: number, scale = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

export interface TinyModel {
  bytes: Uint8Array;
  vocab: number;
  d: number;
  embed: Float32Array; // [V, D]
  wOut: Float32Array; // [D, V]
  wGate: Float32Array; // [D, 1]
}

/** input_ids → Gather(embed) → h; logits = h·W; engram_alpha_l0 = Squeeze(Sigmoid(h·wg), axis 2). */
export function tinyGateModel(opts: { vocab?: number; d?: number; omit?: 'logits' | 'gates' | 'input_ids'; irVersion?: number } = {}): TinyModel {
  const V = opts.vocab ?? 16;
  const D = opts.d ?? 8;
  const embed = randomFloats(V * D, 1);
  const wOut = randomFloats(D * V, 2);
  const wGate = randomFloats(D, 3);
  const inputName = opts.omit === 'input_ids' ? 'tokens' : 'input_ids';
  const outputs: ValueSpec[] = [];
  if (opts.omit !== 'logits') outputs.push({ name: 'logits', dims: ['batch', 'seq', V] });
  outputs.push({ name: opts.omit === 'gates' ? 'alpha' : 'engram_alpha_l0', dims: ['batch', 'seq'] });
  const bytes = writeModel({
    irVersion: opts.irVersion,
    nodes: [
      { op: 'Gather', inputs: ['embed.weight', inputName], outputs: ['h'] },
      { op: 'MatMul', inputs: ['h', 'lm_head.weight'], outputs: [opts.omit === 'logits' ? 'scores' : 'logits'] },
      { op: 'MatMul', inputs: ['h', 'gate.weight'], outputs: ['gate_logit'] },
      { op: 'Sigmoid', inputs: ['gate_logit'], outputs: ['alpha3'] },
      { op: 'Squeeze', inputs: ['alpha3', 'squeeze_axes'], outputs: [outputs[outputs.length - 1].name] },
    ],
    inputs: [{ name: inputName, elemType: 7, dims: ['batch', 'seq'] }],
    outputs,
    initializers: [
      { name: 'embed.weight', dims: [V, D], floats: embed },
      { name: 'lm_head.weight', dims: [D, V], floats: wOut, asFloatData: true },
      { name: 'gate.weight', dims: [D, 1], floats: wGate },
      { name: 'squeeze_axes', dims: [1], int64s: [2] },
    ],
  });
  return { bytes, vocab: V, d: D, embed, wOut, wGate };
}

/** A model whose run takes long: `repeats` chained [D, D] MatMuls on the same weight (for cancellation tests). */
export function heavyModel(d = 512, repeats = 60): Uint8Array {
  const nodes: NodeSpec[] = [{ op: 'Gather', inputs: ['embed', 'input_ids'], outputs: ['x0'] }];
  for (let i = 0; i < repeats; i++) nodes.push({ op: 'MatMul', inputs: [`x${i}`, 'w'], outputs: [`x${i + 1}`] });
  nodes.push({ op: 'Identity', inputs: [`x${repeats}`], outputs: ['logits'] });
  nodes.push({ op: 'Sigmoid', inputs: [`x${repeats}`], outputs: ['engram_alpha_l0'] });
  return writeModel({
    nodes,
    inputs: [{ name: 'input_ids', elemType: 7, dims: ['batch', 'seq'] }],
    outputs: [{ name: 'logits' }, { name: 'engram_alpha_l0' }],
    initializers: [
      { name: 'embed', dims: [256, d], floats: randomFloats(256 * d, 4) },
      { name: 'w', dims: [d, d], floats: randomFloats(d * d, 5, 1 / Math.sqrt(d)) },
    ],
  });
}
