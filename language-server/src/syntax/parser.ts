/**
 * Error-tolerant recursive-descent parser for `.arch` files (rules in grammar.ts).
 * It never throws: problems become located diagnostics and the parser resynchronises
 * at the next line or declaration, so a half-typed file still yields a useful tree.
 */
import type {
  Arg, ArchFile, BlockDef, BlockUse, BodyItem, Expr, Ident, ImportDecl, LayersGroup,
  LetDecl, ModelDecl, Param, Setting, Span, SyntaxDiagnostic, TopItem,
} from './ast';
import { clip, lex, type Comment, type Token } from './lexer';
import { parseExpr } from './parseExpr';
import { TokenCursor } from './cursor';
import { SelectorParser } from './parseSelector';

export function parse(text: string, start = 0, end = text.length): ArchFile {
  const { tokens, comments } = lex(text, start, end);
  const diags: SyntaxDiagnostic[] = [];
  const p = new Parser(new TokenCursor(tokens, (d) => diags.push(d)), comments, text, diags);
  return { ...p.file(), start, end };
}

const TOP_KEYWORDS = new Set(['import', 'let', 'block', 'model']);
/** Most `layers { … }` groups nested inside one another. */
export const MAX_LAYERS_NESTING = 64;

class Parser {
  private layersDepth = 0;
  private readonly selectors: SelectorParser;

  constructor(readonly c: TokenCursor, readonly comments: Comment[], readonly text: string, readonly diags: SyntaxDiagnostic[]) {
    this.selectors = new SelectorParser(c, (closer, item) => this.commaList(closer, item));
  }

  file(): ArchFile {
    const items: TopItem[] = [];
    const c = this.c;
    while (!c.atEof()) {
      const t = c.peek();
      const item = this.topItem(t);
      if (item) items.push(item);
      else {
        c.error(t, `expected 'model', 'block', 'import' or 'let', found ${describe(t)}`);
        c.skipUntil((tok) => tok.newlineBefore && tok.kind === 'ident' && TOP_KEYWORDS.has(tok.text));
      }
    }
    const diagnostics = [...this.diags].sort((a, b) => a.start - b.start);
    return { kind: 'File', items, diagnostics, start: this.c.tokens[0]?.start ?? 0, end: this.c.peek().end };
  }

  private topItem(t: Token): TopItem | undefined {
    if (t.kind !== 'ident') return undefined;
    switch (t.text) {
      case 'import': return this.importDecl();
      case 'let': return this.letDecl();
      case 'block': return this.blockDef();
      case 'model': return this.model();
      default: return undefined;
    }
  }

  private importDecl(): ImportDecl {
    const kw = this.c.next();
    const t = this.c.peek();
    if (t.kind === 'string' && !t.newlineBefore) {
      this.c.next();
      return { kind: 'Import', path: { kind: 'String', value: String(t.value), start: t.start, end: t.end }, start: kw.start, end: t.end };
    }
    this.c.error(t, `expected a quoted file path after 'import', found ${describe(t)}`);
    return { kind: 'Import', path: { kind: 'String', value: '', start: kw.end, end: kw.end }, start: kw.start, end: kw.end };
  }

  private letDecl(): LetDecl {
    const kw = this.c.next();
    const name = this.c.expectIdent('a constant name after \'let\'');
    this.c.expectPunct('=', `'=' after the constant name`);
    const value = parseExpr(this.c);
    this.endOfItem();
    return { kind: 'Let', name, value, start: kw.start, end: value.end };
  }

  private blockDef(): BlockDef {
    const kw = this.c.next();
    const name = this.c.expectIdent('a block name after \'block\'');
    const params: Param[] = [];
    if (this.c.isPunct('(')) this.commaList(')', () => { const p = this.param(); if (p) params.push(p); });
    const { body, end } = this.braceBody(`'{' to start the body of block '${name.text}'`);
    return { kind: 'BlockDef', name, params, body, start: kw.start, end, doc: this.docBefore(kw.start) };
  }

  private param(): Param | undefined {
    const t = this.c.peek();
    if (t.kind !== 'ident') { this.c.error(t, `expected a parameter name, found ${describe(t)}`); return undefined; }
    const name = this.c.ident();
    if (!this.c.isPunct('=')) return { kind: 'Param', name, start: name.start, end: name.end };
    this.c.next();
    const defaultValue = parseExpr(this.c);
    return { kind: 'Param', name, defaultValue, start: name.start, end: defaultValue.end };
  }

  private model(): ModelDecl {
    const kw = this.c.next();
    const name = this.c.expectIdent('a model name after \'model\'');
    let base: Ident | undefined;
    if (this.c.isIdent('extends')) { this.c.next(); base = this.c.expectIdent('the name of the model to extend'); }
    const { body, end } = this.braceBody(`'{' to start the body of model '${name.text}'`);
    return { kind: 'Model', name, base, body, start: kw.start, end, doc: this.docBefore(kw.start) };
  }

  /** `{ Body }` with recovery: a missing `}` ends the body at the next top-level keyword. */
  private braceBody(what: string): { body: BodyItem[]; end: number } {
    const open = this.c.peek();
    if (!this.c.isPunct('{')) {
      this.c.error(open, `expected ${what}, found ${describe(open)}`);
      return { body: [], end: open.start };
    }
    this.c.next();
    const body = this.body();
    const close = this.c.peek();
    if (this.c.isPunct('}')) { this.c.next(); return { body, end: close.end }; }
    this.c.errorAt({ start: open.start, end: open.end }, `'{' is never closed: expected '}' before ${describe(close)}`);
    return { body, end: close.start };
  }

  private body(): BodyItem[] {
    const items: BodyItem[] = [];
    const c = this.c;
    while (!c.atEof() && !c.isPunct('}')) {
      const t = c.peek();
      if (t.kind === 'ident' && t.newlineBefore && TOP_KEYWORDS.has(t.text) && !c.peekIsPunct(1, '=')) break;
      if (t.kind !== 'ident') {
        c.error(t, `expected a block, a setting (name = value) or 'layers', found ${describe(t)}`);
        c.skipUntil((tok) => tok.newlineBefore || (tok.kind === 'punct' && tok.text === '}'));
        continue;
      }
      items.push(this.item());
      this.endOfItem();
    }
    return items;
  }

  private item(): BodyItem {
    const t = this.c.peek();
    if (t.text === 'layers' && !this.c.peekIsPunct(1, '=') && !this.c.peekIsPunct(1, '(')) return this.layers();
    if (this.c.peekIsPunct(1, '=')) return this.setting();
    return this.use();
  }

  private layers(): LayersGroup {
    const kw = this.c.next();
    const count = parseExpr(this.c);
    const shared = this.sharedWord();
    if (this.layersDepth >= MAX_LAYERS_NESTING) {
      this.c.errorAt(kw, `'layers' groups nested deeper than ${MAX_LAYERS_NESTING} levels`);
      const end = this.skipBraces();
      return { kind: 'Layers', keyword: { start: kw.start, end: kw.end }, count, shared, body: [], start: kw.start, end };
    }
    this.layersDepth++;
    let parsed: { body: BodyItem[]; end: number };
    try { parsed = this.braceBody(`'{' after the layer count`); } finally { this.layersDepth--; }
    const { body, end } = parsed;
    const selector = this.selectors.optional();
    return { kind: 'Layers', keyword: { start: kw.start, end: kw.end }, count, shared, body, selector, start: kw.start, end: selector?.end ?? end };
  }

  /** The optional `shared` word (weights reused across repetitions), on the same line. */
  private sharedWord(): Span | undefined {
    if (!this.c.isIdent('shared') || this.c.peek().newlineBefore || this.c.peekIsPunct(1, ':')) return undefined;
    const t = this.c.next();
    return { start: t.start, end: t.end };
  }

  /** Skips a `{ … }` group (nested braces included) without building a tree; returns its end offset. */
  private skipBraces(): number {
    if (!this.c.isPunct('{')) return this.c.peek().start;
    let open = 0;
    let end = this.c.peek().start;
    do {
      const t = this.c.next();
      end = t.end;
      if (t.kind === 'punct' && t.text === '{') open++;
      else if (t.kind === 'punct' && t.text === '}') open--;
    } while (open > 0 && !this.c.atEof());
    return end;
  }

  private setting(): Setting {
    const name = this.c.ident();
    this.c.next(); // '='
    const value = parseExpr(this.c);
    return { kind: 'Setting', name, value, start: name.start, end: value.end };
  }

  private use(): BlockUse {
    const name = this.c.ident();
    const args: Arg[] = [];
    let argsSpan: Span | undefined;
    let end = name.end;
    if (this.c.isPunct('(') && !this.c.peek().newlineBefore) {
      const open = this.c.peek();
      end = this.commaList(')', () => { const a = this.arg(); if (a) args.push(a); });
      argsSpan = { start: open.start, end };
    }
    let repeat: Expr | undefined;
    if (this.c.isIdent('x') && !this.c.peek().newlineBefore) {
      this.c.next();
      repeat = parseExpr(this.c);
      end = repeat.end;
    }
    const shared = this.sharedWord();
    const selector = this.selectors.optional();
    return { kind: 'Use', name, args, argsSpan, repeat, shared, selector, start: name.start, end: selector?.end ?? shared?.end ?? end };
  }

  private arg(): Arg | undefined {
    const t = this.c.peek();
    if (t.kind !== 'ident') {
      this.c.error(t, `expected an argument 'name: value', found ${describe(t)}`);
      return undefined;
    }
    const name = this.c.ident();
    if (!this.c.isPunct(':')) {
      const at = this.c.peek();
      this.c.error(at, `expected ':' after argument name '${name.text}', found ${describe(at)}`);
      return { kind: 'Arg', name, value: { kind: 'Missing', start: name.end, end: name.end }, start: name.start, end: name.end };
    }
    const colon = this.c.next();
    if (this.c.peek().newlineBefore) {
      this.c.errorAt({ start: colon.end, end: colon.end }, `expected a value for '${name.text}'`);
      return { kind: 'Arg', name, value: { kind: 'Missing', start: colon.end, end: colon.end }, start: name.start, end: colon.end };
    }
    const value = parseExpr(this.c);
    return { kind: 'Arg', name, value, start: name.start, end: value.end };
  }

  /** Parses `( item, item, … )` and returns the end offset. Recovers at `,`, the closer, or `}`. */
  commaList(closer: string, item: () => void): number {
    const open = this.c.next();
    for (;;) {
      const t = this.c.peek();
      if (this.c.isPunct(closer)) { this.c.next(); return t.end; }
      // A new line that starts a new item (a name not followed by ':') means the list was left open.
      const newItem = t.newlineBefore && t.kind === 'ident' && !this.c.peekIsPunct(1, ':') && closer === ')';
      if (t.kind === 'eof' || this.c.isPunct('}') || this.c.isPunct('{') || newItem) {
        this.c.errorAt({ start: open.start, end: open.end }, `'${open.text}' is never closed: expected '${closer}' before ${describe(t)}`);
        return t.start;
      }
      const before = this.c.index;
      item();
      if (this.c.isPunct(',')) { this.c.next(); continue; }
      if (this.c.isPunct(closer)) continue;
      const bad = this.c.peek();
      if (bad.newlineBefore && bad.kind === 'ident' && !this.c.peekIsPunct(1, ':') && closer === ')') continue;
      if (bad.kind !== 'eof' && !this.c.isPunct('}') && !this.c.isPunct('{')) {
        this.c.error(bad, `expected ',' or '${closer}', found ${describe(bad)}`);
        this.c.skipUntil((tok) => tok.kind === 'punct' && [',', closer, '}', '{'].includes(tok.text) || (tok.newlineBefore && this.c.index > before + 1 && tok.kind === 'ident' && TOP_KEYWORDS.has(tok.text)));
        if (this.c.isPunct(',')) this.c.next();
      }
    }
  }

  /** Each body item must end at a line break, `;`-free: anything else on the line is an error. */
  private endOfItem(): void {
    const t = this.c.peek();
    if (t.kind === 'eof' || t.newlineBefore || this.c.isPunct('}')) return;
    this.c.error(t, `expected the end of the line, found ${describe(t)}`);
    this.c.skipUntil((tok) => tok.newlineBefore || (tok.kind === 'punct' && tok.text === '}'));
  }

  /** Consecutive comment lines directly above a declaration become its documentation. */
  private docBefore(offset: number): string | undefined {
    const lines: string[] = [];
    let at = offset;
    for (let i = upperBound(this.comments, offset) - 1; i >= 0; i--) {
      const cm = this.comments[i];
      const gap = this.text.slice(cm.end, at);
      if (!/^[ \t\r]*\n?[ \t\r]*$/.test(gap)) break;
      lines.unshift(cm.text.replace(/^(#|\/\/)\s?/, ''));
      at = cm.start;
    }
    return lines.length ? lines.join('\n') : undefined;
  }
}

function upperBound(comments: Comment[], offset: number): number {
  let lo = 0, hi = comments.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (comments[mid].start < offset) lo = mid + 1; else hi = mid; }
  return lo;
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  if (t.kind === 'string') return `the string ${clip(t.text)}`;
  if (t.kind === 'number') return `the number '${clip(t.text)}'`;
  return `'${clip(t.text)}'`;
}

export type { Ident };
