/** Semantic tokens: classifies every token using the syntax tree (kinds vs user blocks vs models vs arguments). */
import { lex } from '../../syntax/lexer';
import type { BodyItem } from '../../syntax/ast';
import { BLOCK_KINDS } from '../../kinds';
import { BODY_KEYWORDS, DECLARATION_KEYWORDS, VALUE_KEYWORDS } from '../../syntax/grammar';
import type { DocState } from './docState';

export const TOKEN_TYPES = ['keyword', 'number', 'string', 'comment', 'function', 'class', 'parameter', 'property', 'variable', 'enumMember'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];

const KEYWORDS = new Set<string>([...DECLARATION_KEYWORDS, ...BODY_KEYWORDS]);
const VALUES = new Set<string>(VALUE_KEYWORDS);

/** Offsets of names with a role the lexer cannot see: argument names, settings, declared names. */
function roles(doc: DocState): Map<number, TokenType> {
  const out = new Map<number, TokenType>();
  const body = (items: readonly BodyItem[]): void => {
    for (const i of items) {
      if (i.kind === 'Setting') out.set(i.name.start, 'variable');
      else if (i.kind === 'Layers') { out.set(i.keyword.start, 'keyword'); body(i.body); }
      else {
        out.set(i.name.start, BLOCK_KINDS.has(i.name.text) ? 'function' : 'class');
        for (const a of i.args) out.set(a.name.start, 'property');
      }
    }
  };
  for (const item of doc.analysis.ast.items) {
    if (item.kind === 'Model') { out.set(item.name.start, 'class'); if (item.base) out.set(item.base.start, 'class'); body(item.body); }
    else if (item.kind === 'BlockDef') { out.set(item.name.start, 'class'); item.params.forEach((p) => out.set(p.name.start, 'parameter')); body(item.body); }
    else if (item.kind === 'Let') out.set(item.name.start, 'variable');
  }
  return out;
}

/** LSP relative encoding: [deltaLine, deltaStart, length, type, modifiers] per token. */
export function handleSemanticTokens(doc: DocState): number[] {
  const { tokens, comments } = lex(doc.text);
  const role = roles(doc);
  const items: { start: number; length: number; type: TokenType }[] = comments.map((c) => ({ start: c.start, length: c.end - c.start, type: 'comment' as const }));
  for (const t of tokens) {
    let type: TokenType | undefined;
    if (t.kind === 'number') type = 'number';
    else if (t.kind === 'string') type = 'string';
    else if (t.kind === 'ident') type = role.get(t.start) ?? (KEYWORDS.has(t.text) ? 'keyword' : VALUES.has(t.text) ? 'enumMember' : undefined);
    if (type) items.push({ start: t.start, length: t.end - t.start, type });
  }
  items.sort((a, b) => a.start - b.start);
  const data: number[] = [];
  let line = 0, char = 0;
  for (const it of items) {
    const p = doc.lines.position(it.start);
    if (doc.text.slice(it.start, it.start + it.length).includes('\n')) continue;
    data.push(p.line - line, p.line === line ? p.character - char : p.character, it.length, TOKEN_TYPES.indexOf(it.type), 0);
    line = p.line;
    char = p.character;
  }
  return data;
}
