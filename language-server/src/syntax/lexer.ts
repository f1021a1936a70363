/**
 * Scanner for `.arch` text. Produces a flat token array in one pass; never throws.
 * Comments (`#` or `//` to end of line) are kept aside so declarations can pick up doc comments.
 */

export type TokenKind =
  | 'ident' | 'number' | 'string' | 'punct' | 'eof' | 'bad';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** True when a line break separates this token from the previous one. */
  readonly newlineBefore: boolean;
  /** Numeric value for `number` tokens, decoded string for `string` tokens. */
  readonly value?: number | string;
  readonly error?: string;
}

export interface Comment {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: Comment[];
}

/** Decimal (K, M, B, T) and binary (Ki, Mi, Gi, Ti) multipliers for numeric literals. */
export const NUMBER_SUFFIXES: Readonly<Record<string, number>> = {
  K: 1e3, M: 1e6, B: 1e9, T: 1e12,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

const PUNCT2 = new Set(['..']);
const PUNCT1 = new Set(['(', ')', '{', '}', '[', ']', ',', ':', '=', '+', '-', '*', '/']);

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Scans `text[start, end)`; offsets stay absolute, so a region of a larger text can be re-scanned. */
export function lex(text: string, start = 0, end = text.length): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = start;
  let newline = true;
  const n = end;
  while (i < n) {
    const c = text.charCodeAt(i);
    // A line ends at \n, \r\n or a lone \r (old Mac files), as in the editor's own line numbering.
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) { newline = true; i++; continue; }
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) { i++; continue; }
    if (c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47)) {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      comments.push({ start, end: i, text: text.slice(start, i) });
      continue;
    }
    const tok = scanToken(text, i, newline);
    tokens.push(tok);
    i = tok.end;
    newline = false;
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n, newlineBefore: true });
  return { tokens, comments };
}

function scanToken(text: string, i: number, nl: boolean): Token {
  const c = text.charCodeAt(i);
  if (isIdentStart(c)) {
    let j = i + 1;
    while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
    return { kind: 'ident', text: text.slice(i, j), start: i, end: j, newlineBefore: nl };
  }
  if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) return scanNumber(text, i, nl);
  if (c === 34) return scanString(text, i, nl);
  const two = text.slice(i, i + 2);
  if (PUNCT2.has(two)) return { kind: 'punct', text: two, start: i, end: i + 2, newlineBefore: nl };
  const one = text[i];
  if (PUNCT1.has(one)) return { kind: 'punct', text: one, start: i, end: i + 1, newlineBefore: nl };
  // A run of characters the language has no use for becomes one token (and one error).
  let j = i + ((text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1);
  while (j < text.length && isStray(text, j)) j += (text.codePointAt(j) ?? 0) > 0xffff ? 2 : 1;
  const bad = text.slice(i, j);
  // No spreading into code points: the run may be megabytes long.
  const several = bad.length > ((bad.codePointAt(0) ?? 0) > 0xffff ? 2 : 1);
  return {
    kind: 'bad', text: bad, start: i, end: j, newlineBefore: nl,
    error: `unexpected character${several ? 's' : ''} '${clip(bad, 20)}'`,
  };
}

/** `s` cut to at most `max` characters (with '…'), for echoing source text in messages. */
export function clip(s: string, max = 40): string {
  if (s.length <= max) return s;
  const cut = /[\ud800-\udbff]/.test(s[max - 1]) ? max - 1 : max;
  return `${s.slice(0, cut)}…`;
}

function isStray(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 10 || c === 32 || c === 9 || c === 13 || c === 34 || c === 35) return false;
  if (isIdentPart(c) || c === 46) return false;
  if (c === 47 && text.charCodeAt(i + 1) === 47) return false;
  return !PUNCT1.has(text[i]);
}

function scanNumber(text: string, i: number, nl: boolean): Token {
  const start = i;
  const n = text.length;
  const digits = (): void => {
    while (i < n && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) i++;
  };
  digits();
  // A '.' followed by a digit is a fraction; '..' is the range operator.
  if (text[i] === '.' && isDigit(text.charCodeAt(i + 1))) { i++; digits(); }
  if ((text[i] === 'e' || text[i] === 'E') && /[0-9+-]/.test(text[i + 1] ?? '')) {
    const save = i;
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (isDigit(text.charCodeAt(i))) digits(); else i = save;
  }
  const body = text.slice(start, i);
  let j = i;
  while (j < n && isIdentPart(text.charCodeAt(j))) j++;
  const suffix = text.slice(i, j);
  let value = Number(body.replace(/_/g, ''));
  let error: string | undefined;
  if (body.endsWith('_') || body.includes('__')) error = `malformed number '${clip(body)}': '_' must separate digits`;
  if (suffix) {
    const mult = NUMBER_SUFFIXES[suffix];
    if (mult === undefined) error = `unknown number suffix '${clip(suffix)}' (expected one of K, M, B, T, Ki, Mi, Gi, Ti)`;
    else value *= mult;
  }
  if (!Number.isFinite(value)) error = `number '${clip(text.slice(start, j))}' is too large`;
  return { kind: 'number', text: text.slice(start, j), start, end: j, newlineBefore: nl, value, error };
}

function scanString(text: string, i: number, nl: boolean): Token {
  const start = i;
  i++;
  let out = '';
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      return { kind: 'string', text: text.slice(start, i + 1), start, end: i + 1, newlineBefore: nl, value: out };
    }
    if (ch === '\n') break;
    if (ch === '\\' && i + 1 < text.length && text[i + 1] !== '\n') { out += text[i + 1]; i += 2; continue; }
    out += ch;
    i++;
  }
  return {
    kind: 'string', text: text.slice(start, i), start, end: i, newlineBefore: nl, value: out,
    error: 'unterminated string: expected \'"\' before the end of the line',
  };
}
