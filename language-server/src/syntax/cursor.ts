/** A position in the token array with the small helpers every parse rule needs. */
import type { Ident, Span, SyntaxDiagnostic } from './ast';
import { clip, type Token } from './lexer';

export class TokenCursor {
  index = 0;
  private lastErrorAt = -1;

  constructor(readonly tokens: readonly Token[], private readonly onError: (d: SyntaxDiagnostic) => void) {
    for (const t of tokens) if (t.error) this.errorAt(t, t.error);
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.index++;
    return t;
  }

  atEof(): boolean {
    return this.peek().kind === 'eof';
  }

  isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === text;
  }

  peekIsPunct(ahead: number, text: string): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === text;
  }

  isIdent(text: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === text;
  }

  ident(): Ident {
    const t = this.next();
    return { kind: 'Ident', text: t.text, start: t.start, end: t.end };
  }

  /** Consumes an identifier, or reports `expected <what>` and returns an empty one at the current position. */
  expectIdent(what: string): Ident {
    const t = this.peek();
    if (t.kind === 'ident') return this.ident();
    this.error(t, `expected ${what}, found ${describeToken(t)}`);
    return { kind: 'Ident', text: '', start: t.start, end: t.start };
  }

  expectPunct(text: string, what: string): boolean {
    if (this.isPunct(text)) { this.next(); return true; }
    const t = this.peek();
    this.error(t, `expected ${what}, found ${describeToken(t)}`);
    return false;
  }

  skipUntil(stop: (t: Token) => boolean): void {
    this.next();
    while (!this.atEof() && !stop(this.peek())) this.next();
  }

  error(t: Token, message: string): void {
    // One error per token: cascades from a single mistake are noise.
    if (t.start === this.lastErrorAt || t.kind === 'bad') return; // bad tokens were reported by the lexer
    this.errorAt({ start: t.start, end: Math.max(t.end, t.start) }, message);
  }

  errorAt(span: Span, message: string): void {
    this.lastErrorAt = span.start;
    this.onError({ start: span.start, end: span.end, message });
  }
}

export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  if (t.kind === 'string') return `the string ${clip(t.text)}`;
  if (t.kind === 'number') return `the number '${clip(t.text)}'`;
  return `'${clip(t.text)}'`;
}
