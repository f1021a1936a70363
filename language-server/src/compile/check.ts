/** Compile + count + cost engine: the parameter/FLOP comparison shared by the CLI and the tests. */
import type { ModelInstance } from '../semantic/instances';
import { costModel } from '../cost/engine';
import { findHardware } from '../cost/hardware';
import { compileModel, type Compiled, type CompileOptions } from './compile';
import { countGraph, type GraphCount } from './count';

export interface CheckResult {
  readonly compiled: Compiled;
  readonly graph: GraphCount;
  readonly engine: { readonly params: number; readonly flopsPerToken: number };
  /** graph FLOPs / engine FLOPs − 1. */
  readonly flopsError: number;
  readonly paramsEqual: boolean;
}

export function checkModel(model: ModelInstance, opts: CompileOptions = {}): CheckResult {
  const compiled = compileModel(model, opts);
  const graph = countGraph(compiled.bytes);
  const report = costModel(model, { hardware: findHardware('h100')!, seq: compiled.seq, batch: compiled.batch, dtype: 'fp32' });
  const engine = { params: report.totals.params.total, flopsPerToken: report.totals.flops.prefillPerToken };
  const flopsError = engine.flopsPerToken === 0 ? (graph.flopsPerToken === 0 ? 0 : Infinity) : graph.flopsPerToken / engine.flopsPerToken - 1;
  return { compiled, graph, engine, flopsError, paramsEqual: graph.params === engine.params };
}
