/** Binding the arguments of a block-definition use to its parameters (and dims the use overrides). */
import type { BlockDef, BlockUse, Expr, Span } from '../syntax/ast';
import type { Dims, Value } from '../kinds/types';
import { checkDim, DIM_NAMES, withDim } from './dims';

export interface Bound {
  readonly params: Map<string, Value>;
  readonly dims: Dims;
  readonly overrides: Partial<Dims>;
}

export interface Binder {
  /** Value of an argument, evaluated at the use site (errors reported; undefined when it has one). */
  atUse(e: Expr): Value | undefined;
  /** Value of a default, evaluated where the block is defined, seeing the parameters bound so far and the use's dims. */
  atDef(e: Expr, dims: Dims, params: Map<string, Value>): Value | undefined;
  error(span: Span, code: string, message: string): void;
}

/** The bound parameters, dims and overrides of `u`; undefined when an argument is wrong or missing. */
export function bindParams(u: BlockUse, def: BlockDef, useDims: Dims, b: Binder): Bound | undefined {
  const params = new Map<string, Value>();
  let dims = useDims;
  const overrides: Record<string, Value> = {};
  let ok = true;
  for (const a of u.args) {
    const v = b.atUse(a.value);
    if (v === undefined) { ok = false; continue; }
    if (def.params.some((p) => p.name.text === a.name.text)) {
      if (params.has(a.name.text)) b.error(a.name, 'duplicate-arg', `argument '${a.name.text}' is given twice`);
      params.set(a.name.text, v);
    } else if (DIM_NAMES.has(a.name.text)) {
      const expected = checkDim(a.name.text, v);
      if (expected) { b.error(a.value, 'wrong-type', `'${a.name.text}' must be ${expected}`); ok = false; } else { dims = withDim(dims, a.name.text, v); overrides[a.name.text] = v; }
    } else {
      b.error(a.name, 'unknown-param', `block '${def.name.text}' has no parameter '${a.name.text}'; its parameters are ${def.params.map((p) => p.name.text).join(', ') || '(none)'}`);
      ok = false;
    }
  }
  return bindDefaults(u, def, { params, dims, overrides: overrides as Partial<Dims> }, b) && ok ? { params, dims, overrides: overrides as Partial<Dims> } : undefined;
}

/** Fills parameters the use left out from their defaults; false when one has no default or a bad one. */
function bindDefaults(u: BlockUse, def: BlockDef, bound: Bound, b: Binder): boolean {
  let ok = true;
  for (const p of def.params) {
    if (bound.params.has(p.name.text)) continue;
    if (!p.defaultValue) { b.error(u.name, 'missing-arg', `missing argument '${p.name.text}' for block '${def.name.text}'`); ok = false; continue; }
    const v = b.atDef(p.defaultValue, bound.dims, bound.params);
    if (v === undefined) ok = false; else bound.params.set(p.name.text, v);
  }
  return ok;
}
