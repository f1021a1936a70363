/** Document symbols (models › layer groups › blocks) and folding ranges. */
import type { BodyItem } from '../../syntax/ast';
import type { DocState } from './docState';

export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: 'model' | 'block' | 'group' | 'use' | 'constant' | 'import';
  readonly start: number;
  readonly end: number;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly children: OutlineSymbol[];
}

export function handleSymbols(doc: DocState): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const item of doc.analysis.ast.items) {
    if (item.kind === 'Import') { out.push(sym(item.path.value, 'import', 'import', item, item.path, [])); continue; }
    if (!item.name.text) continue;
    if (item.kind === 'Let') out.push(sym(item.name.text, '', 'constant', item, item.name, []));
    else if (item.kind === 'Model') out.push(sym(item.name.text, item.base ? `extends ${item.base.text}` : 'model', 'model', item, item.name, body(item.body)));
    else out.push(sym(item.name.text, `block(${item.params.map((p) => p.name.text).join(', ')})`, 'block', item, item.name, body(item.body)));
  }
  return out;
}

function body(items: readonly BodyItem[]): OutlineSymbol[] {
  return items.flatMap((i): OutlineSymbol[] => {
    if (i.kind === 'Layers') return [sym(`layers`, '', 'group', i, i.keyword, body(i.body))];
    if (i.kind === 'Use' && i.name.text) return [sym(i.name.text, '', 'use', i, i.name, [])];
    return [];
  });
}

function sym(name: string, detail: string, kind: OutlineSymbol['kind'], s: { start: number; end: number }, n: { start: number; end: number }, children: OutlineSymbol[]): OutlineSymbol {
  return { name, detail, kind, start: s.start, end: Math.max(s.end, n.end), nameStart: n.start, nameEnd: n.end, children };
}

/** Multi-line models, blocks and layer groups fold; comment runs are left to the client's markers. */
export function handleFolding(doc: DocState): { startLine: number; endLine: number }[] {
  const out: { startLine: number; endLine: number }[] = [];
  const visit = (symbols: OutlineSymbol[]): void => {
    for (const s of symbols) {
      const a = doc.lines.position(s.start).line, b = doc.lines.position(s.end).line;
      if (b > a) out.push({ startLine: a, endLine: b });
      visit(s.children);
    }
  };
  visit(handleSymbols(doc));
  return out;
}
