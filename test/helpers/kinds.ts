/** Runs one block kind the way the semantic layer would: spec defaults first, then the given arguments. */
import { blockKind } from '../../language-server/src/kinds/index';
import type { ArgIssue, BlockCost, CostContext, Dims, Value } from '../../language-server/src/kinds/types';

export function dims(d: number, extra: Partial<Dims> = {}): Dims {
  return { d_model: d, dtype: 'bf16', state_dtype: 'fp32', tied: false, ...extra };
}

/** Applies the kind's spec defaults, then the given arguments; returns its cost and its issues. */
export function run(name: string, args: Record<string, Value>, dm: Dims, ctx: CostContext = { seq: 1024, batch: 1 }):
  { cost: BlockCost; issues: ArgIssue[] } {
  const kind = blockKind(name)!;
  const full: Record<string, Value> = {};
  for (const p of kind.params) if (p.default !== undefined) full[p.name] = p.default;
  Object.assign(full, args);
  return { cost: kind.cost(full, dm, ctx), issues: kind.validate?.(full, dm) ?? [] };
}
