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
  readonly error?: { readonly start: number; readonly end: number; readonly message: string };
}

export type Lookup = (name: string) => Value | undefined;

export function evaluate(expr: Expr, lookup: Lookup): Evaluated {
  switch (expr.kind) {
    case 'Number': return { value: expr.value };
    case 'String': return { value: expr.value };
    case 'Missing': return { value: 0, error: { start: expr.start, end: expr.end, message: 'missing value' } };
    case 'Ident': return evalIdent(expr.text, lookup);
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

function evalIdent(name: string, lookup: Lookup): Evaluated {
  if (name === 'true') return { value: true };
  if (name === 'false') return { value: false };
  const v = lookup(name);
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
