/** Top-level names (blocks, models, constants) visible from a file: its own, then its direct imports'. */
import type { BlockDef, LetDecl, ModelDecl } from '../syntax/ast';
import type { DiagnosticSink } from './diagnostics';
import type { Program, SourceFile } from './program';
import { BLOCK_KINDS } from '../kinds';

export interface Declared<T> {
  readonly file: string;
  readonly decl: T;
}

export interface SymbolTable {
  readonly blocks: Map<string, Declared<BlockDef>>;
  readonly models: Map<string, Declared<ModelDecl>>;
  readonly lets: Map<string, Declared<LetDecl>>;
}

function ownSymbols(src: SourceFile, sink?: DiagnosticSink): SymbolTable {
  const table: SymbolTable = { blocks: new Map(), models: new Map(), lets: new Map() };
  const seen = new Map<string, string>();
  for (const item of src.ast.items) {
    if (item.kind === 'Import' || !item.name.text) continue;
    const name = item.name.text;
    const what = item.kind === 'BlockDef' ? 'block' : item.kind === 'Model' ? 'model' : 'constant';
    if (seen.has(name)) {
      sink?.error(src.file, item.name, 'duplicate', `'${name}' is already defined in this file as a ${seen.get(name)}`);
      continue;
    }
    seen.set(name, what);
    if (item.kind === 'BlockDef') {
      if (BLOCK_KINDS.has(name)) sink?.error(src.file, item.name, 'shadows-builtin', `'${name}' is a built-in block kind; choose another name`);
      table.blocks.set(name, { file: src.file, decl: item });
    } else if (item.kind === 'Model') table.models.set(name, { file: src.file, decl: item });
    else table.lets.set(name, { file: src.file, decl: item });
  }
  return table;
}

/** Symbols visible in `file`. Own declarations shadow imported ones. */
export function visibleSymbols(program: Program, file: string, sink?: DiagnosticSink): SymbolTable {
  const src = program.files.get(file);
  const table: SymbolTable = src ? ownSymbols(src, sink) : { blocks: new Map(), models: new Map(), lets: new Map() };
  for (const imp of src?.imports ?? []) {
    const other = program.files.get(imp);
    if (!other) continue;
    const theirs = ownSymbols(other);
    for (const [k, v] of theirs.blocks) if (!table.blocks.has(k)) table.blocks.set(k, v);
    for (const [k, v] of theirs.models) if (!table.models.has(k)) table.models.set(k, v);
    for (const [k, v] of theirs.lets) if (!table.lets.has(k)) table.lets.set(k, v);
  }
  return table;
}
