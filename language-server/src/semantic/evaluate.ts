/**
 * Evaluates argument and setting expressions. Names resolve to block parameters, then
 * dimensions of the enclosing scope, then top-level `let` constants; a name that resolves
 * to nothing becomes a *symbol* (its own text), which enum parameters such as `act: silu` accept.
 */
import type { Expr } from '../syntax/ast';
import type { Value } from '../kinds/types';

export interface Evaluated {
  readonly value: Value;
  /** Set when the value is an unresolved name taken literally. */
  readonly symbol?: boolean;
  /** `quiet` errors were already reported where they arose (a constant with an error): not reported again. */
  readonly error?: { readonly start: number; readonly end: number; readonly message: string; readonly quiet?: boolean };
}

/** What a lookup returns for a name that exists but has no value: a constant with an error (quiet) or in a cycle. */
export class Unavailable {
  constructor(readonly message?: string) {}
}

export type Lookup = (name: string) => Value | Unavailable | undefined;

/**
 * Most nested evaluations at once, counting through constants (`let b = a + 1` evaluates `a` inside `b`):
 * the parser bounds one expression's height, this bounds chains of constants that refer to later ones.
 */
export const MAX_EVAL_DEPTH = 400;
let depth = 0;

export function evaluate(expr: Expr, lookup: Lookup): Evaluated {
  if (depth >= MAX_EVAL_DEPTH) {
    return fail(expr, `too deeply nested to evaluate: more than ${MAX_EVAL_DEPTH} levels of expressions and constants that refer to one another`);
  }
  depth++;
  try { return evaluateNode(expr, lookup); } finally { depth--; }
}

function evaluateNode(expr: Expr, lookup: Lookup): Evaluated {
  switch (expr.kind) {
    case 'Number': return { value: expr.value };
    case 'String': return { value: expr.value };
    // The parser reported why the value is missing; saying it again would only add noise.
    case 'Missing': return { value: 0, error: { start: expr.start, end: expr.end, message: 'missing value', quiet: true } };
    case 'Ident': return evalIdent(expr, lookup);
    case 'List': return evalList(expr.items, lookup);
    case 'Neg': {
      const v = evaluate(expr.operand, lookup);
      if (v.error) return v;
      if (typeof v.value !== 'number') return fail(expr, `'-' needs a number, found ${show(v.value)}`);
      return { value: -v.value };
    }
    case 'Binary': return evalBinary(expr, lookup);
  }
}

function evalIdent(expr: Extract<Expr, { kind: 'Ident' }>, lookup: Lookup): Evaluated {
  const name = expr.text;
  if (name === 'true') return { value: true };
  if (name === 'false') return { value: false };
  const v = lookup(name);
  if (v instanceof Unavailable) return { value: 0, error: { start: expr.start, end: expr.end, message: v.message ?? `'${name}' has an error`, quiet: !v.message } };
  return v === undefined ? { value: name, symbol: true } : { value: v };
}

function evalList(items: readonly Expr[], lookup: Lookup): Evaluated {
  const out: Value[] = [];
  for (const item of items) {
    const v = evaluate(item, lookup);
    if (v.error) return v;
    out.push(v.value);
  }
  return { value: out };
}

function evalBinary(expr: Extract<Expr, { kind: 'Binary' }>, lookup: Lookup): Evaluated {
  const l = evaluate(expr.left, lookup);
  if (l.error) return l;
  const r = evaluate(expr.right, lookup);
  if (r.error) return r;
  if (typeof l.value !== 'number') return fail(expr.left, l.symbol ? `unknown name '${l.value}'` : `'${expr.op}' needs numbers, found ${show(l.value)}`);
  if (typeof r.value !== 'number') return fail(expr.right, r.symbol ? `unknown name '${r.value}'` : `'${expr.op}' needs numbers, found ${show(r.value)}`);
  if (expr.op === '/' && r.value === 0) return fail(expr.right, 'division by zero');
  const value = expr.op === '+' ? l.value + r.value : expr.op === '-' ? l.value - r.value
    : expr.op === '*' ? l.value * r.value : l.value / r.value;
  if (!Number.isFinite(value)) return fail(expr, 'result is too large to represent');
  return { value };
}

function fail(span: { start: number; end: number }, message: string): Evaluated {
  return { value: 0, error: { start: span.start, end: span.end, message } };
}

export function show(v: Value): string {
  if (Array.isArray(v)) return `a list`;
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}
