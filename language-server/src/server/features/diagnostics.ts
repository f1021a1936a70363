/** Diagnostics of one document: analysis problems in this file plus cost warnings on model names. */
import type { DocState } from './docState';
import { warningText } from '../../format/warnings';

export interface LspDiagnostic {
  readonly range: ReturnType<DocState['range']>;
  readonly severity: 1 | 2 | 3;
  readonly code: string;
  readonly source: 'archlens';
  readonly message: string;
}

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

export function handleDiagnostics(doc: DocState): LspDiagnostic[] {
  const out: LspDiagnostic[] = doc.analysis.diagnostics
    .filter((d) => d.file === doc.file)
    .map((d) => ({ range: doc.range(d), severity: SEVERITY[d.severity], code: d.code, source: 'archlens' as const, message: d.message }));
  for (const m of doc.analysis.models) {
    for (const w of doc.report(m).warnings) {
      out.push({ range: doc.range(m.decl.name), severity: 2, code: 'cost-warning', source: 'archlens', message: `${m.name}: ${warningText(w)}` });
    }
  }
  return out;
}
