/** Expression rules of the grammar (Expr, Term, Unary, Primary, Index). */
import type { Expr, IndexRange } from './ast';
import type { TokenCursor } from './cursor';

export function parseExpr(c: TokenCursor): Expr {
  let left = parseTerm(c);
  while ((c.isPunct('+') || c.isPunct('-')) && !c.peek().newlineBefore) {
    const op = c.next().text as '+' | '-';
    const right = parseTerm(c);
    left = { kind: 'Binary', op, left, right, start: left.start, end: right.end };
  }
  return left;
}

function parseTerm(c: TokenCursor): Expr {
  let left = parseUnary(c);
  while ((c.isPunct('*') || c.isPunct('/')) && !c.peek().newlineBefore) {
    const op = c.next().text as '*' | '/';
    const right = parseUnary(c);
    left = { kind: 'Binary', op, left, right, start: left.start, end: right.end };
  }
  return left;
}

function parseUnary(c: TokenCursor): Expr {
  if (c.isPunct('-')) {
    const minus = c.next();
    const operand = parseUnary(c);
    return { kind: 'Neg', operand, start: minus.start, end: operand.end };
  }
  return parsePrimary(c);
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
  c.error(t, `expected a value (number, name, string or [list]), found ${t.kind === 'eof' ? 'the end of the file' : `'${t.text}'`}`);
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
      return { kind: 'List', items, start: open.start, end: t.start };
    }
    items.push(parseExpr(c));
    if (c.isPunct(',')) c.next();
    else if (!c.isPunct(']')) {
      const bad = c.peek();
      c.error(bad, `expected ',' or ']' in the list, found '${bad.text}'`);
      if (bad.kind !== 'eof' && !c.isPunct('}')) c.next();
    }
  }
  const close = c.next();
  return { kind: 'List', items, start: open.start, end: close.end };
}

/** `Index = Expr [ ".." Expr ]` inside selectors. */
export function parseIndex(c: TokenCursor): Expr | IndexRange {
  const from = parseExpr(c);
  if (!c.isPunct('..')) return from;
  c.next();
  const to = parseExpr(c);
  return { kind: 'IndexRange', from, to, start: from.start, end: to.end };
}
