/** Layer selector rules of the grammar (`at every 2 or [0, 3] and not last 1`). */
import type { Expr, IndexRange, Selector } from './ast';
import type { Token } from './lexer';
import { describeToken as describe, type TokenCursor } from './cursor';
import { parseExpr, parseIndex } from './parseExpr';

/** Nesting limit of `( … )` and `not` in a layer selector, like expressions' (deep input must not overflow the stack). */
const MAX_SELECTOR_DEPTH = 64;
/** Most levels of a selector tree (`or`/`and` chains included), so compiling it recurses a bounded number of levels. */
export const MAX_SELECTOR_HEIGHT = 200;

const selectorHeights = new WeakMap<Selector, number>();
const selHeight = (s: Selector): number => selectorHeights.get(s) ?? 1;

type CommaList = (closer: string, item: () => void) => number;

export class SelectorParser {
  private selectorDepth = 0;

  constructor(private readonly c: TokenCursor, private readonly commaList: CommaList) {}

  optional(): Selector | undefined {
    if (!this.c.isIdent('at') || this.c.peek().newlineBefore) return undefined;
    this.c.next();
    return this.selector();
  }

  selector(): Selector {
    return this.selChain('or', () => this.selAnd());
  }

  private selAnd(): Selector {
    return this.selChain('and', () => this.selUnary());
  }

  /** `operand (kw operand)*`, left-associative; a tree taller than MAX_SELECTOR_HEIGHT is reported once. */
  private selChain(kw: 'or' | 'and', operand: () => Selector): Selector {
    let left = operand();
    let tooDeep = false;
    while (this.c.isIdent(kw)) {
      const at = this.c.next();
      const right = operand();
      const h = 1 + Math.max(selHeight(left), selHeight(right));
      if (!tooDeep && h > MAX_SELECTOR_HEIGHT) {
        tooDeep = true;
        this.c.errorAt(at, `layer selector too long: at most ${MAX_SELECTOR_HEIGHT} levels of 'or', 'and' and 'not' (use a list such as [0, 2, 5] or a range 0..9)`);
      }
      if (tooDeep) { left = { kind: 'BadSelector', start: left.start, end: right.end }; continue; }
      left = { kind: kw === 'or' ? 'Or' : 'And', left, right, start: left.start, end: right.end };
      selectorHeights.set(left, h);
    }
    return left;
  }

  private selUnary(): Selector {
    if (this.c.isIdent('not')) {
      const kw = this.c.next();
      const operand = this.nestedSelector(kw, () => this.selUnary());
      const not: Selector = { kind: 'Not', operand, start: kw.start, end: operand.end };
      selectorHeights.set(not, selHeight(operand) + 1);
      return not;
    }
    return this.selAtom();
  }

  /** Runs `parse` one selector level deeper; past MAX_SELECTOR_DEPTH reports it and skips the token `at` instead. */
  private nestedSelector(at: Token, parse: () => Selector): Selector {
    if (this.selectorDepth >= MAX_SELECTOR_DEPTH) {
      this.c.error(at, `layer selector nested deeper than ${MAX_SELECTOR_DEPTH} levels`);
      const t = this.c.next();
      return { kind: 'BadSelector', start: t.start, end: t.end };
    }
    this.selectorDepth++;
    try { return parse(); } finally { this.selectorDepth--; }
  }

  private selAtom(): Selector {
    const t = this.c.peek();
    if (t.kind === 'ident' && (t.text === 'every' || t.text === 'first' || t.text === 'last')) {
      this.c.next();
      const n = parseExpr(this.c);
      if (t.text === 'first') return { kind: 'First', count: n, start: t.start, end: n.end };
      if (t.text === 'last') return { kind: 'Last', count: n, start: t.start, end: n.end };
      if (!this.c.isIdent('from')) return { kind: 'Every', step: n, start: t.start, end: n.end };
      this.c.next();
      const from = parseExpr(this.c);
      return { kind: 'Every', step: n, from, start: t.start, end: from.end };
    }
    if (this.c.isPunct('[')) {
      const items: (Expr | IndexRange)[] = [];
      const end = this.commaList(']', () => items.push(parseIndex(this.c)));
      return { kind: 'Indices', items, start: t.start, end };
    }
    if (this.c.isPunct('(')) {
      this.c.next();
      const inner = this.nestedSelector(t, () => this.selector());
      this.c.expectPunct(')', `')' to close the selector`);
      return inner;
    }
    if (t.kind === 'number' || t.kind === 'ident') {
      const index = parseIndex(this.c);
      return { kind: 'Indices', items: [index], start: index.start, end: index.end };
    }
    this.c.error(t, `expected a layer selector ('every N', 'first N', 'last N', '[i, j]', 'not …'), found ${describe(t)}`);
    return { kind: 'BadSelector', start: t.start, end: t.start };
  }

}
