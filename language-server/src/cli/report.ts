/** `archlens report`: analyse files, print a per-block table and totals (or the JSON report). */
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from '../semantic/diagnostics';
import { LineIndex } from '../syntax/lineIndex';
import { analyze } from '../semantic/analyze';
import { decodeSource, nodeHost } from '../host/nodeHost';
import { costModel } from '../cost/engine';
import { findHardware, HARDWARE, type Hardware } from '../cost/hardware';
import { parseCustomHardware } from '../cost/customHardware';
import { DTYPES } from '../kinds/dtypes';
import { renderModelText } from '../report/text';
import { diagnosticJson, modelErrors, modelJson, REPORT_JSON_VERSION } from '../report/json';

import { optionalInt, printDiagnostics, type Io, type Parsed } from './common';

export function runReport({ values, positionals }: Parsed, io: Io): number {
  if (!positionals.length) throw new Error('report needs at least one .arch file');
  const custom = values['hardware-file'] ? readHardwareFile(String(values['hardware-file'])) : [];
  const hw = findHardware(String(values.hardware), custom);
  if (!hw) throw new Error(`unknown hardware '${values.hardware}'; known: ${[...HARDWARE, ...custom].map((h) => h.id).join(', ')}`);
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
    if (!a.models.length) { io.err(`archlens: no model in ${f}\n`); failed = true; }
    const models = a.models.filter((m) => !values.model || m.name === values.model);
    if (values.model && a.models.length && !models.length && !hasErrors) { io.err(`${f}: no model named '${values.model}'\n`); failed = true; }
    const reports = models.map((m) => costModel(m, { hardware: hw, seq, batch, dtype }));
    if (values.json) files.push({ file, models: reports.map((r) => modelJson(r, text, modelErrors(r, a.diagnostics, a.models))), modelNames: reports.map((r) => r.model.name), diagnostics: diagnosticsJson(a.diagnostics, text) });
    else for (const r of reports) io.out(modelText(r, a.diagnostics));
  }
  if (values.json) {
    const models = files.flatMap((f) => (f as { models: object[] }).models);
    const fileEntries = files.map((f) => { const { file, modelNames, diagnostics } = f as { file: string; modelNames: string[]; diagnostics: object[] }; return { file, models: modelNames, diagnostics }; });
    io.out(`${JSON.stringify({ version: REPORT_JSON_VERSION, hardware: { id: hw.id, name: hw.name }, models, files: fileEntries }, null, 2)}\n`);
  }
  return failed ? 1 : 0;
}

/**
 * The text report of one model, unless errors inside its declaration left blocks out: then the totals say so,
 * and a model with no block left prints no table of zeros at all.
 */
function modelText(r: ReturnType<typeof costModel>, diags: readonly Diagnostic[]): string {
  const { name, file, decl, blocks } = r.model;
  const errors = diags.filter((d) => d.severity === 'error' && d.file === file && d.start >= decl.start && d.end <= decl.end).length;
  const plural = errors === 1 ? 'error' : 'errors';
  if (!errors) return `${renderModelText(r)}\n\n`;
  if (!blocks.length) return `model ${name}: no totals, no block could be analysed (${errors} ${plural} above)\n\n`;
  return `${renderModelText(r)}\nincomplete    these totals leave out the blocks with errors (${errors} ${plural} in model ${name} above)\n\n`;
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

/** `--hardware-file FILE.json`: an array of `archlens.customHardware` objects (or one object); any problem is an error. */
export function readHardwareFile(file: string): readonly Hardware[] {
  let raw: unknown;
  try {
    raw = JSON.parse(decodeSource(new Uint8Array(fs.readFileSync(file))));
  } catch (e) {
    throw new Error(`--hardware-file ${file}: ${(e as Error).message}`);
  }
  const { devices, problems } = parseCustomHardware(Array.isArray(raw) ? raw : [raw], file);
  if (problems.length) throw new Error(`--hardware-file: ${problems.join('\n  ')}`);
  return devices;
}
