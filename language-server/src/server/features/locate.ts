/** Finds what is under the cursor: a block use, a layers group, a model or block name, an argument. */
import type { Arg, ArchFile, BlockDef, BlockUse, BodyItem, LayersGroup, ModelDecl, Span } from '../../syntax/ast';

export type Target =
  | { readonly kind: 'use'; readonly node: BlockUse; readonly container: ModelDecl | BlockDef }
  | { readonly kind: 'arg'; readonly node: Arg; readonly use: BlockUse; readonly container: ModelDecl | BlockDef }
  | { readonly kind: 'layers'; readonly node: LayersGroup; readonly container: ModelDecl | BlockDef }
  | { readonly kind: 'model'; readonly node: ModelDecl }
  | { readonly kind: 'def'; readonly node: BlockDef };

const within = (s: Span, offset: number): boolean => offset >= s.start && offset <= s.end;

export function locate(ast: ArchFile, offset: number): Target | undefined {
  for (const item of ast.items) {
    if (!within(item, offset)) continue;
    if (item.kind === 'Model') {
      if (within(item.name, offset) && item.name.text) return { kind: 'model', node: item };
      return inBody(item.body, offset, item);
    }
    if (item.kind === 'BlockDef') {
      if (within(item.name, offset) && item.name.text) return { kind: 'def', node: item };
      return inBody(item.body, offset, item);
    }
  }
  return undefined;
}

function inBody(body: readonly BodyItem[], offset: number, container: ModelDecl | BlockDef): Target | undefined {
  for (const item of body) {
    if (!within(item, offset)) continue;
    if (item.kind === 'Layers') {
      if (within(item.keyword, offset) || within(item.count, offset)) return { kind: 'layers', node: item, container };
      return inBody(item.body, offset, container);
    }
    if (item.kind === 'Use') {
      const arg = item.args.find((a) => within(a.name, offset));
      if (arg) return { kind: 'arg', node: arg, use: item, container };
      return { kind: 'use', node: item, container };
    }
  }
  return undefined;
}

/** The innermost item list around `offset` and whether the cursor is inside a use's parentheses. */
export function enclosingUse(ast: ArchFile, offset: number): BlockUse | undefined {
  let found: BlockUse | undefined;
  const visit = (body: readonly BodyItem[]): void => {
    for (const item of body) {
      if (item.kind === 'Layers') visit(item.body);
      else if (item.kind === 'Use' && item.argsSpan && offset > item.argsSpan.start && offset <= item.argsSpan.end) found = item;
    }
  };
  for (const item of ast.items) if (item.kind === 'Model' || item.kind === 'BlockDef') visit(item.body);
  return found;
}

export function allUses(body: readonly BodyItem[], out: BlockUse[] = []): BlockUse[] {
  for (const item of body) {
    if (item.kind === 'Layers') allUses(item.body, out);
    else if (item.kind === 'Use') out.push(item);
  }
  return out;
}
