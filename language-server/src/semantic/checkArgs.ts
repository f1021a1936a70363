/** Checks a use of a built-in kind against its parameter specification and required dimensions. */
import type { BlockUse, Expr, Span } from '../syntax/ast';
import type { Args, BlockCost, BlockKind, Dims, ParamSpec, Value } from '../kinds/types';
import { checkDim, DIM_NAMES, withDim } from './dims';
import { suggest } from './suggest';
import type { Severity } from './diagnostics';

export type Report = (span: Span, code: string, message: string, severity?: Severity) => void;

export function checkBuiltinUse(
  kind: BlockKind, u: BlockUse, scopeDims: Dims, value: (e: Expr) => Value | undefined, report: Report,
): { args: Args; dims: Dims } | undefined {
  const args: Record<string, Value> = {};
  let dims = scopeDims;
  let ok = true;
  const attempted = new Set(u.args.map((a) => a.name.text));
  for (const a of u.args) {
    if (!a.name.text) { ok = false; continue; }
    const v = value(a.value);
    // A number literal past 1.8e308 is already a syntax error ('too large'); its Infinity is not costed again.
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) { ok = false; continue; }
    if (DIM_NAMES.has(a.name.text)) {
      const expected = checkDim(a.name.text, v);
      if (expected) { report(a.value, 'wrong-type', `'${a.name.text}' must be ${expected}`); ok = false; } else dims = withDim(dims, a.name.text, v);
      continue;
    }
    const spec = kind.params.find((p) => p.name === a.name.text);
    if (!spec) {
      const names = kind.params.map((p) => p.name);
      report(a.name, 'unknown-param', `unknown parameter '${a.name.text}' for ${kind.name}${suggest(a.name.text, names)}; expected one of ${names.join(', ')}`);
      ok = false;
      continue;
    }
    if (a.name.text in args) { report(a.name, 'duplicate-arg', `argument '${a.name.text}' is given twice`); ok = false; continue; }
    const problem = typeProblem(spec, v);
    if (problem) { report(a.value, 'wrong-type', `'${spec.name}' of ${kind.name} must be ${problem}, found ${describeValue(v)}`); ok = false; continue; }
    args[spec.name] = spec.type === 'list' && !Array.isArray(v) ? [v] : v;
  }
  for (const spec of kind.params) {
    if (spec.name in args) continue;
    if (spec.required && attempted.has(spec.name)) { ok = false; continue; }
    if (spec.default !== undefined) args[spec.name] = spec.default;
    else if (spec.required && !attempted.has(spec.name)) { report(u.name, 'missing-arg', `${kind.name} needs '${spec.name}': ${spec.doc}`); ok = false; }
  }
  for (const need of kind.needs) {
    if (dims[need] === undefined) {
      report(u.name, 'missing-dim', `${kind.name} needs the dimension '${need}': set '${need} = …' on the model or pass '${need}: …' to this block`);
      ok = false;
    }
  }
  return ok && kindChecks(kind, u, args, dims, report) ? { args, dims } : undefined;
}

/** The kind's own checks (`validate`) and the overflow check of its figures; false when one reported an error. */
function kindChecks(kind: BlockKind, u: BlockUse, args: Args, dims: Dims, report: Report): boolean {
  // An overflow first: the kind's own checks would print the derived Infinity (`must divide d_inner (Infinity)`).
  const overflow = costOverflow(kind, args, dims);
  if (overflow && !overflow.threw) { report(u.name, 'invalid-args', overflow.message); return false; }
  let ok = true;
  for (const issue of kind.validate?.(args, dims) ?? []) {
    const at = issue.arg ? u.args.find((a) => a.name.text === issue.arg) : undefined;
    report(at ?? u.name, 'invalid-args', finiteWords(issue.message), issue.severity ?? 'error');
    if ((issue.severity ?? 'error') === 'error') ok = false;
  }
  if (ok && overflow) { report(u.name, 'invalid-args', overflow.message); ok = false; }
  return ok;
}

/** A kind's message with derived non-finite numbers in words (`orders × heads (2 × 1e+308 = Infinity)`). */
function finiteWords(message: string): string {
  return message.replace(/-?\bInfinity\b/g, 'too large to represent').replace(/\bNaN\b/g, 'not a number');
}

/** Context lengths at which every figure of a use must be a finite number: one token, the default context, 2^20. */
const OVERFLOW_SEQS = [1, 4096, 1_048_576];
/**
 * Largest figure one instance may have: far past any real model, and small enough that × a count (≤ 2^53), a batch
 * and a context length it still stays finite in the totals.
 */
export const MAX_FIGURE = 1e100;
const FIGURES = { params: 'a parameter count', prefillFlops: 'prefill FLOPs', decodeFlops: 'decode FLOPs', cacheBytes: 'a cache', weightBytes: 'weight bytes', decodeBytes: 'decode bytes' } as const;

/**
 * Why a use whose arguments pass every check still cannot be costed: a figure that overflows (above MAX_FIGURE) or is not a
 * number (e.g. `lstm(hidden: 1e308)`, `cms(periods: 1e308)`), so no view shows one without a located error.
 */
function costOverflow(kind: BlockKind, args: Args, dims: Dims): { message: string; threw?: true } | undefined {
  for (const seq of [...OVERFLOW_SEQS, dims.context ?? 4096]) {
    const fixed = OVERFLOW_SEQS.includes(seq);
    const at = fixed ? `at L = ${seq.toLocaleString('en-US')}` : `at the model's context ${seq < 1e21 ? seq.toLocaleString('en-US') : seq.toExponential(2)}`;
    let cost: BlockCost;
    try { cost = kind.cost(args, dims, { seq, batch: 1 }); } catch (e) { return { message: `${kind.name} cannot be costed with these arguments: ${(e as Error).message}`, threw: true }; }
    const bad = (Object.keys(FIGURES) as (keyof typeof FIGURES)[]).find((k) => !(Math.abs(cost[k]) <= MAX_FIGURE));
    if (bad) return { message: `${kind.name} with these arguments has ${FIGURES[bad]} above 1e100 (${at}), too large to cost: ${fixed ? 'use smaller values' : 'use a shorter context'}` };
  }
  return undefined;
}

/** Returns what the parameter expects when `v` does not fit, else undefined. */
export function typeProblem(spec: ParamSpec, v: Value): string | undefined {
  const min = spec.min ?? -Infinity;
  switch (spec.type) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= min ? undefined : `an integer${min > -Infinity ? ` ≥ ${min}` : ''}`;
    case 'number':
      return typeof v === 'number' && v >= min ? undefined : `a number${min > -Infinity ? ` ≥ ${min}` : ''}`;
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'true or false';
    case 'enum':
      return typeof v === 'string' && spec.values?.includes(v) ? undefined : `one of ${spec.values?.join(', ')}`;
    case 'string':
      return typeof v === 'string' ? undefined : 'a string';
    case 'list': {
      const items = Array.isArray(v) ? v : [v];
      return items.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min) ? undefined : 'a list of integers, e.g. [2, 3]';
    }
  }
}

function describeValue(v: Value): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}
