/** Shape-checked ONNX op helpers over a GraphBuilder (opset 17 forms: ReduceMean axes attribute, ReduceSum axes input). */
import { broadcast, numel, type GraphBuilder, type Init, type Tensor } from '../graph';
import { checkElements } from '../limits';
import { INT64 } from '../../onnx/writer';

export type G = GraphBuilder;

const last = (s: readonly number[]): number => s[s.length - 1];
const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

export function matmul(g: G, a: Tensor, b: Tensor, tag?: string): Tensor {
  if (last(a.shape) !== b.shape[b.shape.length - 2]) throw new Error(`MatMul [${a.shape}] × [${b.shape}]`);
  const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return g.op('MatMul', [a, b], [...batch, a.shape[a.shape.length - 2], last(b.shape)], {}, { tag });
}

function binary(op: string) {
  return (g: G, a: Tensor, b: Tensor, tag?: string): Tensor => g.op(op, [a, b], broadcast(a.shape, b.shape), {}, { tag, type: a.type });
}
export const add = binary('Add');
export const sub = binary('Sub');
export const mul = binary('Mul');
export const div = binary('Div');
export const pow = binary('Pow');

export function unary(g: G, op: string, x: Tensor, attrs: Record<string, { float: number } | { int: number }> = {}): Tensor {
  return g.op(op, [x], x.shape, attrs, { type: x.type });
}

export function softmax(g: G, x: Tensor, axis = -1): Tensor {
  return g.op('Softmax', [x], x.shape, { axis: { int: axis } });
}

export function reshape(g: G, x: Tensor, shape: readonly number[]): Tensor {
  if (numel(shape) !== numel(x.shape)) throw new Error(`Reshape [${x.shape}] → [${shape}]`);
  return g.op('Reshape', [x, g.constI(shape)], shape, {}, { type: x.type });
}

export function transpose(g: G, x: Tensor, perm: readonly number[]): Tensor {
  return g.op('Transpose', [x], perm.map((p) => x.shape[p]), { perm: { ints: perm } }, { type: x.type });
}

export function concat(g: G, xs: readonly Tensor[], axis: number): Tensor {
  const ax = norm(axis, xs[0].shape.length);
  const shape = [...xs[0].shape];
  shape[ax] = xs.reduce((s, t) => s + t.shape[ax], 0);
  return g.op('Concat', xs, shape, { axis: { int: ax } }, { type: xs[0].type });
}

export function slice(g: G, x: Tensor, axis: number, start: number, end: number): Tensor {
  const ax = norm(axis, x.shape.length);
  const shape = [...x.shape];
  shape[ax] = end - start;
  return g.op('Slice', [x, g.constI([start]), g.constI([end]), g.constI([ax])], shape, {}, { type: x.type });
}

export function reduceMean(g: G, x: Tensor, axes: readonly number[], keep = true): Tensor {
  const ax = axes.map((a) => norm(a, x.shape.length));
  const shape = keep ? x.shape.map((s, i) => (ax.includes(i) ? 1 : s)) : x.shape.filter((_, i) => !ax.includes(i));
  return g.op('ReduceMean', [x], shape, { axes: { ints: ax }, keepdims: { int: keep ? 1 : 0 } });
}

export function reduceSum(g: G, x: Tensor, axes: readonly number[], keep = true): Tensor {
  const ax = axes.map((a) => norm(a, x.shape.length));
  const shape = keep ? x.shape.map((s, i) => (ax.includes(i) ? 1 : s)) : x.shape.filter((_, i) => !ax.includes(i));
  return g.op('ReduceSum', [x, g.constI(ax)], shape, { keepdims: { int: keep ? 1 : 0 } }, { type: x.type });
}

export function gather(g: G, table: Tensor, idx: Tensor, axis = 0): Tensor {
  const shape = [...table.shape.slice(0, axis), ...idx.shape, ...table.shape.slice(axis + 1)];
  return g.op('Gather', [table, idx], shape, { axis: { int: axis } }, { type: table.type });
}

export function expand(g: G, x: Tensor, shape: readonly number[]): Tensor {
  return g.op('Expand', [x, g.constI(shape)], broadcast(x.shape, shape), {}, { type: x.type });
}

/** Dense projection: `x · W (+ b)` with W [din, dout] named `name`. */
export function linear(g: G, x: Tensor, dout: number, name: string, bias = false, init?: Init): Tensor {
  const din = last(x.shape);
  const w = g.param(name, [din, dout], init ?? { normal: 1 / Math.sqrt(din) });
  const y = matmul(g, x, w);
  return bias ? add(g, y, g.param(`${name}_bias`, [dout], { normal: 0.02 })) : y;
}

/** x / sqrt(mean(x², last axis) + eps), times `weight` when given. */
export function rmsnorm(g: G, x: Tensor, weight?: Tensor, axes: readonly number[] = [-1]): Tensor {
  const ms = reduceMean(g, mul(g, x, x), axes);
  const y = div(g, x, unary(g, 'Sqrt', add(g, ms, g.scalar(1e-6))));
  return weight ? mul(g, y, weight) : y;
}

export function layernorm(g: G, x: Tensor, weight?: Tensor, bias?: Tensor): Tensor {
  const c = sub(g, x, reduceMean(g, x, [-1]));
  const y = rmsnorm(g, c);
  const w = weight ? mul(g, y, weight) : y;
  return bias ? add(g, w, bias) : w;
}

export function silu(g: G, x: Tensor): Tensor { return mul(g, x, unary(g, 'Sigmoid', x)); }

export function activation(g: G, x: Tensor, act: string): Tensor {
  switch (act) {
    case 'relu': return unary(g, 'Relu', x);
    case 'relu2': { const r = unary(g, 'Relu', x); return mul(g, r, r); }
    case 'silu': return silu(g, x);
    case 'sigmoid': return unary(g, 'Sigmoid', x);
    case 'tanh': return unary(g, 'Tanh', x);
    default: { // gelu (erf form)
      const e = unary(g, 'Erf', mul(g, x, g.scalar(Math.SQRT1_2)));
      return mul(g, mul(g, x, g.scalar(0.5)), add(g, e, g.scalar(1)));
    }
  }
}

/** Adapts the last axis to `width`: slices when wider, tiles (concat of copies) when narrower. */
export function fit(g: G, x: Tensor, width: number): Tensor {
  const w = last(x.shape);
  if (w === width) return x;
  if (w > width) return slice(g, x, -1, 0, width);
  checkElements((numel(x.shape) / w) * width, `a tiled tensor of width ${width}`);
  const copies = Array.from({ length: Math.ceil(width / w) }, () => x);
  return slice(g, concat(g, copies, -1), -1, 0, width);
}

/**
 * `prepadded`: x already starts with the (k−1)·dilation positions of history (decode state), no padding.
 * `weight`: an existing [C, 1, k] weight (one conv applied piece by piece, e.g. per Titans MAC segment).
 */
export interface ConvOpts { bias?: boolean; dilation?: number; prepadded?: boolean; weight?: Tensor }

/** Causal depthwise 1-D conv over time on x [B, T, C]: weights [C, 1, k], left padding (k−1)·dilation. */
export function causalConv(g: G, x: Tensor, kernel: number, name: string, o: ConvOpts = {}): Tensor {
  const [B, Tin, C] = x.shape;
  const dil = o.dilation ?? 1;
  const pad = o.prepadded ? 0 : (kernel - 1) * dil;
  const T = Tin + pad - (kernel - 1) * dil;
  const w = o.weight ?? g.param(name, [C, 1, kernel], { normal: 1 / Math.sqrt(kernel) });
  const inputs = [transpose(g, x, [0, 2, 1]), w];
  if (o.bias) inputs.push(g.param(`${name}_bias`, [C], { normal: 0.02 }));
  const y = g.op('Conv', inputs, [B, C, T], {
    group: { int: C }, kernel_shape: { ints: [kernel] }, pads: { ints: [pad, 0] }, dilations: { ints: [dil] },
  });
  return transpose(g, y, [0, 2, 1]);
}

/** Token shift: x_{t−1} (zeros at t = 0) for x [B, T, C]. */
export function shiftRight(g: G, x: Tensor, by = 1): Tensor {
  const [B, T, C] = x.shape;
  if (by >= T) return g.op('Mul', [x, g.scalar(0)], x.shape);
  checkElements(B * by * C, `a token shift [${B}, ${by}, ${C}]`);
  const zeros = g.constF(new Float32Array(B * by * C), [B, by, C], 'zeros');
  return concat(g, [zeros, slice(g, x, 1, 0, T - by)], 1);
}

export function int64(g: G, x: Tensor): Tensor { return g.op('Cast', [x], x.shape, { to: { int: INT64 } }, { type: INT64 }); }

export function unsqueeze(g: G, x: Tensor, axis: number): Tensor {
  const shape = [...x.shape];
  shape.splice(axis, 0, 1);
  return g.op('Unsqueeze', [x, g.constI([axis])], shape, {}, { type: x.type });
}
