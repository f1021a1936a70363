/**
 * A small ONNX protobuf WRITER (no dependencies): ModelProto with one graph, opset 17+ and IR 8 by default.
 * Field numbers follow onnx.proto: ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto. Float tensors are written as raw_data (little-endian float32), int64 tensors as raw_data
 * too; attributes cover int, float, ints, floats, string, tensor and graph (Scan / Loop bodies).
 * The reader in extension/inference/onnxInfo.ts reads the result back (test/unit/compile-writer.test.ts).
 */

export type Dim = number | string;

/** Protobuf message under construction: a list of byte chunks. */
export class Pb {
  private chunks: Uint8Array[] = [];
  private size = 0;
  varint(num: number, v: number | bigint): this {
    this.tag(num, 0);
    return this.push(encodeVarint(v));
  }
  bytes(num: number, b: Uint8Array): this {
    this.tag(num, 2);
    this.push(encodeVarint(b.length));
    return this.push(b);
  }
  string(num: number, s: string): this {
    return this.bytes(num, new TextEncoder().encode(s));
  }
  float(num: number, v: number): this {
    this.tag(num, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.push(b);
  }
  message(num: number, m: Pb): this {
    return this.bytes(num, m.finish());
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
  private tag(num: number, wire: number): void {
    this.push(encodeVarint(num * 8 + wire));
  }
  private push(b: Uint8Array | number[]): this {
    const u = b instanceof Uint8Array ? b : Uint8Array.from(b);
    this.chunks.push(u);
    this.size += u.length;
    return this;
  }
}

/** Varint of a (possibly negative, two's-complement 64-bit) integer. */
export function encodeVarint(v: number | bigint): number[] {
  const out: number[] = [];
  let n = BigInt.asUintN(64, BigInt(v));
  do {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n ? byte | 0x80 : byte);
  } while (n);
  return out;
}

export const FLOAT = 1;
export const INT64 = 7;
export const BOOL = 9;

export interface TensorSpec {
  readonly name: string;
  readonly dims: readonly number[];
  readonly floats?: Float32Array;
  readonly int64s?: readonly number[];
  readonly bools?: readonly boolean[];
  /** Write floats as packed `float_data` (field 4) instead of `raw_data`; ONNX readers accept both. */
  readonly floatData?: boolean;
}

export function tensorProto(t: TensorSpec): Pb {
  const m = new Pb();
  for (const d of t.dims) m.varint(1, d);
  if (t.int64s) {
    m.varint(2, INT64).string(8, t.name);
    const b = new BigInt64Array(t.int64s.map((x) => BigInt(x)));
    return m.bytes(9, littleEndian(new Uint8Array(b.buffer), 8));
  }
  if (t.bools) return m.varint(2, BOOL).string(8, t.name).bytes(9, Uint8Array.from(t.bools.map((b) => (b ? 1 : 0))));
  const f = t.floats ?? new Float32Array(0);
  return m.varint(2, FLOAT).string(8, t.name).bytes(t.floatData ? 4 : 9, littleEndian(new Uint8Array(f.buffer, f.byteOffset, f.byteLength), 4));
}

const LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function littleEndian(b: Uint8Array, width: number): Uint8Array {
  if (LE) return b;
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i += width) for (let j = 0; j < width; j++) out[i + j] = b[i + width - 1 - j];
  return out;
}

export interface ValueSpec {
  readonly name: string;
  /** 1 float32 (default), 7 int64, 9 bool. */
  readonly elemType?: number;
  /** Omitted: a value with no shape (onnxruntime infers it). */
  readonly dims?: readonly Dim[];
}

export function valueInfoProto(v: ValueSpec): Pb {
  const tensorType = new Pb().varint(1, v.elemType ?? FLOAT);
  if (v.dims) {
    const shape = new Pb();
    for (const d of v.dims) shape.message(1, typeof d === 'number' ? new Pb().varint(1, d) : new Pb().string(2, d));
    tensorType.message(2, shape);
  }
  return new Pb().string(1, v.name).message(2, new Pb().message(1, tensorType));
}

export type AttrValue =
  | { readonly int: number } | { readonly float: number } | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] } | { readonly string: string } | { readonly tensor: TensorSpec }
  | { readonly graph: GraphSpec };

// AttributeProto.type values.
const A_FLOAT = 1, A_INT = 2, A_STRING = 3, A_TENSOR = 4, A_GRAPH = 5, A_FLOATS = 6, A_INTS = 7;

export function attributeProto(name: string, v: AttrValue): Pb {
  const a = new Pb().string(1, name);
  if ('int' in v) return a.varint(3, v.int).varint(20, A_INT);
  if ('float' in v) return a.float(2, v.float).varint(20, A_FLOAT);
  if ('ints' in v) { v.ints.forEach((x) => a.varint(8, x)); return a.varint(20, A_INTS); }
  if ('floats' in v) { v.floats.forEach((x) => a.float(7, x)); return a.varint(20, A_FLOATS); }
  if ('string' in v) return a.string(4, v.string).varint(20, A_STRING);
  if ('tensor' in v) return a.message(5, tensorProto(v.tensor)).varint(20, A_TENSOR);
  return a.message(6, graphProto(v.graph)).varint(20, A_GRAPH);
}

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly domain?: string;
}

export interface GraphSpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly initializers: readonly TensorSpec[];
  readonly valueInfo?: readonly ValueSpec[];
}

export function graphProto(s: GraphSpec): Pb {
  const g = new Pb();
  s.nodes.forEach((n, i) => {
    const node = new Pb();
    n.inputs.forEach((x) => node.string(1, x));
    n.outputs.forEach((x) => node.string(2, x));
    node.string(3, n.name ?? `${n.op}_${i}`).string(4, n.op);
    for (const [k, v] of Object.entries(n.attrs ?? {})) node.message(5, attributeProto(k, v));
    if (n.domain) node.string(7, n.domain);
    g.message(1, node);
  });
  g.string(2, s.name);
  s.initializers.forEach((t) => g.message(5, tensorProto(t)));
  s.inputs.forEach((v) => g.message(11, valueInfoProto(v)));
  s.outputs.forEach((v) => g.message(12, valueInfoProto(v)));
  (s.valueInfo ?? []).forEach((v) => g.message(13, valueInfoProto(v)));
  return g;
}

export interface ModelSpec {
  readonly graph: GraphSpec;
  readonly irVersion?: number;
  readonly opset?: number;
  readonly producer?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export function writeModel(s: ModelSpec): Uint8Array {
  const m = new Pb()
    .varint(1, s.irVersion ?? 8)
    .string(2, s.producer ?? 'archlens')
    .string(3, '1')
    .message(7, graphProto(s.graph))
    .message(8, new Pb().string(1, '').varint(2, s.opset ?? 17));
  for (const [k, v] of Object.entries(s.metadata ?? {})) m.message(14, new Pb().string(1, k).string(2, v));
  return m.finish();
}
