/**
 * Loads a file and, transitively, the files it imports. Paths are resolved by a FileHost so
 * the CLI (disk), the language server (open documents over disk) and tests (in-memory maps)
 * share the same logic. Parses are cached by text, so an unchanged import is never re-parsed.
 */
import type { ArchFile, ImportDecl } from '../syntax/ast';
import { parse } from '../syntax/parser';
import { DiagnosticSink } from './diagnostics';

export interface FileHost {
  /** Text of the file, or undefined when it does not exist / cannot be read. */
  read(file: string): string | undefined;
  /** Absolute identity of `spec` imported from `fromFile`, or undefined when it cannot resolve (or is not allowed). */
  resolve(fromFile: string, spec: string): string | undefined;
  /** Why `read(file)` gave undefined on purpose (not a regular file, too large), if it did. */
  unreadable?(file: string): string | undefined;
  /** Why `spec` was refused (outside the workspace, a symbolic-link loop…), when resolve gave undefined on purpose. */
  explain?(fromFile: string, spec: string): string | undefined;
}

export interface SourceFile {
  readonly file: string;
  readonly text: string;
  readonly ast: ArchFile;
  /** Resolved files of this file's imports, in order (unresolvable ones omitted). */
  readonly imports: readonly string[];
}

export interface Program {
  readonly entry: string;
  readonly files: ReadonlyMap<string, SourceFile>;
}

/** Parses kept for reuse, least recently used first; bounded so closed documents do not pile up. */
const parseCache = new Map<string, { text: string; ast: ArchFile }>();
export const PARSE_CACHE_FILES = 256;
export const PARSE_CACHE_CHARS = 32 * 1024 * 1024;
let cachedChars = 0;

function remember(file: string, text: string, ast: ArchFile): void {
  const old = parseCache.get(file);
  if (old) { cachedChars -= old.text.length; parseCache.delete(file); }
  parseCache.set(file, { text, ast });
  cachedChars += text.length;
  for (const [k, v] of parseCache) {
    if (parseCache.size <= PARSE_CACHE_FILES && cachedChars <= PARSE_CACHE_CHARS) break;
    if (k === file) continue;
    parseCache.delete(k);
    cachedChars -= v.text.length;
  }
}

/** Number of cached parses and their total text length (for tests). */
export function parseCacheSize(): { files: number; chars: number } {
  return { files: parseCache.size, chars: cachedChars };
}

export function parseCached(file: string, text: string): ArchFile {
  const hit = parseCache.get(file);
  if (hit && hit.text === text) { remember(file, text, hit.ast); return hit.ast; }
  const ast = parse(text);
  remember(file, text, ast);
  return ast;
}

export function loadProgram(entry: string, host: FileHost, sink: DiagnosticSink, entryText?: string, entryAst?: ArchFile): Program {
  if (entryText !== undefined && entryAst) remember(entry, entryText, entryAst);
  const files = new Map<string, SourceFile>();
  const visiting = new Set<string>();
  const visit = (file: string, text: string): void => {
    visiting.add(file);
    const ast = parseCached(file, text);
    for (const d of ast.diagnostics) sink.error(file, d, 'syntax', d.message);
    const imports: string[] = [];
    for (const item of ast.items) {
      if (item.kind !== 'Import' || !item.path.value) continue;
      const target = resolveImport(file, item, host, sink, visiting);
      if (target === undefined) continue;
      imports.push(target);
      if (files.has(target) || visiting.has(target)) continue;
      const t = host.read(target);
      if (t === undefined) {
        const why = host.unreadable?.(target);
        sink.error(file, item.path, why ? 'import-refused' : 'import-not-found', why ? `cannot import '${item.path.value}': ${why}` : `cannot read imported file '${item.path.value}'`);
        continue;
      }
      visit(target, t);
    }
    visiting.delete(file);
    files.set(file, { file, text, ast, imports });
  };
  const text = entryText ?? host.read(entry);
  if (text === undefined) {
    const why = host.unreadable?.(entry);
    sink.error(entry, { start: 0, end: 0 }, why ? 'file-refused' : 'file-not-found', why ? `cannot read '${entry}': ${why}` : `cannot read '${entry}'`);
    files.set(entry, { file: entry, text: '', ast: parse(''), imports: [] });
  } else visit(entry, text);
  return { entry, files };
}

function resolveImport(file: string, item: ImportDecl, host: FileHost, sink: DiagnosticSink, visiting: Set<string>): string | undefined {
  const target = host.resolve(file, item.path.value);
  if (target === undefined) {
    const refused = host.explain?.(file, item.path.value);
    if (refused) { sink.error(file, item.path, 'import-refused', refused); return undefined; }
    sink.error(file, item.path, 'import-not-found', `import not found: '${item.path.value}' (paths are relative to this file; 'std/…' names the standard library)`);
    return undefined;
  }
  if (visiting.has(target)) {
    sink.error(file, item.path, 'import-cycle', `cyclic import: '${item.path.value}' imports this file again`);
    return undefined;
  }
  return target;
}
