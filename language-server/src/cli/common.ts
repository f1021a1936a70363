/** Pieces every `archlens` subcommand shares: I/O, located diagnostics, integer flags, picking a model. */
import * as path from 'path';
import type { Analysis } from '../semantic/analyze';
import type { Diagnostic } from '../semantic/diagnostics';
import type { ModelInstance } from '../semantic/instances';
import { nodeHost } from '../host/nodeHost';
import { loadModel, ModelLoadError } from '../load/loadModel';
import { LineIndex } from '../syntax/lineIndex';
import { lex } from '../syntax/lexer';

export interface Io { out(s: string): void; err(s: string): void }
export interface Parsed { values: Record<string, string | boolean | undefined>; positionals: string[] }

/** `file:line:col: severity: message`, with the path relative to the working directory. Pass `lines` to reuse one index per text. */
export function located(d: Diagnostic, text: string, lines: LineIndex = new LineIndex(text)): string {
  const p = lines.position(d.start);
  return `${path.relative(process.cwd(), d.file) || d.file}:${p.line + 1}:${p.character + 1}: ${d.severity === 'info' ? 'note' : d.severity}: ${d.message}`;
}

/** Prints an analysis' diagnostics in located form (one line index per file, not per diagnostic); true when any is an error. */
export function printDiagnostics(a: Analysis, io: Io): boolean {
  const indexes = new Map<string, LineIndex>();
  for (const d of a.diagnostics) {
    const text = a.program.files.get(d.file)?.text ?? '';
    let li = indexes.get(d.file);
    if (!li) { li = new LineIndex(text); indexes.set(d.file, li); }
    io.err(`${located(d, text, li)}\n`);
  }
  return a.diagnostics.some((d) => d.severity === 'error');
}

/** A flag's integer value, written like a number of the language (`8Ki`, `32_768`); undefined when absent. */
export function optionalInt(v: string | boolean | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const tokens = lex(String(v)).tokens;
  const n = tokens.length === 2 && tokens[0].kind === 'number' && !tokens[0].error ? Number(tokens[0].value) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got '${v}'`);
  return n;
}

export function positiveInt(v: string | boolean | undefined, flag: string): number {
  const n = optionalInt(v, flag);
  if (n === undefined) throw new Error(`${flag} is required`);
  return n;
}

/**
 * Loads the one file a subcommand works on (load/loadModel) and picks `--model` (or the first model); prints the
 * located diagnostics; undefined when the program has errors.
 */
export function singleModel(values: Parsed['values'], positionals: string[], io: Io, command: string): ModelInstance | undefined {
  if (positionals.length !== 1) throw new Error(`${command} needs exactly one .arch file`);
  const model = typeof values.model === 'string' && values.model ? values.model : undefined;
  try {
    const loaded = loadModel({ file: path.resolve(positionals[0]), host: nodeHost(), model });
    printDiagnostics(loaded.analysis, io);
    return loaded.model;
  } catch (e) {
    if (!(e instanceof ModelLoadError) || !e.analysis) throw e;
    if (printDiagnostics(e.analysis, io)) return undefined;
    throw new Error(`${e.message} (${positionals[0]})`);
  }
}
