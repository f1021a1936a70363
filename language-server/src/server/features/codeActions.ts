/** Quick fixes: "did you mean 'X'?" replacements, adding a missing model dimension, `32K` → `32Ki`. */
import type { Diagnostic } from '../../semantic/diagnostics';
import { binaryReading, SI_CONTEXT } from '../../semantic/unitHints';
import type { DocState } from './docState';

export interface QuickFix {
  readonly title: string;
  readonly diagnostic: Diagnostic;
  readonly edit: { readonly start: number; readonly end: number; readonly newText: string };
}

export function handleCodeActions(doc: DocState, start: number, end: number): QuickFix[] {
  const out: QuickFix[] = [];
  for (const d of doc.analysis.diagnostics) {
    if (d.file !== doc.file || d.end < start || d.start > end) continue;
    const mean = /did you mean '([^']+)'\?/.exec(d.message);
    if (mean) out.push({ title: `Change to '${mean[1]}'`, diagnostic: d, edit: { start: d.start, end: d.end, newText: mean[1] } });
    const binary = d.code === SI_CONTEXT ? binaryReading(doc.text.slice(d.start, d.end)) : undefined;
    if (binary) out.push({ title: `Change to ${binary.text} (= ${binary.value.toLocaleString('en-US')})`, diagnostic: d, edit: { start: d.start, end: d.end, newText: binary.text } });
    const dim = d.code === 'missing-dim' ? /dimension '(\w+)'/.exec(d.message) : null;
    const model = dim ? doc.analysis.models.find((m) => d.start >= m.decl.start && d.start <= m.decl.end) : undefined;
    if (dim && model) {
      const brace = doc.text.indexOf('{', model.decl.name.end);
      if (brace >= 0) out.push({ title: `Add '${dim[1]} = …' to model ${model.name}`, diagnostic: d, edit: { start: brace + 1, end: brace + 1, newText: `\n  ${dim[1]} = ${dim[1] === 'vocab' ? '32_000' : '4096'}` } });
    }
  }
  return out;
}
