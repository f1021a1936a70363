/**
 * Entry point of the semantic layer: text → program (with imports) → checked model instances.
 * Pure apart from the FileHost it is given; the CLI, the tests and the server all call this.
 */
import type { ArchFile } from '../syntax/ast';
import { DiagnosticSink, type Diagnostic } from './diagnostics';
import { Elaborator } from './elaborate';
import type { ModelInstance, Reference } from './instances';
import { loadProgram, type FileHost, type Program } from './program';
import type { SymbolTable } from './symbols';

export interface Analysis {
  readonly file: string;
  readonly ast: ArchFile;
  readonly program: Program;
  /** Models declared in `file` (imported models are available to `extends` but not listed). */
  readonly models: readonly ModelInstance[];
  readonly symbols: SymbolTable;
  readonly references: readonly Reference[];
  /** Diagnostics for every file of the program; filter by `file` for one document. */
  readonly diagnostics: readonly Diagnostic[];
}

export function analyze(file: string, host: FileHost, text?: string): Analysis {
  const sink = new DiagnosticSink();
  const program = loadProgram(file, host, sink, text);
  const src = program.files.get(file)!;
  const elab = new Elaborator(program, sink);
  const symbols = elab.symbols(file);
  elab.checkConstants(file);
  const models: ModelInstance[] = [];
  for (const item of src.ast.items) {
    if (item.kind === 'Model' && item.name.text) models.push(elab.model(file, item));
  }
  return { file, ast: src.ast, program, models, symbols, references: elab.references, diagnostics: [...sink.items].sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1)) };
}
