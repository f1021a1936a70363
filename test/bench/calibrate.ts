/**
 * `npm run calibrate`: fits the serving constants (language-server/src/serving/calibration.json) on the published
 * measured runs and reports, per row, predicted/measured in-sample and under leave-one-source-out cross-validation
 * (fit without a source's rows, predict them) in docs/accuracy.md with a chart (docs/images/accuracy.svg).
 */
import * as fs from 'fs';
import * as path from 'path';
import { PRIORS } from '../../language-server/src/serving/calibration';
import type { Calibration } from '../../language-server/src/serving/types';
import { measuredCases } from './measured';
import { caseError, fit, prepareCases, type PreparedCase } from './fit';
import { accuracyMarkdown, accuracySvg, type RowResult } from './accuracyReport';

const ROOT = path.resolve(__dirname, '../..');
const CAL_FILE = path.join(ROOT, 'language-server/src/serving/calibration.json');

/** Source groups for leave-one-source-out; `strict` merges the TensorRT-LLM releases into one source. */
function groupOf(pc: PreparedCase, strict: boolean): string {
  const g = pc.c.row.source_group;
  return strict && g.startsWith('trtllm') ? 'trtllm-*' : g;
}

function leaveOneOut(cases: readonly PreparedCase[], prior: Calibration, strict: boolean): Map<PreparedCase, number> {
  const out = new Map<PreparedCase, number>();
  for (const g of new Set(cases.map((c) => groupOf(c, strict)))) {
    const train = cases.filter((c) => groupOf(c, strict) !== g);
    const cal = fit(train, prior);
    for (const c of cases) if (groupOf(c, strict) === g) out.set(c, caseError(c, cal).predicted);
  }
  return out;
}

function fittedJson(prior: Calibration, cal: Calibration, rows: number, groups: number): string {
  const data = JSON.parse(fs.readFileSync(CAL_FILE, 'utf8'));
  const round = (v: number): number => Number(v.toPrecision(4));
  data.provenance = `fitted by npm run calibrate on ${rows} measured runs from ${groups} sources (test/fixtures/measured), starting from \`priors\``;
  data.global = Object.fromEntries(Object.entries(cal.global).map(([k, v]) => [k, round(v)]));
  for (const [id, f] of Object.entries(cal.frameworks)) {
    data.frameworks[id] = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]));
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

function main(): void {
  const { cases, skipped } = measuredCases();
  const prior = PRIORS;
  const prepared = prepareCases(cases, prior);
  const all = fit(prepared, prior);
  const loso = leaveOneOut(prepared, prior, false);
  const strict = leaveOneOut(prepared, prior, true);
  const ideal = prepareCases(cases.map((c) => ({ ...c, deployment: { ...c.deployment, framework: 'ideal' } })), prior);
  const results: RowResult[] = prepared.map((pc, i) => ({
    row: pc.c.row, inSample: caseError(pc, all).predicted, loso: loso.get(pc)!, strict: strict.get(pc)!, ideal: caseError(ideal[i], prior).predicted,
  }));
  const groups = new Set(cases.map((c) => c.row.source_group)).size;
  const files: [string, string][] = [
    [CAL_FILE, fittedJson(prior, all, cases.length, groups)],
    [path.join(ROOT, 'docs/accuracy.md'), accuracyMarkdown(results, skipped)],
    [path.join(ROOT, 'docs/images/accuracy.svg'), accuracySvg(results)],
  ];
  for (const [file, text] of files) {
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
  console.log(accuracyMarkdown(results, skipped).split('\n').slice(0, 14).join('\n'));
}

main();
