/**
 * Recurrent / convolution state across decode steps (compile.ts mode 'decode', and prefill with exposeCache).
 * A stateful sublayer reads graph inputs `state_{kind}_{i}_{name}` (i: the 0-based ordinal of that kind's
 * sublayers in execution order) and outputs `new_state_{kind}_{i}_{name}`, the state after its last token;
 * a prefill with exposeCache starts from zero state and outputs the state a decode step continues from.
 * Without a cache the state is a zero constant and the graph is the plain prefill graph.
 * Names: conv windows `conv…` [B, (k−1)·dilation, C] (the last inputs of a causal conv), token shift `shift…`
 * [B, 1, C], scan states in the scan's layout (e.g. `ssm` [B, di, N]), hyena `hist{n}` [B, L, d] (every
 * earlier input of long convolution n: it grows like a KV cache) or `modal{n}` [B, d, S, 2] (constant), engram `ids` int64 [B, max order − 1].
 */
import { numel, type Tensor } from '../graph';
import { checkElements } from '../limits';
import { FLOAT, INT64 } from '../../onnx/writer';
import { causalConv, concat, shiftRight, slice, type ConvOpts } from './ops';
import type { Ctx } from './context';
import { zeros } from './scan';

/** `{kind}_{i}` for the next sublayer of `kind` when the graph has state I/O, else undefined. */
export function stateScope(c: Ctx, kind: string): string | undefined {
  if (!c.cache) return undefined;
  const i = c.cache.states.get(kind) ?? 0;
  c.cache.states.set(kind, i + 1);
  return `${kind}_${i}`;
}

/** The state before this step's first token: input `state_{scope}_{name}` when decoding, else zeros. */
export function stateIn(c: Ctx, scope: string | undefined, name: string, shape: readonly number[], type = FLOAT): Tensor {
  if (scope && c.cache?.decode) return c.g.input(`state_${scope}_${name}`, shape, type);
  checkElements(numel(shape), `the state '${name}' [${shape.join(', ')}]`);
  if (type === INT64) return c.g.constI(new Array(shape.reduce((a, b) => a * b, 1)).fill(0), shape, 'zeros_i');
  return zeros(c.g, shape);
}

/** Outputs the state after this step's last token as `new_state_{scope}_{name}` (when there is state I/O). */
export function stateOut(c: Ctx, scope: string | undefined, name: string, t: Tensor): void {
  if (scope) c.g.output(t, `new_state_${scope}_${name}`);
}

/** The last `n` positions (axis 1) of history ⧺ x: the window a later step needs. */
function lastPositions(c: Ctx, full: Tensor, n: number): Tensor {
  const T = full.shape[1];
  return slice(c.g, full, 1, T - n, T);
}

/** causalConv (ops.ts) continuing from a window state `name` [B, (k−1)·dilation, C]. */
export function convState(c: Ctx, scope: string | undefined, name: string, x: Tensor, kernel: number, param: string, o: ConvOpts = {}): Tensor {
  const W = (kernel - 1) * (o.dilation ?? 1);
  if (!scope || W === 0) return causalConv(c.g, x, kernel, param, o);
  const [B, , C] = x.shape;
  const full = concat(c.g, [stateIn(c, scope, name, [B, W, C]), x], 1);
  stateOut(c, scope, name, lastPositions(c, full, W));
  return causalConv(c.g, full, kernel, param, { ...o, prepadded: true });
}

/** Token shift x_{t−1} (shiftRight) continuing from the previous step's last token, state `name` [B, 1, C]. */
export function shiftState(c: Ctx, scope: string | undefined, name: string, x: Tensor): Tensor {
  if (!scope) return shiftRight(c.g, x);
  const [B, T, C] = x.shape;
  const prev = stateIn(c, scope, name, [B, 1, C]);
  stateOut(c, scope, name, slice(c.g, x, 1, T - 1, T));
  return T === 1 ? prev : concat(c.g, [prev, slice(c.g, x, 1, 0, T - 1)], 1);
}
