/**
 * Document formatting: indentation by brace depth (2 spaces), canonical spacing around `:`, `=`, `,`
 * and operators, trailing whitespace removed, at most one blank line in a row. Comments and strings
 * are kept verbatim. A file with syntax errors is left alone, so formatting never loses an edit, and a
 * result whose tokens or comments differ from the input's is refused (nothing formatted rather than code lost).
 * Lines end at \n, \r\n or a lone \r, the same for the lexer, the line numbers used here and the split.
 */
import { lex, type Token } from '../../syntax/lexer';
import type { DocState } from './docState';
import { LineIndex } from '../../syntax/lineIndex';

const NO_SPACE_BEFORE = new Set([')', ']', ',', ':', '..']);
const NO_SPACE_AFTER = new Set(['(', '[', '..']);
const BINARY = new Set(['=', '+', '*', '/']);

export function handleFormat(doc: DocState, indentUnit = '  '): string | undefined {
  if (doc.analysis.ast.diagnostics.length) return undefined;
  const out = layout(doc.text, indentUnit);
  return sameTokens(doc.text, out) ? out : undefined;
}

/** True when `a` and `b` lex to the same tokens and comments (up to trailing spaces of comments). */
export function sameTokens(a: string, b: string): boolean {
  const x = lex(a), y = lex(b);
  if (x.tokens.length !== y.tokens.length || x.comments.length !== y.comments.length) return false;
  return x.tokens.every((t, i) => t.text === y.tokens[i].text) && x.comments.every((c, i) => c.text.trimEnd() === y.comments[i].text.trimEnd());
}

function layout(text: string, indentUnit: string): string {
  const { tokens, comments } = lex(text);
  const index = new LineIndex(text);
  const lines = text.split(/\r\n|\r|\n/);
  const byLine = new Map<number, Token[]>();
  for (const t of tokens) if (t.kind !== 'eof') push(byLine, index.position(t.start).line, t);
  const commentAt = new Map<number, string>();
  for (const c of comments) commentAt.set(index.position(c.start).line, c.text.trimEnd());
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const toks = byLine.get(i) ?? [];
    const comment = commentAt.get(i);
    if (!toks.length && comment === undefined) { if (out.length && out[out.length - 1] !== '') out.push(''); continue; }
    const leadingClose = toks.length && (toks[0].text === '}' || toks[0].text === ')' || toks[0].text === ']') ? 1 : 0;
    const indent = indentUnit.repeat(Math.max(0, depth - leadingClose));
    const code = joinTokens(toks);
    out.push(indent + [code, comment].filter((x) => x !== undefined && x !== '').join(code ? ' ' : ''));
    for (const t of toks) depth += t.text === '{' || t.text === '(' || t.text === '[' ? 1 : t.text === '}' || t.text === ')' || t.text === ']' ? -1 : 0;
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

function joinTokens(toks: readonly Token[]): string {
  let s = '';
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i], prev = toks[i - 1];
    if (prev) s += spaceBetween(prev, t, toks[i - 2]) ? ' ' : '';
    s += t.text;
  }
  return s;
}

function spaceBetween(prev: Token, t: Token, before?: Token): boolean {
  if (NO_SPACE_BEFORE.has(t.text) || NO_SPACE_AFTER.has(prev.text)) return false;
  if (t.text === '(' && prev.kind === 'ident') return false;
  if (prev.text === '-' && isUnary(before)) return false;
  if (BINARY.has(t.text) || BINARY.has(prev.text) || t.text === '-' || prev.text === '-') return true;
  return true;
}

function isUnary(before?: Token): boolean {
  return !before || (before.kind === 'punct' && before.text !== ')' && before.text !== ']');
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const xs = m.get(k);
  if (xs) xs.push(v); else m.set(k, [v]);
}
