/** Turns an `at …` selector into the list of matching layer indices of the enclosing group. */
import type { Expr, IndexRange, Selector } from '../syntax/ast';
import type { Lookup } from './evaluate';
import { evaluate } from './evaluate';

export interface SelectorProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

type Pred = (i: number) => boolean;

export function selectIndices(sel: Selector, n: number, lookup: Lookup, problems: SelectorProblem[]): number[] {
  const pred = compile(sel, n, lookup, problems);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pred(i)) out.push(i);
  return out;
}

/** Nodes of a selector tree: evaluating it on a group of n layers costs n × this. */
export function selectorSize(sel: Selector): number {
  let count = 0;
  const stack: Selector[] = [sel];
  while (stack.length) {
    const s = stack.pop()!;
    count++;
    if (s.kind === 'Not') stack.push(s.operand);
    else if (s.kind === 'Or' || s.kind === 'And') stack.push(s.left, s.right);
    else if (s.kind === 'Indices') count += s.items.length;
  }
  return count;
}

function compile(sel: Selector, n: number, lookup: Lookup, problems: SelectorProblem[]): Pred {
  const int = (e: Expr, what: string, min: number): number | undefined => {
    const v = evaluate(e, lookup);
    if (v.error) { if (!v.error.quiet) problems.push(v.error); return undefined; }
    if (typeof v.value !== 'number' || !Number.isInteger(v.value) || v.value < min) {
      problems.push({ start: e.start, end: e.end, message: `${what} must be an integer ≥ ${min}` });
      return undefined;
    }
    return v.value;
  };
  switch (sel.kind) {
    case 'Every': {
      const step = int(sel.step, "'every' step", 1) ?? 1;
      const from = sel.from ? int(sel.from, "'from' index", 0) ?? 0 : 0;
      if (sel.from && from >= n) problems.push({ start: sel.from.start, end: sel.from.end, message: `layer index ${from} is out of range: the group has ${n} layers (0…${n - 1})` });
      return (i) => i >= from && (i - from) % step === 0;
    }
    case 'First': { const k = int(sel.count, "'first' count", 0) ?? 0; return (i) => i < k; }
    case 'Last': { const k = int(sel.count, "'last' count", 0) ?? 0; return (i) => i >= n - k; }
    case 'Indices': return indexSet(sel.items, n, int, problems);
    case 'Not': { const p = compile(sel.operand, n, lookup, problems); return (i) => !p(i); }
    case 'Or': { const a = compile(sel.left, n, lookup, problems), b = compile(sel.right, n, lookup, problems); return (i) => a(i) || b(i); }
    case 'And': { const a = compile(sel.left, n, lookup, problems), b = compile(sel.right, n, lookup, problems); return (i) => a(i) && b(i); }
    case 'BadSelector': return () => false;
  }
}

function indexSet(
  items: readonly (Expr | IndexRange)[], n: number,
  int: (e: Expr, what: string, min: number) => number | undefined, problems: SelectorProblem[],
): Pred {
  const set = new Set<number>();
  const check = (e: Expr, v: number | undefined): v is number => {
    if (v === undefined) return false;
    if (v >= n) { problems.push({ start: e.start, end: e.end, message: `layer index ${v} is out of range: the group has ${n} layers (0…${n - 1})` }); return false; }
    return true;
  };
  for (const item of items) {
    if (item.kind === 'IndexRange') {
      const a = int(item.from, 'layer index', 0), b = int(item.to, 'layer index', 0);
      if (!check(item.from, a) || !check(item.to, b)) continue;
      for (let i = a; i <= b; i++) set.add(i);
    } else {
      const v = int(item, 'layer index', 0);
      if (check(item, v)) set.add(v);
    }
  }
  return (i) => set.has(i);
}
