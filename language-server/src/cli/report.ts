/** `archlens report`: analyse files, print a per-block table and totals (or the JSON report). */
import * as path from 'path';
import type { Diagnostic } from '../semantic/diagnostics';
import { LineIndex } from '../syntax/lineIndex';
import { analyze } from '../semantic/analyze';
import { nodeHost } from '../host/nodeHost';
import { costModel } from '../cost/engine';
import { findHardware, HARDWARE } from '../cost/hardware';
import { DTYPES } from '../kinds/dtypes';
import { renderModelText } from '../report/text';
import { diagnosticJson, modelErrors, modelJson, REPORT_JSON_VERSION } from '../report/json';

import { optionalInt, printDiagnostics, type Io, type Parsed } from './common';

export function runReport({ values, positionals }: Parsed, io: Io): number {
  if (!positionals.length) throw new Error('report needs at least one .arch file');
  const hw = findHardware(String(values.hardware));
  if (!hw) throw new Error(`unknown hardware '${values.hardware}'; known: ${HARDWARE.map((h) => h.id).join(', ')}`);
  const seq = optionalInt(values.seq, '--seq');
  const batch = optionalInt(values.batch, '--batch') ?? 1;
  const dtype = values.dtype as string | undefined;
  if (dtype && !DTYPES.includes(dtype)) throw new Error(`unknown dtype '${dtype}'; known: ${DTYPES.join(', ')}`);
  const host = nodeHost();
  const files: object[] = [];
  let failed = false;
  for (const f of positionals) {
    const file = path.resolve(f);
    const a = analyze(file, host);
    const text = (p: string): string => a.program.files.get(p)?.text ?? '';
    const hasErrors = printDiagnostics(a, io);
    if (hasErrors) failed = true;
    const models = a.models.filter((m) => !values.model || m.name === values.model);
    if (values.model && !models.length && !hasErrors) { io.err(`${f}: no model named '${values.model}'\n`); failed = true; }
    const reports = models.map((m) => costModel(m, { hardware: hw, seq, batch, dtype }));
    if (values.json) files.push({ file, models: reports.map((r) => modelJson(r, text, modelErrors(r, a.diagnostics, a.models))), modelNames: reports.map((r) => r.model.name), diagnostics: diagnosticsJson(a.diagnostics, text) });
    else for (const r of reports) io.out(`${renderModelText(r)}\n\n`);
  }
  if (values.json) {
    const models = files.flatMap((f) => (f as { models: object[] }).models);
    const fileEntries = files.map((f) => { const { file, modelNames, diagnostics } = f as { file: string; modelNames: string[]; diagnostics: object[] }; return { file, models: modelNames, diagnostics }; });
    io.out(`${JSON.stringify({ version: REPORT_JSON_VERSION, hardware: { id: hw.id, name: hw.name }, models, files: fileEntries }, null, 2)}\n`);
  }
  return failed ? 1 : 0;
}

/** Every diagnostic as JSON, with one line index per file (not one per diagnostic). */
function diagnosticsJson(diags: readonly Diagnostic[], text: (file: string) => string): object[] {
  const indexes = new Map<string, LineIndex>();
  return diags.map((d) => {
    let li = indexes.get(d.file);
    if (!li) { li = new LineIndex(text(d.file)); indexes.set(d.file, li); }
    return diagnosticJson(d, text(d.file), li);
  });
}
