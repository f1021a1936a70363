/**
 * Top-level `let` constants, each evaluated once. The first constant needed from a file makes every
 * constant of that file evaluate in declaration order, so a long chain (`let a2 = a1 + 1`, `let a3 = a2 + 1`, …)
 * is worked through one link at a time instead of by recursion as deep as the chain.
 */
import type { Expr } from '../syntax/ast';
import type { Value } from '../kinds/types';
import type { SymbolTable } from './symbols';
import { Unavailable } from './evaluate';

/** Evaluates `expr` at the top level of `file`, reporting its errors; undefined when it has any. */
export type EvaluateTop = (file: string, expr: Expr) => Value | undefined;

export class Constants {
  /** Value of each constant; null while it is being evaluated (a second request then is a cycle). */
  private readonly values = new Map<string, Value | Unavailable | null>();
  private readonly warmed = new Set<string>();

  constructor(private readonly symbols: (file: string) => SymbolTable, private readonly evaluateTop: EvaluateTop) {}

  /** Value of constant `name` declared in `file` as `expr`, or why it has none. */
  get(file: string, name: string, expr: Expr): Value | Unavailable {
    this.warm(file);
    return this.compute(file, name, expr);
  }

  /** Evaluates every constant declared in `file`, in declaration order. */
  warm(file: string): void {
    if (this.warmed.has(file)) return;
    this.warmed.add(file);
    for (const [name, c] of this.symbols(file).lets) if (c.file === file) this.compute(file, name, c.decl.value);
  }

  private compute(file: string, name: string, expr: Expr): Value | Unavailable {
    const key = `${file}\u0000${name}`;
    const known = this.values.get(key);
    if (known === null) return new Unavailable(`constant '${name}' is defined in terms of itself`);
    if (known !== undefined) return known;
    this.values.set(key, null);
    const v = this.evaluateTop(file, expr) ?? new Unavailable();
    this.values.set(key, v);
    return v;
  }
}
