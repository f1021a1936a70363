/**
 * Entry point of the semantic layer: text → program (with imports) → checked model instances.
 * Pure apart from the FileHost it is given; the CLI, the tests and the server all call this.
 * Models are elaborated on demand: a hover needs only the model under the cursor, while
 * `models` and `diagnostics` elaborate everything (and check every constant) once.
 */
import type { ArchFile, ModelDecl } from '../syntax/ast';
import { suppressCascades } from './cascades';
import { DiagnosticSink, type Diagnostic } from './diagnostics';
import { Elaborator } from './elaborate';
import type { ModelInstance, Reference } from './instances';
import { loadProgram, type FileHost, type Program } from './program';
import type { SymbolTable } from './symbols';
import { unitHints } from './unitHints';

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
  /** The elaborated model of one declaration of `file`, without elaborating the others. */
  model(decl: ModelDecl): ModelInstance;
}

class LazyAnalysis implements Analysis {
  readonly ast: ArchFile;
  readonly symbols: SymbolTable;
  private readonly elab: Elaborator;
  private readonly done = new Map<ModelDecl, ModelInstance>();
  private all?: ModelInstance[];
  private sorted?: Diagnostic[];

  constructor(readonly file: string, readonly program: Program, private readonly sink: DiagnosticSink) {
    this.ast = program.files.get(file)!.ast;
    this.elab = new Elaborator(program, sink);
    this.symbols = this.elab.symbols(file);
  }

  model(decl: ModelDecl): ModelInstance {
    let m = this.done.get(decl);
    if (!m) { m = this.elab.model(this.file, decl); this.done.set(decl, m); }
    return m;
  }

  get models(): readonly ModelInstance[] {
    if (!this.all) {
      const decls = this.ast.items.filter((i): i is ModelDecl => i.kind === 'Model' && !!i.name.text);
      this.all = decls.map((d) => this.model(d));
    }
    return this.all;
  }

  get references(): readonly Reference[] {
    void this.models;
    return this.elab.references;
  }

  get diagnostics(): readonly Diagnostic[] {
    if (!this.sorted) {
      void this.models;
      this.elab.checkConstants(this.file);
      this.sorted = [...suppressCascades(this.sink.items, this.file, this.ast), ...unitHints(this.ast, this.file)].sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1));
    }
    return this.sorted;
  }
}

/** `ast`, when given, must be the parse of `text` (e.g. from an incremental re-parse). */
export function analyze(file: string, host: FileHost, text?: string, ast?: ArchFile): Analysis {
  const sink = new DiagnosticSink();
  const program = loadProgram(file, host, sink, text, ast);
  return new LazyAnalysis(file, program, sink);
}
