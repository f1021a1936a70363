/**
 * Incremental re-parse after an edit: top-level declarations the edit cannot have touched are
 * reused (those after it moved in place by the edit's length change); only the declarations around the
 * edit are scanned and parsed again. Falls back to a full parse whenever reuse could differ from
 * it (syntax errors around the edit, a region that does not end on a declaration boundary).
 */
import type { AnyNode, ArchFile, SyntaxDiagnostic, TopItem } from './ast';
import { parse } from './parser';

export interface TextEdit {
  /** Offsets in the old text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The single edit turning `a` into `b` (common prefix and suffix removed). */
export function diffText(a: string, b: string): TextEdit {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let ea = a.length, eb = b.length;
  while (ea > start && eb > start && a.charCodeAt(ea - 1) === b.charCodeAt(eb - 1)) { ea--; eb--; }
  return { start, end: ea, text: b.slice(start, eb) };
}

export function reparse(oldText: string, old: ArchFile, newText: string, edit: TextEdit = diffText(oldText, newText)): ArchFile {
  const items = old.items;
  if (old.diagnostics.length || items.length < 3) return parse(newText);
  const delta = edit.text.length - (edit.end - edit.start);
  // Declarations touching the edit, widened by one neighbour on each side.
  let first = items.findIndex((it) => it.end >= edit.start - 1);
  if (first < 0) first = items.length - 1;
  let last = first;
  while (last + 1 < items.length && items[last + 1].start <= edit.end + 1) last++;
  first = Math.max(0, first - 1);
  last = Math.min(items.length - 1, last + 1);
  const regionStart = first > 0 ? items[first - 1].end : 0;
  const regionEnd = last + 1 < items.length ? items[last + 1].start + delta : newText.length;
  if (regionEnd < regionStart) return parse(newText);
  const region = parse(newText, regionStart, regionEnd);
  if (region.diagnostics.length) return parse(newText);
  // The old tree is consumed: its later declarations move in place.
  const tail = items.slice(last + 1).map((it) => shift(it, delta));
  return {
    kind: 'File',
    items: [...items.slice(0, first), ...region.items, ...tail],
    diagnostics: [] as SyntaxDiagnostic[],
    start: 0,
    end: newText.length,
  };
}

/**
 * Moves every span of a declaration by `delta`, in place: the previous tree is discarded after an
 * edit, so reusing its nodes avoids copying half a file per keystroke. The walk names each node
 * kind's children (see ast.ts), which is several times faster than a generic walk over keys; the
 * incremental test compares the result with a full parse after thousands of random edits.
 */
export function shift<T extends object>(node: T, delta: number): T {
  if (delta !== 0) move(node as unknown as AnyNode, delta);
  return node;
}

type Spanned = { start: number; end: number };

function at(span: Spanned | undefined, delta: number): void {
  if (!span) return;
  (span as { start: number }).start += delta;
  (span as { end: number }).end += delta;
}

function all(nodes: readonly AnyNode[], delta: number): void {
  for (const n of nodes) move(n, delta);
}

function move(n: AnyNode | undefined, delta: number): void {
  if (!n) return;
  at(n, delta);
  switch (n.kind) {
    case 'Import': return at(n.path, delta);
    case 'Let': case 'Setting': case 'Arg': at(n.name, delta); return move(n.value, delta);
    case 'BlockDef': at(n.name, delta); all(n.params, delta); return all(n.body, delta);
    case 'Param': at(n.name, delta); return move(n.defaultValue, delta);
    case 'Model': at(n.name, delta); at(n.base, delta); return all(n.body, delta);
    case 'Use': at(n.name, delta); all(n.args, delta); at(n.argsSpan, delta); move(n.repeat, delta); at(n.shared, delta); return move(n.selector, delta);
    case 'Layers': at(n.keyword, delta); move(n.count, delta); at(n.shared, delta); all(n.body, delta); return move(n.selector, delta);
    case 'List': case 'Indices': return all(n.items, delta);
    case 'Binary': case 'Or': case 'And': move(n.left, delta); return move(n.right, delta);
    case 'Neg': case 'Not': return move(n.operand, delta);
    case 'Every': move(n.step, delta); return move(n.from, delta);
    case 'First': case 'Last': return move(n.count, delta);
    case 'IndexRange': move(n.from, delta); return move(n.to, delta);
    default: return; // Ident, String, Number, Missing, BadSelector, File: no children
  }
}

export type { TopItem };
