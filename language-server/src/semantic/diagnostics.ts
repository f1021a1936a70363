/** Located problems found after parsing: the semantic checker's output format. */
import type { Span } from '../syntax/ast';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Path or URI of the file the span belongs to. */
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly severity: Severity;
  /** Stable identifier for quick fixes and tests, e.g. `unknown-kind`. */
  readonly code: string;
}

export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  add(file: string, span: Span, severity: Severity, code: string, message: string): void {
    const key = `${file}:${span.start}:${span.end}:${code}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ file, start: span.start, end: span.end, message, severity, code });
  }

  error(file: string, span: Span, code: string, message: string): void {
    this.add(file, span, 'error', code, message);
  }

  warning(file: string, span: Span, code: string, message: string): void {
    this.add(file, span, 'warning', code, message);
  }
}
