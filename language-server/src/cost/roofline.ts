/**
 * Roofline model (Williams, Waterman & Patterson, CACM 2009): a phase takes
 * max(FLOPs / peak, bytes / bandwidth); whichever term is larger bounds it.
 * Ridge point = peak / bandwidth (FLOP per byte).
 */
export interface RooflineTime {
  readonly seconds: number;
  readonly computeSeconds: number;
  readonly memorySeconds: number;
  readonly bound: 'compute' | 'memory';
  /** FLOP per byte moved. */
  readonly intensity: number;
}

export function roofline(flops: number, bytes: number, peak: number, bandwidth: number): RooflineTime {
  const computeSeconds = peak > 0 ? flops / peak : 0;
  const memorySeconds = bandwidth > 0 ? bytes / bandwidth : 0;
  return {
    seconds: Math.max(computeSeconds, memorySeconds),
    computeSeconds,
    memorySeconds,
    bound: computeSeconds >= memorySeconds ? 'compute' : 'memory',
    intensity: bytes > 0 ? flops / bytes : Infinity,
  };
}
