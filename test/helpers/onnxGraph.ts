// Lookups over a parsed ONNX graph (onnxInfo.ts): initializers by (suffix of) their PyTorch name, through the
// Identity aliases torch.onnx.export adds for de-duplicated weights; constant values; and the Engram N-gram
// hash parameters of models/model.py, recovered from the exported graph's integer arithmetic.
import { initializerFloats, initializerInt64s, type Initializer, type NodeInfo, type OnnxInfo } from '../../language-server/src/onnx/info';

/** One Engram hash: z = (Σ_j x'_{t-j}·mult[j] + add) mod slots + offset (models/model.py hash_ids). */
export interface EngramHash {
  order: number;
  mult: number[];
  add: number;
  slots: number;
  offset: number;
}

const PASS_THROUGH = new Set(['Identity', 'Reshape', 'Unsqueeze', 'Squeeze', 'Cast']);

export class GraphIndex {
  private readonly producers = new Map<string, NodeInfo>();
  private readonly inits = new Map<string, Initializer>();

  constructor(readonly info: OnnxInfo) {
    for (const t of info.initializers) this.inits.set(t.name, t);
    for (const n of info.nodes) for (const o of n.outputs) this.producers.set(o, n);
  }

  producer(name: string): NodeInfo | undefined {
    return this.producers.get(name);
  }

  /** The initializer behind `name`, following Identity nodes. */
  initializer(name: string): Initializer | undefined {
    for (let i = 0; i < 16; i++) {
      const t = this.inits.get(name);
      if (t) return t;
      const p = this.producers.get(name);
      if (p?.opType !== 'Identity') return undefined;
      name = p.inputs[0];
    }
    return undefined;
  }

  /** Names of all graph values that are (aliases of) initializers. */
  *weightNames(): Generator<string> {
    yield* this.inits.keys();
    for (const n of this.info.nodes) if (n.opType === 'Identity' && this.initializer(n.inputs[0])) yield n.outputs[0];
  }

  /** A float32 weight whose name is `suffix` or ends with `.suffix` (e.g. `layers.1.attn.wq.weight`). */
  weight(suffix: string): { dims: number[]; data: Float32Array } {
    for (const name of this.weightNames()) {
      if (name === suffix || name.endsWith(`.${suffix}`)) {
        const t = this.initializer(name)!;
        return { dims: t.dims, data: initializerFloats(t) };
      }
    }
    throw new Error(`the model has no initializer named ${suffix}`);
  }

  hasWeight(suffix: string): boolean {
    for (const name of this.weightNames()) if (name === suffix || name.endsWith(`.${suffix}`)) return true;
    return false;
  }

  /** Numeric values of a constant value (Constant node or initializer), through value-preserving ops. */
  constant(name: string): number[] | undefined {
    for (let i = 0; i < 16; i++) {
      const t = this.inits.get(name) ?? this.producers.get(name)?.value;
      if (t) return t.dataType === 7 ? initializerInt64s(t) : t.dataType === 1 ? Array.from(initializerFloats(t)) : undefined;
      const p = this.producers.get(name);
      if (!p || !PASS_THROUGH.has(p.opType)) return undefined;
      name = p.inputs[0];
    }
    return undefined;
  }

  scalar(name: string): number | undefined {
    const v = this.constant(name);
    return v?.length === 1 ? v[0] : undefined;
  }
}

/** Recovers the hashes of Engram layer `layer` from the graph feeding its table Gather. */
export function engramHashes(g: GraphIndex, layer: number): EngramHash[] {
  const suffix = `layers.${layer}.engram.table.weight`;
  const gather = g.info.nodes.find((n) => n.opType === 'Gather' && g.initializer(n.inputs[0])?.name.endsWith(suffix));
  if (!gather) throw new Error(`no Gather on ${suffix}`);
  const concat = g.producer(gather.inputs[1]);
  if (concat?.opType !== 'Concat') throw new Error(`unexpected ${concat?.opType} feeding ${suffix}`);
  return concat.inputs.map((name) => readHash(g, name));
}

function readHash(g: GraphIndex, name: string): EngramHash {
  let node = g.producer(name);
  while (node && (node.opType === 'Unsqueeze' || node.opType === 'Cast')) node = g.producer(node.inputs[0]);
  let offset = 0;
  if (node?.opType === 'Add') {
    const [a, b] = node.inputs;
    offset = g.scalar(b) ?? fail(`no offset constant in ${node.name}`);
    node = g.producer(a);
  }
  if (node?.opType !== 'Mod') fail(`expected Mod in an Engram hash, found ${node?.opType}`);
  const slots = g.scalar(node.inputs[1]) ?? fail(`no slot count in ${node.name}`);
  // acc = ((x0·m0 + add) + x1·m1) + x2·m2 …, as traced from models/model.py
  const later: number[] = [];
  let acc = g.producer(node.inputs[0]);
  for (; acc?.opType === 'Add'; acc = g.producer(acc.inputs[0])) {
    const addConst = g.scalar(acc.inputs[1]);
    if (addConst !== undefined) {
      const m0 = mulConstant(g, acc.inputs[0]);
      return { order: later.length + 1, mult: [m0, ...later.reverse()], add: addConst, slots, offset };
    }
    later.push(mulConstant(g, acc.inputs[1]));
  }
  return fail(`unexpected ${acc?.opType} in an Engram hash`);
}

function mulConstant(g: GraphIndex, name: string): number {
  const mul = g.producer(name);
  if (mul?.opType !== 'Mul') fail(`expected Mul in an Engram hash, found ${mul?.opType}`);
  return g.scalar(mul.inputs[1]) ?? g.scalar(mul.inputs[0]) ?? fail(`no multiplier constant in ${mul.name}`);
}

function fail(message: string): never {
  throw new Error(message);
}

/** k of the TopK node of an MoE layer (models/model.py MoE), if it can be read from the graph. */
export function moeTopK(g: GraphIndex, layer: number): number | undefined {
  const re = new RegExp(`layers\\.${layer}[./]`);
  const topk = g.info.nodes.find((n) => n.opType === 'TopK' && re.test(n.name));
  return topk ? g.scalar(topk.inputs[1]) : undefined;
}
