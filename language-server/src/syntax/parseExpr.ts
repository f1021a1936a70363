/**
 * Expression rules of the grammar (Expr, Term, Unary, Primary, Index).
 * Operator chains are parsed with loops, and the height of every tree is bounded by
 * MAX_EXPR_HEIGHT: a longer chain (`1+1+…` with thousands of terms) is reported once, at the
 * operator that crosses the limit, so every later tree walk (evaluation, formatting, hovers)
 * recurses a bounded number of levels.
 */
import type { Expr, IndexRange } from './ast';
import { describeToken, type TokenCursor } from './cursor';
import type { Token } from './lexer';

/** Most levels one expression tree may have (operators, negations and brackets on one path). */
export const MAX_EXPR_HEIGHT = 200;

const heights = new WeakMap<Expr, number>();

/** Levels of the tree below and including `e` (1 for a leaf). */
export function exprHeight(e: Expr): number {
  return heights.get(e) ?? 1;
}

function withHeight(e: Expr, h: number): Expr {
  if (h > 1) heights.set(e, h);
  return e;
}

type Ops = readonly string[];

/** `left (op right)*` for the operators `ops`, stopping at a line break. */
function chain(c: TokenCursor, ops: Ops, operand: (c: TokenCursor) => Expr): Expr {
  let left = operand(c);
  let tooDeep = false;
  while (ops.some((o) => c.isPunct(o)) && !c.peek().newlineBefore) {
    const opTok = c.next();
    const right = operand(c);
    const h = 1 + Math.max(exprHeight(left), exprHeight(right));
    if (!tooDeep && h > MAX_EXPR_HEIGHT) {
      tooDeep = true;
      reportTooDeep(c, opTok);
    }
    left = tooDeep
      ? { kind: 'Missing', start: left.start, end: right.end }
      : withHeight({ kind: 'Binary', op: opTok.text as '+' | '-' | '*' | '/', left, right, start: left.start, end: right.end }, h);
  }
  return left;
}

function reportTooDeep(c: TokenCursor, at: Token): void {
  c.errorAt({ start: at.start, end: at.end }, `expression too long or too deeply nested: at most ${MAX_EXPR_HEIGHT} levels of operators and brackets (split it with 'let' constants)`);
}

export function parseExpr(c: TokenCursor): Expr {
  return chain(c, ['+', '-'], parseTerm);
}

function parseTerm(c: TokenCursor): Expr {
  return chain(c, ['*', '/'], parseUnary);
}

/** `-` prefixes are counted in a loop (not by recursion), then wrapped around the operand. */
function parseUnary(c: TokenCursor): Expr {
  const minuses: Token[] = [];
  while (c.isPunct('-')) minuses.push(c.next());
  let e = parsePrimary(c);
  for (let i = minuses.length - 1; i >= 0; i--) {
    const h = exprHeight(e) + 1;
    if (h > MAX_EXPR_HEIGHT) {
      reportTooDeep(c, minuses[i]);
      return { kind: 'Missing', start: minuses[0].start, end: e.end };
    }
    e = withHeight({ kind: 'Neg', operand: e, start: minuses[i].start, end: e.end }, h);
  }
  return e;
}

const MAX_DEPTH = 64;
let depth = 0;

function parsePrimary(c: TokenCursor): Expr {
  const t = c.peek();
  if (t.kind === 'number') { c.next(); return { kind: 'Number', value: Number(t.value), raw: t.text, start: t.start, end: t.end }; }
  if (t.kind === 'string') { c.next(); return { kind: 'String', value: String(t.value), start: t.start, end: t.end }; }
  if (t.kind === 'ident') return c.ident();
  if (c.isPunct('(') || c.isPunct('[')) {
    if (depth >= MAX_DEPTH) {
      c.error(t, `expression nested deeper than ${MAX_DEPTH} levels`);
      c.next();
      return { kind: 'Missing', start: t.start, end: t.end };
    }
    depth++;
    try { return t.text === '(' ? parseParen(c) : parseList(c); } finally { depth--; }
  }
  c.error(t, `expected a value (number, name, string or [list]), found ${describeToken(t)}`);
  return { kind: 'Missing', start: t.start, end: t.start };
}

function parseParen(c: TokenCursor): Expr {
  c.next();
  const inner = parseExpr(c);
  c.expectPunct(')', `')' to close the parenthesis`);
  return inner;
}

function parseList(c: TokenCursor): Expr {
  const open = c.next();
  const items: Expr[] = [];
  while (!c.isPunct(']')) {
    const t = c.peek();
    if (t.kind === 'eof' || c.isPunct('}') || c.isPunct('{') || c.isPunct(')')) {
      c.errorAt(open, `'[' is never closed: expected ']'`);
      return listOf(c, open, items, t.start);
    }
    items.push(parseExpr(c));
    if (c.isPunct(',')) c.next();
    else if (!c.isPunct(']')) {
      const bad = c.peek();
      c.error(bad, `expected ',' or ']' in the list, found ${describeToken(bad)}`);
      if (bad.kind !== 'eof' && !c.isPunct('}')) c.next();
    }
  }
  const close = c.next();
  return listOf(c, open, items, close.end);
}

function listOf(c: TokenCursor, open: Token, items: Expr[], end: number): Expr {
  let h = 1;
  for (const item of items) h = Math.max(h, exprHeight(item) + 1);
  if (h > MAX_EXPR_HEIGHT) {
    reportTooDeep(c, open);
    return { kind: 'Missing', start: open.start, end };
  }
  return withHeight({ kind: 'List', items, start: open.start, end }, h);
}

/** `Index = Expr [ ".." Expr ]` inside selectors. */
export function parseIndex(c: TokenCursor): Expr | IndexRange {
  const from = parseExpr(c);
  if (!c.isPunct('..')) return from;
  c.next();
  const to = parseExpr(c);
  return { kind: 'IndexRange', from, to, start: from.start, end: to.end };
}
