/**
 * `archlens compare A.arch B.arch… [--model NAME[,NAME…]]… --sweep context [--hardware ID] [--batch B] [--at L] [--json]`:
 * cost-vs-context curves of any models (prefill FLOPs/token, decode step time, KV/state bytes), every crossover
 * (the exact context where one becomes cheaper than another, cost/crossover.ts) and the cost ratios against the
 * first model at `--at` (default 128Ki): raw, iso-parameters and iso-FLOPs.
 */
import * as path from 'path';
import { analyze } from '../semantic/analyze';
import { nodeHost } from '../host/nodeHost';
import type { ModelInstance } from '../semantic/instances';
import { findHardware, HARDWARE } from '../cost/hardware';
import { compareSweep, METRIC_LABELS, type CompareSweep, type CurveMetric } from '../cost/crossover';
import { formatBytes, formatFlops, formatSeconds } from '../format/units';
import { optionalInt, printDiagnostics, type Io, type Parsed } from './common';
import { readHardwareFile } from './report';

export const compareOptions = {
  model: { type: 'string', multiple: true }, sweep: { type: 'string', default: 'context' }, hardware: { type: 'string', default: 'h100' },
  'hardware-file': { type: 'string' }, batch: { type: 'string', default: '1' }, at: { type: 'string', default: '128Ki' }, json: { type: 'boolean', default: false },
} as const;

export const COMPARE_JSON_VERSION = 1;

/** Every model of the files, or those named by --model (in the order named). */
function pickModels(positionals: string[], names: readonly string[], io: Io): ModelInstance[] | undefined {
  const all: ModelInstance[] = [];
  let failed = false;
  for (const f of positionals) {
    const a = analyze(path.resolve(f), nodeHost());
    if (printDiagnostics(a, io)) failed = true;
    all.push(...a.models);
  }
  if (failed) return undefined;
  if (!names.length) return all;
  return names.map((n) => {
    const m = all.find((x) => x.name === n);
    if (!m) throw new Error(`no model named '${n}'; these files declare ${all.map((x) => x.name).join(', ')}`);
    return m;
  });
}

const FORMAT: Record<CurveMetric, (x: number) => string> = { prefillFlopsPerToken: formatFlops, decodeSeconds: formatSeconds, cacheBytes: formatBytes };

export function renderCompareText(s: CompareSweep, hardware: string, batch: number): string {
  const lines = [`cost vs context on ${hardware}, B = ${batch}`];
  for (const metric of Object.keys(FORMAT) as CurveMetric[]) {
    lines.push('', `${METRIC_LABELS[metric]}:`, `  ${'L'.padStart(9)}  ${s.curves.map((c) => c.model.padStart(16)).join('  ')}`);
    const n = s.curves[0]?.points.length ?? 0;
    for (let i = 0; i < n; i++) lines.push(`  ${s.curves[0].points[i].seq.toLocaleString('en-US').padStart(9)}  ${s.curves.map((c) => FORMAT[metric](c.points[i][metric]).padStart(16)).join('  ')}`);
  }
  lines.push('', 'crossovers:');
  if (!s.crossovers.length) lines.push('  none in the sweep range');
  for (const c of s.crossovers) lines.push(`  ${METRIC_LABELS[c.metric]}: ${c.after} cheaper than ${c.before} from L = ${c.seq.toLocaleString('en-US')} (${FORMAT[c.metric](c.value)})`);
  lines.push('', 'ratios (× cheaper than the first model; iso-params / iso-FLOPs in brackets):');
  for (const r of s.ratios) {
    lines.push(`  at ${r.seq.toLocaleString('en-US')}, B=${batch}: ${r.model} ${r.raw.toFixed(2)}× cheaper ${METRIC_LABELS[r.metric]} than ${r.base} (${r.isoParams.toFixed(2)}× / ${r.isoFlops.toFixed(2)}×)`);
  }
  return `${lines.join('\n')}\n`;
}

export function runCompare({ values, positionals }: Parsed, io: Io): number {
  if (positionals.length < 1) throw new Error('compare needs at least one .arch file');
  if (values.sweep !== 'context') throw new Error(`--sweep must be 'context', got '${values.sweep}'`);
  const custom = values['hardware-file'] ? readHardwareFile(String(values['hardware-file'])) : [];
  const hw = findHardware(String(values.hardware), custom);
  if (!hw) throw new Error(`unknown hardware '${values.hardware}'; known: ${[...HARDWARE, ...custom].map((h) => h.id).join(', ')}`);
  const names = ((values.model ?? []) as unknown as string[]).flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
  const models = pickModels(positionals, names, io);
  if (!models) return 1;
  if (models.length < 2) throw new Error(`compare needs at least two models, got ${models.map((m) => m.name).join(', ') || 'none'}`);
  const batch = optionalInt(values.batch, '--batch') ?? 1;
  const at = optionalInt(values.at, '--at') ?? 131_072;
  const sweep = compareSweep(models, { hardware: hw, batch }, at);
  if (values.json) io.out(`${JSON.stringify({ version: COMPARE_JSON_VERSION, hardware: { id: hw.id, name: hw.name }, batch, ...sweep }, null, 2)}\n`);
  else io.out(renderCompareText(sweep, hw.name, batch));
  return 0;
}
