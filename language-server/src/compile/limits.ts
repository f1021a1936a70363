/**
 * Size limits of a compiled graph, so that no argument value (a DNC with 10^9 slots, `layers 10^9`, 10^9 Sinkhorn
 * iterations, a T × S mask at T = 10^6) makes the compiler allocate gigabytes or loop for minutes: the work of a
 * compile is bounded by these constants, not by the numbers in the text.
 */

/** Largest model compiled or run on request (parameters); bigger ones stall the process and fill memory. */
export const MAX_PROBE_PARAMS = 50_000_000;

/**
 * Largest single tensor the compiler builds in memory or declares as a graph input (a parameter, a constant such
 * as an attention mask [T, S] or a zero initial state, a state input such as a DNC link [B, N, N]): the same
 * 50 M as the probe's parameter limit (200 MB of float32).
 */
export const MAX_GRAPH_ELEMENTS = MAX_PROBE_PARAMS;

/**
 * Most ONNX nodes (and executed block occurrences) in one graph: loops over layers, iterations or segments stop here
 * (the largest test or example probe has under 1,000 nodes).
 */
export const MAX_GRAPH_NODES = 100_000;

/** A graph refused by the limits above (or with a fractional shape); the message names what and the way out. */
export class GraphRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphRefused';
  }
}

const fmt = (n: number): string => (Number.isFinite(n) && n < 1e21 ? Math.round(n).toLocaleString('en-US') : n.toExponential(2));

/**
 * Throws GraphRefused when a shape has a dimension that is not a whole number (a probe's width divisor that left a
 * block with a fractional width): the ONNX writer would fail on it with a bare RangeError.
 */
export function checkShape(shape: readonly number[], what: string): void {
  if (shape.every((x) => Number.isInteger(x) && x >= 0)) return;
  throw new GraphRefused(`compile: ${what} has the shape [${shape.join(', ')}], not whole numbers: choose another probe width (or check this block's arguments)`);
}

/** Throws GraphRefused when a tensor of `n` elements (`what`: its name) exceeds MAX_GRAPH_ELEMENTS. */
export function checkElements(n: number, what: string): void {
  if (n <= MAX_GRAPH_ELEMENTS) return;
  throw new GraphRefused(`compile: ${what} would have ${fmt(n)} elements (more than ${fmt(MAX_GRAPH_ELEMENTS)}): use a smaller probe (fewer slots, streams or states, a shorter seq)`);
}

/** Throws GraphRefused when a graph would have more than MAX_GRAPH_NODES nodes or block occurrences. */
export function checkNodes(n: number, what: string): void {
  if (n <= MAX_GRAPH_NODES) return;
  throw new GraphRefused(`compile: ${what} exceeds ${fmt(MAX_GRAPH_NODES)}: use a probe with fewer layers, repeats or iterations`);
}
