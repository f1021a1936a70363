/** `archlens report`: analyse files, print a per-block table and totals (or the JSON report). */
import * as path from 'path';
import { analyze } from '../semantic/analyze';
import { nodeHost } from '../host/nodeHost';
import { costModel } from '../cost/engine';
import { findHardware, HARDWARE } from '../cost/hardware';
import { DTYPES } from '../cost/dtypes';
import { renderModelText } from '../report/text';
import { diagnosticJson, modelJson, REPORT_JSON_VERSION } from '../report/json';
import { LineIndex } from '../syntax/lineIndex';
import { lex } from '../syntax/lexer';

interface Io { out(s: string): void; err(s: string): void }
interface Parsed { values: Record<string, string | boolean | undefined>; positionals: string[] }

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
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    for (const d of a.diagnostics) {
      const p = new LineIndex(text(d.file)).position(d.start);
      io.err(`${path.relative(process.cwd(), d.file) || d.file}:${p.line + 1}:${p.character + 1}: ${d.severity}: ${d.message}\n`);
    }
    if (errors.length) failed = true;
    const models = a.models.filter((m) => !values.model || m.name === values.model);
    if (values.model && !models.length && !errors.length) { io.err(`${f}: no model named '${values.model}'\n`); failed = true; }
    const reports = models.map((m) => costModel(m, { hardware: hw, seq, batch, dtype }));
    if (values.json) files.push({ file, models: reports.map((r) => modelJson(r, text)), modelNames: reports.map((r) => r.model.name), diagnostics: a.diagnostics.map((d) => diagnosticJson(d, text(d.file))) });
    else for (const r of reports) io.out(`${renderModelText(r)}\n\n`);
  }
  if (values.json) {
    const models = files.flatMap((f) => (f as { models: object[] }).models);
    const fileEntries = files.map((f) => { const { file, modelNames, diagnostics } = f as { file: string; modelNames: string[]; diagnostics: object[] }; return { file, models: modelNames, diagnostics }; });
    io.out(`${JSON.stringify({ version: REPORT_JSON_VERSION, hardware: { id: hw.id, name: hw.name }, models, files: fileEntries }, null, 2)}\n`);
  }
  return failed ? 1 : 0;
}

function optionalInt(v: string | boolean | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const tokens = lex(String(v)).tokens;
  const n = tokens.length === 2 && tokens[0].kind === 'number' && !tokens[0].error ? Number(tokens[0].value) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got '${v}'`);
  return n;
}
