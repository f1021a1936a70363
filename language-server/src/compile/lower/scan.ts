/** ONNX Scan over the time axis (axis 1 of [B, T, …] inputs): the recurrences of SSMs, RetNet, RWKV, Titans. */
import { GraphBuilder, numel, type Tensor } from '../graph';
import { checkElements } from '../limits';
import type { G } from './ops';

export interface ScanBody { readonly states: readonly Tensor[]; readonly ys: readonly Tensor[] }

/**
 * Runs `body` once per time step: states carried, `xs` sliced along axis 1, body outputs `ys` stacked along
 * axis 1. Weights are read from the outer graph by name. count.ts multiplies the body's MACs by T.
 */
export function scanTime(g: G, states: readonly Tensor[], xs: readonly Tensor[],
                         body: (b: GraphBuilder, states: Tensor[], xs: Tensor[]) => ScanBody): { states: Tensor[]; ys: Tensor[] } {
  const T = xs[0].shape[1];
  const b = new GraphBuilder(0, g);
  const sIn = states.map((s) => b.input(g.fresh('state_in'), s.shape));
  const xIn = xs.map((x) => b.input(g.fresh('x_t'), [x.shape[0], ...x.shape.slice(2)]));
  const out = body(b, sIn, xIn);
  const sOut = out.states.map((s) => b.output(s, g.fresh('state_out')));
  const yOut = out.ys.map((y) => b.output(y, g.fresh('y_t')));
  const outs = [...sOut.map((s) => ({ shape: s.shape })), ...yOut.map((y) => ({ shape: [y.shape[0], T, ...y.shape.slice(1)] }))];
  const res = g.multi('Scan', [...states, ...xs], outs, {
    body: { graph: b.graph(g.fresh('body'), false) },
    num_scan_inputs: { int: xs.length },
    scan_input_axes: { ints: xs.map(() => 1) },
    scan_output_axes: { ints: out.ys.map(() => 1) },
  });
  return { states: res.slice(0, states.length), ys: res.slice(states.length) };
}

export function zeros(g: G, shape: readonly number[]): Tensor {
  checkElements(numel(shape), `a zero state [${shape.join(', ')}]`);
  return g.constF(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, 'zeros');
}
