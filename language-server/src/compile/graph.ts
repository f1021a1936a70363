/**
 * GraphBuilder: emits ONNX nodes with shape tracking (every tensor's static shape is known, written as
 * value_info so the independent counter in count.ts can read MatMul/Conv shapes back from the bytes).
 * Naming: parameters are `<scope>/<name>` (e.g. `l3.attention/wq`); constants that are not parameters carry a
 * `const/` prefix (count.ts excludes them). Weights are seeded (mulberry32) and deterministic.
 * Node-name markers read by count.ts (see there): `#mac` (an elementwise product with the recurrent state that
 * the cost engine counts as a multiply-add), `#mask=<const>` (a score/AV MatMul whose visible pairs are the
 * zeros of that additive mask), `#routed` (a routed-expert MatMul, counted as top_k/E of its MACs).
 */
import { checkElements, checkNodes, checkShape } from './limits';
import { FLOAT, INT64, writeModel, type AttrValue, type GraphSpec, type NodeSpec, type TensorSpec, type ValueSpec } from '../onnx/writer';

export interface Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: number;
}

/** Deterministic PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Init = { readonly normal: number } | { readonly fill: number } | { readonly uniform: readonly [number, number] };

interface Shared {
  readonly rng: () => number;
  readonly inits: TensorSpec[];
  readonly names: Map<string, number>;
  readonly constCache: Map<string, Tensor>;
  /** Tensor names read by any node (unused `const/` initializers are left out of the graph). */
  readonly used: Set<string>;
  /** Parameters of shared-weight blocks by `<share key>/<ordinal>` (see `sharing`). */
  readonly reused: Map<string, Tensor>;
  /** ONNX nodes emitted so far by this graph and its subgraphs (bounded by MAX_GRAPH_NODES). */
  nodeCount: number;
  /** While set, `param` returns the tensor made under the same key and ordinal, if any, instead of a new one. */
  sharing?: { readonly key: string; next: number };
}

export function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/**
 * Constants up to this many elements are shared by value; a longer one's key (≥ 2 characters per element) would
 * pass the 4096-character cache limit anyway, so it is never built (joining a 10^8-element mask is a string of GBs).
 */
const KEYED = 2048;

export const numel = (s: readonly number[]): number => s.reduce((p, x) => p * x, 1);

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly inputs: ValueSpec[] = [];
  readonly outputs: ValueSpec[] = [];
  readonly values = new Map<string, Tensor>();
  private scopes: string[] = [];
  private readonly shared: Shared;

  constructor(seed: number, parent?: GraphBuilder) {
    this.shared = parent ? parent.shared : { rng: mulberry32(seed), inits: [], names: new Map(), constCache: new Map(), used: new Set(), reused: new Map(), nodeCount: 0 };
    if (parent) this.scopes = [...parent.scopes];
  }

  get scope(): string { return this.scopes.join('.'); }

  within<R>(name: string, fn: () => R): R {
    this.scopes.push(name);
    try { return fn(); } finally { this.scopes.pop(); }
  }

  /** A unique tensor/node name under the current scope. */
  fresh(base: string): string {
    const full = this.scope ? `${this.scope}/${base}` : base;
    const n = this.shared.names.get(full) ?? 0;
    this.shared.names.set(full, n + 1);
    return n === 0 ? full : `${full}_${n}`;
  }

  input(name: string, shape: readonly number[], type = FLOAT): Tensor {
    checkElements(numel(shape), `input '${name}' [${shape.join(', ')}]`);
    checkShape(shape, `input '${name}'`);
    const t = { name, shape, type };
    this.inputs.push({ name, elemType: type, dims: shape });
    this.values.set(name, t);
    return t;
  }

  output(t: Tensor, name: string): Tensor {
    const out = t.name === name ? t : this.op('Identity', [t], t.shape, {}, { out: name, type: t.type });
    this.outputs.push({ name, elemType: t.type, dims: out.shape });
    return out;
  }

  /**
   * Runs `fn` with weight sharing under `key`: the k-th parameter it asks for is the k-th parameter made by an
   * earlier run under the same key (a repetition of a `shared` block reuses its initializers).
   */
  sharingWeights<R>(key: string | undefined, fn: () => R): R {
    const saved = this.shared.sharing;
    this.shared.sharing = key === undefined ? undefined : { key, next: 0 };
    try { return fn(); } finally { this.shared.sharing = saved; }
  }

  /** A trainable parameter (float32 initializer) named `<scope>/<name>`. */
  param(name: string, shape: readonly number[], init: Init): Tensor {
    const s = this.shared.sharing;
    const key = s ? `${s.key}/${s.next++}` : undefined;
    const hit = key === undefined ? undefined : this.shared.reused.get(key);
    if (hit) return hit;
    const t = this.newParam(name, shape, init);
    if (key !== undefined) this.shared.reused.set(key, t);
    return t;
  }

  private newParam(name: string, shape: readonly number[], init: Init): Tensor {
    checkElements(numel(shape), `parameter '${name}' [${shape.join(', ')}]`);
    checkShape(shape, `parameter '${name}'`);
    const full = this.fresh(name);
    const data = new Float32Array(numel(shape));
    const rng = this.shared.rng;
    if ('fill' in init) data.fill(init.fill);
    else if ('uniform' in init) for (let i = 0; i < data.length; i++) data[i] = init.uniform[0] + (init.uniform[1] - init.uniform[0]) * rng();
    else for (let i = 0; i < data.length; i++) data[i] = (rng() * 2 - 1) * init.normal * Math.sqrt(3);
    return this.addInit({ name: full, dims: shape, floats: data }, FLOAT);
  }

  /** A float constant that is not a parameter (`const/…`); identical constants are shared. */
  constF(data: readonly number[] | Float32Array, shape: readonly number[], label = 'f'): Tensor {
    checkElements(data.length, `constant '${label}' [${shape.join(', ')}]`);
    return this.constant(label, shape, FLOAT, () => ({ floats: Float32Array.from(data) }), data.length <= KEYED ? `f${shape}:${Array.from(data).join(',')}` : '');
  }

  constI(data: readonly number[], shape: readonly number[] = [data.length], label = 'i'): Tensor {
    checkElements(data.length, `constant '${label}' [${shape.join(', ')}]`);
    return this.constant(label, shape, INT64, () => ({ int64s: data }), data.length <= KEYED ? `i${shape}:${data.join(',')}` : '');
  }

  scalar(v: number): Tensor { return this.constF([v], [], 's'); }

  private constant(label: string, shape: readonly number[], type: number, data: () => Partial<TensorSpec>, key: string): Tensor {
    const keyed = key.length > 0 && key.length < 4096;
    const hit = keyed ? this.shared.constCache.get(key) : undefined;
    if (hit) return hit;
    const n = this.shared.names.get(`const/${label}`) ?? 0;
    this.shared.names.set(`const/${label}`, n + 1);
    const t = this.addInit({ name: `const/${label}_${n}`, dims: shape, ...data() }, type);
    if (keyed) this.shared.constCache.set(key, t);
    return t;
  }

  private addInit(spec: TensorSpec, type: number): Tensor {
    this.shared.inits.push(spec);
    return { name: spec.name, shape: spec.dims, type };
  }

  /** Emits one node with one (or `outs`) outputs of known shape. `tag` is appended to the node name. */
  op(opType: string, inputs: readonly (Tensor | string)[], shape: readonly number[], attrs: Record<string, AttrValue> = {},
     o: { type?: number; out?: string; tag?: string } = {}): Tensor {
    checkNodes(++this.shared.nodeCount, 'the number of ONNX nodes');
    checkShape(shape, `the output of ${opType}`);
    const name = o.out ?? this.fresh(opType.toLowerCase());
    const t: Tensor = { name, shape, type: o.type ?? FLOAT };
    this.use(inputs);
    this.nodes.push({
      op: opType, inputs: inputs.map((x) => (typeof x === 'string' ? x : x.name)), outputs: [name], attrs,
      name: `${name}${o.tag ? ` ${o.tag}` : ''}`,
    });
    this.values.set(name, t);
    return t;
  }

  /** A node with several outputs. */
  multi(opType: string, inputs: readonly (Tensor | string)[], outs: readonly { shape: readonly number[]; type?: number }[],
        attrs: Record<string, AttrValue> = {}, tag?: string): Tensor[] {
    checkNodes(++this.shared.nodeCount, 'the number of ONNX nodes');
    const base = this.fresh(opType.toLowerCase());
    const ts = outs.map((o, i) => ({ name: `${base}:${i}`, shape: o.shape, type: o.type ?? FLOAT }));
    this.use(inputs);
    this.nodes.push({ op: opType, inputs: inputs.map((x) => (typeof x === 'string' ? x : x.name)), outputs: ts.map((t) => t.name), attrs, name: `${base}${tag ? ` ${tag}` : ''}` });
    ts.forEach((t) => this.values.set(t.name, t));
    return ts;
  }

  /** Adds every intermediate tensor of this graph as an output (tests compare their run-time shapes with value_info). */
  exposeIntermediates(): void {
    const inits = new Set(this.shared.inits.map((t) => t.name));
    const skip = new Set([...this.inputs.map((v) => v.name), ...this.outputs.map((v) => v.name)]);
    for (const t of this.values.values()) if (!skip.has(t.name) && !inits.has(t.name)) this.outputs.push({ name: t.name, elemType: t.type, dims: t.shape });
  }

  private use(inputs: readonly (Tensor | string)[]): void {
    for (const x of inputs) this.shared.used.add(typeof x === 'string' ? x : x.name);
  }

  /** Value infos of every intermediate tensor (not inputs, outputs or initializers). */
  valueInfos(): ValueSpec[] {
    const skip = new Set([...this.inputs.map((v) => v.name), ...this.outputs.map((v) => v.name)]);
    return [...this.values.values()].filter((t) => !skip.has(t.name)).map((t) => ({ name: t.name, elemType: t.type, dims: t.shape }));
  }

  /** The graph of this builder; the root graph carries every initializer. */
  graph(name: string, root: boolean): GraphSpec {
    return { name, nodes: this.nodes, inputs: this.inputs, outputs: this.outputs, initializers: root ? this.shared.inits.filter((t) => !t.name.startsWith('const/') || this.shared.used.has(t.name)) : [], valueInfo: this.valueInfos() };
  }

  get initializers(): readonly TensorSpec[] { return this.shared.inits; }

  serialize(name: string, metadata?: Record<string, string>): Uint8Array {
    return writeModel({ graph: this.graph(name, true), metadata });
  }
}
