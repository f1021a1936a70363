// Reads the parts of an ONNX ModelProto that Archlens needs (no dependencies): IR version, opsets, graph
// inputs/outputs, initializers (with zero-copy access to their float data), nodes; and validates a model
// against the gate naming convention of docs/gates.md.
import { expectWire, fields, ProtobufError, str } from './protobuf';
import { readGraph, readMetadata, readOpset, type Initializer, type OnnxInfo } from './reader';
import { GATE_KINDS, parseGateName, type GateKind } from './gates';

export { DATA_TYPES, type Dim, type GraphInfo, type Initializer, type NodeInfo, type OnnxInfo, type ValueInfo } from './reader';

/** Parses an ONNX ModelProto. Throws ProtobufError (with a byte offset) on malformed input. */
export function readOnnxInfo(bytes: Uint8Array): OnnxInfo {
  const info: OnnxInfo = {
    byteLength: bytes.length, irVersion: 0, opsets: [], producer: { name: '', version: '' }, graphName: '',
    inputs: [], outputs: [], initializers: [], nodes: [], valueInfo: [], nodeCount: 0, opTypes: {}, metadata: {},
  };
  let sawGraph = false;
  for (const f of fields(bytes, 0, bytes.length)) {
    if (f.num === 1) (expectWire(f, 0, 'ir_version'), (info.irVersion = f.value));
    else if (f.num === 2) (expectWire(f, 2, 'producer_name'), (info.producer.name = str(bytes, f)));
    else if (f.num === 3) (expectWire(f, 2, 'producer_version'), (info.producer.version = str(bytes, f)));
    else if (f.num === 8) info.opsets.push(readOpset(bytes, f));
    else if (f.num === 14) readMetadata(bytes, f, info.metadata);
    else if (f.num === 7) {
      expectWire(f, 2, 'graph');
      readGraph(bytes, f, info);
      sawGraph = true;
    }
  }
  if (!sawGraph) throw new ProtobufError('no graph in the model', bytes.length);
  info.nodeCount = info.nodes.length;
  for (const n of info.nodes) info.opTypes[n.opType] = (info.opTypes[n.opType] ?? 0) + 1;
  return info;
}

/** The float32 values of an initializer (copied, so the result is aligned). */
export function initializerFloats(t: Initializer): Float32Array {
  if (t.dataType !== 1) throw new Error(`initializer ${t.name} is ${t.dataTypeName}, not float32`);
  if (t.external) throw new Error(`initializer ${t.name} stores its data in an external file`);
  const src = t.rawData ?? t.floatData?.bytes;
  if (!src) return new Float32Array(t.size);
  if (src.length !== t.size * 4) {
    throw new Error(`initializer ${t.name}: ${src.length} bytes of data for ${t.size} float32 values`);
  }
  const out = new Float32Array(t.size);
  new Uint8Array(out.buffer).set(src);
  if (!littleEndianHost) new Uint32Array(out.buffer).forEach((v, i, a) => (a[i] = swap32(v)));
  return out;
}

/** The values of an int64 initializer or Constant (exact up to 2^53). */
export function initializerInt64s(t: Initializer): number[] {
  if (t.dataType !== 7) throw new Error(`tensor ${t.name} is ${t.dataTypeName}, not int64`);
  if (t.int64Data) return t.int64Data;
  const src = t.rawData ?? new Uint8Array(0);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  return Array.from({ length: src.length >> 3 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/**
 * Total number of elements over all initializers (optionally only float ones): the parameter count.
 * torch.onnx.export stores weights with identical values once and adds Identity nodes for the others
 * (e.g. freshly initialised RMSNorm weights); those aliases are counted too unless `countAliases` is false.
 */
export function parameterCount(info: OnnxInfo, opts: { floatOnly?: boolean; countAliases?: boolean } = {}): number {
  const float = new Set([1, 10, 11, 16]);
  const byName = new Map(info.initializers.map((t) => [t.name, t]));
  const aliases = opts.countAliases === false ? [] : info.nodes.filter((n) => n.opType === 'Identity' && byName.has(n.inputs[0]));
  const tensors = [...info.initializers, ...aliases.map((n) => byName.get(n.inputs[0])!)];
  return tensors.filter((t) => !opts.floatOnly || float.has(t.dataType)).reduce((a, t) => a + t.size, 0);
}

export { ProtobufError };

// ---- validation against docs/gates.md ----

export { GATE_KINDS, type GateKind } from './gates';
export interface Gate {
  kind: GateKind;
  layer: number;
  /** 1 for `…_l{i}_b`, 2 for `_c`, …; absent for the first gate of its kind in the layer. */
  index?: number;
  name: string;
}
export interface ValidateOptions {
  /** Largest accepted model in bytes (default 200 MiB). */
  maxBytes?: number;
}
export type Validation = { ok: true; info: OnnxInfo; gates: Gate[] } | { ok: false; message: string };

const MB = 1024 * 1024;

/** Parses gate outputs (`engram_alpha_l0`, …) out of a list of output names, sorted by kind then layer. */
export function parseGates(names: string[]): Gate[] {
  const gates: Gate[] = [];
  for (const name of names) {
    const g = parseGateName(name);
    if (g) gates.push({ ...g, name });
  }
  const order = (g: Gate) => GATE_KINDS.indexOf(g.kind);
  return gates.sort((a, b) => order(a) - order(b) || a.layer - b.layer || (a.index ?? 0) - (b.index ?? 0));
}

/** Checks that `bytes` is an ONNX model Archlens can run and visualize; never throws. */
export function validateModel(bytes: Uint8Array, opts: ValidateOptions = {}): Validation {
  const tooBig = sizeProblem(bytes.length, opts.maxBytes);
  if (tooBig) return fail(tooBig);
  let info: OnnxInfo;
  try {
    info = readOnnxInfo(bytes);
  } catch (e) {
    const what = e instanceof ProtobufError ? e.message : String(e);
    return fail(`not a valid ONNX model (corrupt or truncated protobuf): ${what}`);
  }
  const problem = checkVersions(info) ?? checkIo(info);
  if (problem) return fail(problem);
  const gates = parseGates(info.outputs.map((o) => o.name));
  if (gates.length === 0) {
    const looked = GATE_KINDS.map((k) => `${k}_l{i}`).join(', ');
    return fail(`the model has no gate outputs: looked for ${looked}; its outputs are ${names(info.outputs)}`);
  }
  return { ok: true, info, gates };
}

/** The message for a file size that is empty or over the limit (default 200 MiB), else undefined. */
export function sizeProblem(size: number, maxBytes = 200 * MB): string | undefined {
  if (size === 0) return 'the file is empty';
  if (size > maxBytes) return `the model is ${(size / MB).toFixed(1)} MiB, over the limit of ${(maxBytes / MB).toFixed(1)} MiB`;
  return undefined;
}

function checkVersions(info: OnnxInfo): string | undefined {
  if (info.irVersion < 3 || info.irVersion > 13) {
    return `unsupported ONNX IR version ${info.irVersion} (supported: 3 to 13)`;
  }
  const main = info.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!main) return 'the model imports no ai.onnx opset';
  if (main.version < 7 || main.version > 26) return `unsupported ai.onnx opset ${main.version} (supported: 7 to 26)`;
  return undefined;
}

function checkIo(info: OnnxInfo): string | undefined {
  const input = info.inputs.find((i) => i.name === 'input_ids');
  if (!input) return `the model has no input named input_ids (int64 [batch, tokens]); its inputs are ${names(info.inputs)}`;
  if (input.elemType !== 0 && input.elemType !== 7) return `input_ids must be int64, found ${input.elemTypeName}`;
  if (!info.outputs.some((o) => o.name === 'logits')) {
    return `the model has no output named logits; its outputs are ${names(info.outputs)}`;
  }
  return undefined;
}

function names(list: { name: string }[]): string {
  return list.length ? list.map((v) => v.name).join(', ') : '(none)';
}

function fail(message: string): Validation {
  return { ok: false, message };
}
