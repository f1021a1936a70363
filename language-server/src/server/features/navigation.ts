/** Go to definition, find references and rename for block definitions and models. */
import type { Span } from '../../syntax/ast';
import type { Reference } from '../../semantic/instances';
import type { DocState } from './docState';
import { locate } from './locate';
import * as path from 'path';

export interface FileSpan { readonly file: string; readonly span: Span }

/** The declaration a name at `offset` refers to (or is), as file + name span. */
export function handleDefinition(doc: DocState, offset: number): FileSpan | undefined {
  const ref = doc.analysis.references.find((r) => r.file === doc.file && offset >= r.span.start && offset <= r.span.end);
  if (ref) return { file: ref.target.file, span: ref.target.span };
  const t = locate(doc.analysis.ast, offset);
  if (t?.kind === 'def' || t?.kind === 'model') return { file: doc.file, span: t.node.name };
  return undefined;
}

export function handleReferences(doc: DocState, offset: number, includeDeclaration: boolean): FileSpan[] {
  const target = handleDefinition(doc, offset);
  if (!target) return [];
  const same = (r: Reference): boolean => r.target.file === target.file && r.target.span.start === target.span.start;
  const refs = dedupe(doc.analysis.references.filter(same).map((r) => ({ file: r.file, span: r.span })));
  return includeDeclaration ? [target, ...refs] : refs;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Edits renaming the name at `offset`. `editable` says which files may be changed (the workspace): a rename
 * that would touch any other file (the standard library shipped with the extension, say) is refused whole.
 */
export function handleRename(doc: DocState, offset: number, newName: string, editable: (file: string) => boolean = () => true): { edits: FileSpan[] } | { error: string } {
  if (!NAME.test(newName)) return { error: `'${newName}' is not a valid name (letters, digits and '_', not starting with a digit)` };
  const spans = handleReferences(doc, offset, true);
  if (!spans.length) return { error: 'nothing to rename here: put the cursor on a block or model name' };
  const outside = spans.find((s) => !editable(s.file));
  if (outside) return { error: `cannot rename: '${path.basename(outside.file)}' (${outside.file}) is outside the workspace, so it is not edited; rename it there or copy the definition into your file` };
  return { edits: spans };
}

function dedupe(xs: FileSpan[]): FileSpan[] {
  const seen = new Set<string>();
  return xs.filter((x) => { const k = `${x.file}:${x.span.start}`; if (seen.has(k)) return false; seen.add(k); return true; });
}
