// ONNX protobuf message decoders (ModelProto parts) and the types they produce: the one ONNX reader, used by
// onnx/info.ts (validation, gates, parameters) and compile/count.ts (the independent FLOP count).
import { expectWire, fields, pushVarints, str, type Field } from './protobuf';

export const DATA_TYPES: Record<number, string> = {
  0: 'undefined', 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

/** A dimension: a number (dim_value), a string (dim_param, symbolic) or null (unknown). */
export type Dim = number | string | null;

export interface ValueInfo {
  name: string;
  elemType: number;
  elemTypeName: string;
  /** null when the value has no shape at all (rank unknown). */
  dims: Dim[] | null;
}

export interface Initializer {
  name: string;
  dataType: number;
  dataTypeName: string;
  dims: number[];
  /** Element count (product of dims; 1 for scalars). */
  size: number;
  /** True when the data lives in an external file (data_location = EXTERNAL). */
  external: boolean;
  /** Views into the model bytes (no copy). */
  rawData?: Uint8Array;
  floatData?: { bytes: Uint8Array; packed: boolean };
  int64Data?: number[];
}

export interface NodeInfo {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  /** The tensor of a Constant node's `value` attribute. */
  value?: Initializer;
  /** Integer attributes (`i` and `ints`), by name. */
  ints: Record<string, number[]>;
  /** Graph attributes (Scan / Loop / If bodies), by name. */
  graphs: Record<string, GraphInfo>;
}

/** A (sub)graph: its nodes and every value's declared type and shape (inputs, outputs, value_info). */
export interface GraphInfo {
  nodes: NodeInfo[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  valueInfo: ValueInfo[];
}

export interface OnnxInfo {
  byteLength: number;
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: { name: string; version: string };
  graphName: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Initializer[];
  nodes: NodeInfo[];
  /** GraphProto.value_info of the top-level graph (intermediate shapes). */
  valueInfo: ValueInfo[];
  nodeCount: number;
  /** Op type → number of nodes with it (top-level graph only). */
  opTypes: Record<string, number>;
  /** ModelProto.metadata_props (e.g. archlens.model_card from models/export.py). */
  metadata: Record<string, string>;
}


export function readOpset(buf: Uint8Array, m: Field): { domain: string; version: number } {
  expectWire(m, 2, 'opset_import');
  const out = { domain: '', version: 0 };
  for (const f of fields(buf, m.start, m.end)) {
    if (f.num === 1) (expectWire(f, 2, 'opset domain'), (out.domain = str(buf, f)));
    else if (f.num === 2) (expectWire(f, 0, 'opset version'), (out.version = f.value));
  }
  return out;
}

export function readMetadata(buf: Uint8Array, m: Field, out: Record<string, string>): void {
  expectWire(m, 2, 'metadata_props');
  let key = '';
  let value = '';
  for (const f of fields(buf, m.start, m.end)) {
    if (f.num === 1) (expectWire(f, 2, 'metadata key'), (key = str(buf, f)));
    else if (f.num === 2) (expectWire(f, 2, 'metadata value'), (value = str(buf, f)));
  }
  out[key] = value;
}

export function readGraph(buf: Uint8Array, g: Field, info: OnnxInfo): void {
  for (const f of fields(buf, g.start, g.end)) {
    if (f.num === 1) info.nodes.push(readNode(buf, f));
    else if (f.num === 2) (expectWire(f, 2, 'graph name'), (info.graphName = str(buf, f)));
    else if (f.num === 5) info.initializers.push(readTensor(buf, f));
    else if (f.num === 11) info.inputs.push(readValueInfo(buf, f));
    else if (f.num === 12) info.outputs.push(readValueInfo(buf, f));
    else if (f.num === 13) info.valueInfo.push(readValueInfo(buf, f));
  }
}

/** A graph attribute's body (initializers of subgraphs are not used by Archlens). */
function readSubgraph(buf: Uint8Array, g: Field): GraphInfo {
  expectWire(g, 2, 'graph');
  const out: GraphInfo = { nodes: [], inputs: [], outputs: [], valueInfo: [] };
  for (const f of fields(buf, g.start, g.end)) {
    if (f.num === 1) out.nodes.push(readNode(buf, f));
    else if (f.num === 11) out.inputs.push(readValueInfo(buf, f));
    else if (f.num === 12) out.outputs.push(readValueInfo(buf, f));
    else if (f.num === 13) out.valueInfo.push(readValueInfo(buf, f));
  }
  return out;
}

function readNode(buf: Uint8Array, m: Field): NodeInfo {
  expectWire(m, 2, 'node');
  const n: NodeInfo = { opType: '', domain: '', name: '', inputs: [], outputs: [], ints: {}, graphs: {} };
  for (const f of fields(buf, m.start, m.end)) {
    if (f.num === 1) (expectWire(f, 2, 'node input'), n.inputs.push(str(buf, f)));
    else if (f.num === 2) (expectWire(f, 2, 'node output'), n.outputs.push(str(buf, f)));
    else if (f.num === 3) (expectWire(f, 2, 'node name'), (n.name = str(buf, f)));
    else if (f.num === 4) (expectWire(f, 2, 'op_type'), (n.opType = str(buf, f)));
    else if (f.num === 7) (expectWire(f, 2, 'node domain'), (n.domain = str(buf, f)));
    else if (f.num === 5) readAttribute(buf, f, n);
  }
  return n;
}

/** Keeps what Archlens uses: a Constant's `value` tensor, integer attributes and subgraphs. */
function readAttribute(buf: Uint8Array, m: Field, n: NodeInfo): void {
  expectWire(m, 2, 'attribute');
  let name = '';
  let tensor: Field | undefined;
  let graph: Field | undefined;
  const ints: number[] = [];
  for (const f of fields(buf, m.start, m.end)) {
    if (f.num === 1) (expectWire(f, 2, 'attribute name'), (name = str(buf, f)));
    else if (f.num === 5) tensor = f;
    else if (f.num === 6) graph = f;
    else if (f.num === 3) (expectWire(f, 0, 'attribute i'), ints.push(f.value));
    else if (f.num === 8) pushVarints(buf, f, ints, 'attribute ints');
  }
  if (name === 'value' && tensor) n.value = readTensor(buf, tensor);
  if (graph) n.graphs[name] = readSubgraph(buf, graph);
  else if (ints.length) n.ints[name] = ints;
}

function readValueInfo(buf: Uint8Array, m: Field): ValueInfo {
  expectWire(m, 2, 'value_info');
  const v: ValueInfo = { name: '', elemType: 0, elemTypeName: 'undefined', dims: null };
  for (const f of fields(buf, m.start, m.end)) {
    if (f.num === 1) (expectWire(f, 2, 'value name'), (v.name = str(buf, f)));
    else if (f.num === 2) {
      expectWire(f, 2, 'type');
      // TypeProto.tensor_type (1) → elem_type (1), shape (2)
      for (const t of fields(buf, f.start, f.end)) {
        if (t.num !== 1 || t.wire !== 2) continue;
        for (const tt of fields(buf, t.start, t.end)) {
          if (tt.num === 1) (expectWire(tt, 0, 'elem_type'), (v.elemType = tt.value));
          else if (tt.num === 2) (expectWire(tt, 2, 'shape'), (v.dims = readShape(buf, tt)));
        }
      }
    }
  }
  v.elemTypeName = DATA_TYPES[v.elemType] ?? `type ${v.elemType}`;
  return v;
}

function readShape(buf: Uint8Array, m: Field): Dim[] {
  const dims: Dim[] = [];
  for (const f of fields(buf, m.start, m.end)) {
    if (f.num !== 1) continue;
    expectWire(f, 2, 'dim');
    let d: Dim = null;
    for (const x of fields(buf, f.start, f.end)) {
      if (x.num === 1) (expectWire(x, 0, 'dim_value'), (d = x.value));
      else if (x.num === 2) (expectWire(x, 2, 'dim_param'), (d = str(buf, x)));
    }
    dims.push(d);
  }
  return dims;
}

function readTensor(buf: Uint8Array, m: Field): Initializer {
  expectWire(m, 2, 'initializer');
  const t: Initializer = { name: '', dataType: 0, dataTypeName: '', dims: [], size: 1, external: false };
  for (const f of fields(buf, m.start, m.end)) {
    if (f.num === 1) pushVarints(buf, f, t.dims, 'dims');
    else if (f.num === 2) (expectWire(f, 0, 'data_type'), (t.dataType = f.value));
    else if (f.num === 8) (expectWire(f, 2, 'tensor name'), (t.name = str(buf, f)));
    else if (f.num === 9) (expectWire(f, 2, 'raw_data'), (t.rawData = buf.subarray(f.start, f.end)));
    else if (f.num === 4) t.floatData = appendFloats(buf, f, t.floatData);
    else if (f.num === 14) (expectWire(f, 0, 'data_location'), (t.external = f.value === 1));
    else if (f.num === 7) pushVarints(buf, f, (t.int64Data ??= []), 'int64_data');
  }
  t.dataTypeName = DATA_TYPES[t.dataType] ?? `type ${t.dataType}`;
  t.size = t.dims.reduce((a, b) => a * b, 1);
  return t;
}

function appendFloats(buf: Uint8Array, f: Field, prev: Initializer['floatData']): Initializer['floatData'] {
  if (f.wire === 2 && !prev) return { bytes: buf.subarray(f.start, f.end), packed: true };
  if (f.wire !== 5 && f.wire !== 2) expectWire(f, 5, 'float_data');
  // Unpacked (or several packed runs): rare; copy into one contiguous buffer.
  const extra = buf.subarray(f.start, f.end);
  const old = prev?.bytes ?? new Uint8Array(0);
  const joined = new Uint8Array(old.length + extra.length);
  joined.set(old);
  joined.set(extra, old.length);
  return { bytes: joined, packed: true };
}
