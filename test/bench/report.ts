/** Writes the benchmark figures as docs/benchmarks.md (a table with targets and pass/miss) and docs/benchmarks.json. */
import * as fs from 'fs';
import * as path from 'path';
import type { Machine } from './machine';
import { machineLine } from './machine';
import type { AnalysisFigures, QueryFigures } from './analysis';
import type { LatencyFigures } from './lspLatency';
import type { ActivationFigures } from './activation';
import type { VsixFigures } from './vsixSize';
import type { ForwardBench } from './forward';
import type { MemoryFigures } from './memory';
import type { FuzzFigures } from './fuzzBench';
import type { EstimateSpeedFigures } from './estimateSpeed';
import { ms, stats } from './stats';

/** A figure, or why it is missing. */
export type Result<T> = T | { error: string } | { skipped: string };

export interface Figures {
  machine: Machine;
  analysis: Result<AnalysisFigures[]>;
  queries: Result<QueryFigures>;
  hover: Result<LatencyFigures>;
  estimate?: Result<EstimateSpeedFigures>;
  activation: Result<ActivationFigures>;
  vsix: Result<VsixFigures>;
  inference: Result<ForwardBench>;
  heatmap: Result<{ ms: number[]; note?: string }>;
  memory: Result<MemoryFigures>;
  fuzz: Result<FuzzFigures>;
}

type Row = [figure: string, result: string, target: string, status: string];

const ok = <T>(r: Result<T>): r is T => !(typeof r === 'object' && r !== null && ('error' in r || 'skipped' in r));
const why = (r: Result<unknown>): string => (r as { error?: string }).error ? `failed: ${(r as { error: string }).error}` : (r as { skipped: string }).skipped.replace(/^(?!not measured)/, 'not measured: ');
const verdict = (pass: boolean): string => (pass ? '**pass**' : '**miss**');
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(2)} MiB`;

function analysisRows(f: Figures): Row[] {
  if (!ok(f.analysis)) return [['parse + analysis', why(f.analysis), '< 50 ms at 5,000 lines', '—']];
  return f.analysis.map((a) => {
    const t = a.lines >= 4000 && a.lines < 6000;
    return [`parse + analysis, ${a.lines.toLocaleString('en-US')} lines (parse alone: p50 ${ms(a.parse.p50)})`, `p50 ${ms(a.analysis.p50)} · p99 ${ms(a.analysis.p99)}`,
      t ? '< 50 ms (p99)' : '—', t ? verdict(a.analysis.p99 < 50) : '—'];
  });
}

function serverRows(f: Figures): Row[] {
  const rows: Row[] = [];
  if (ok(f.queries)) rows.push(['block cost query (one hover\'s block)', `p50 ${ms(f.queries.blockQuery.p50)} · p99 ${ms(f.queries.blockQuery.p99)}`, '< 1 ms', verdict(f.queries.blockQuery.p99 < 1)]);
  if (!ok(f.hover)) return [...rows, ['hover via the real server', why(f.hover), '< 5 ms p99', '—']];
  const a = stats(f.hover.afterEdit), s = stats(f.hover.steady);
  const w = stats(f.hover.warmup);
  rows.push([`hover via the real server, ${f.hover.lines.toLocaleString('en-US')} lines, right after an edit (${a.n} edits, after ${w.n} warm-up edits)`, `p50 ${ms(a.p50)} · p99 ${ms(a.p99)}`, '< 5 ms (p99)', verdict(a.p99 < 5)]);
  rows.push([`hover right after an edit, the ${w.n} warm-up edits just after the server started (JIT still compiling)`, `p50 ${ms(w.p50)} · max ${ms(w.max)}`, '—', '—']);
  rows.push(['hover via the real server, no edit in between', `p50 ${ms(s.p50)} · p99 ${ms(s.p99)}`, '—', '—']);
  return rows;
}

function estimateRows(f: Figures): Row[] {
  if (!f.estimate) return [];
  if (!ok(f.estimate)) return [['serving estimate (one call)', why(f.estimate), '< 50 ms', '—']];
  return f.estimate.cases.map((c, i) => [`serving estimate: ${c.name}`, `p50 ${ms(c.p50)} · p99 ${ms(c.p99)}`, i === 0 ? '< 50 ms' : '—', i === 0 ? verdict(c.p50 < 50) : '—']);
}

function activationRows(f: Figures): Row[] {
  if (!ok(f.activation)) return [['activation (real workbench)', why(f.activation), '< 150 ms', '—']];
  const a = f.activation;
  return [
    [`activation in a real workbench (code-server + Chromium), ${a.activation.length} runs`, a.activation.map(ms).join(', '), '< 150 ms', verdict(a.activation.every((x) => x < 150))],
    ['language server ready, after activation', a.serverReady.map(ms).join(', '), '—', '—'],
  ];
}

function packageRows(f: Figures): Row[] {
  if (!ok(f.vsix)) return [['VSIX size', why(f.vsix), '< 60 MiB (linux-x64)', '—']];
  return f.vsix.sizes.map((s) => [`VSIX size, ${s.target}`, mib(s.bytes), s.target === 'linux-x64' ? '< 60 MiB' : '—',
    s.target === 'linux-x64' ? verdict(s.bytes < (f.vsix as VsixFigures).limitBytes) : '—']);
}

function inferenceRows(f: Figures): Row[] {
  const rows: Row[] = [];
  if (!ok(f.inference)) rows.push(['inference, shipped model on CPU', why(f.inference), '—', '—']);
  else {
    const i = f.inference;
    rows.push([`inference, shipped model, ${i.tokens} tokens, onnxruntime-node CPU (session create ${ms(i.ortCreateMs)})`, `${ms(i.ortRunMs)} median`, '—', '—']);
    rows.push([`inference, same input, plain TypeScript forward pass (load ${ms(i.tsLoadMs)}; largest difference from ORT ${i.maxAbsDiff.toExponential(1)})`, `${ms(i.tsForwardMs)} median`, '—', '—']);
  }
  if (ok(f.heatmap)) {
    const h = stats(f.heatmap.ms);
    rows.push([`heatmap render time${f.heatmap.note ? ` (${f.heatmap.note})` : ''}`, `p50 ${ms(h.p50)} · max ${ms(h.max)}`, '—', '—']);
  } else rows.push(['heatmap render time', why(f.heatmap), '—', '—']);
  return rows;
}

function robustnessRows(f: Figures): Row[] {
  const rows: Row[] = [];
  if (!ok(f.memory)) rows.push(['memory after 10,000 edits', why(f.memory), 'flat', '—']);
  else {
    const m = f.memory;
    rows.push([`server RSS, ${m.edits.toLocaleString('en-US')} edits of a ${m.lines.toLocaleString('en-US')}-line file (hover after each)`,
      `${m.rssBeforeMiB.toFixed(0)} MiB before → ${m.rssAfterMiB.toFixed(0)} MiB after (peak ${m.rssPeakMiB.toFixed(0)}; per 1,000 edits: ${m.rssSamplesMiB.map((x) => x.toFixed(0)).join(', ')}); trend ${m.trendMiBPer1000.toFixed(1)} MiB / 1,000 edits`,
      'flat (bounded)', verdict(m.rssPeakMiB < 4 * Math.max(m.rssBeforeMiB, 64) && m.trendMiBPer1000 < 5)]);
  }
  if (!ok(f.fuzz)) rows.push(['fuzz', why(f.fuzz), '0 crashes', '—']);
  else {
    const z = f.fuzz;
    rows.push([`fuzz: ${z.inputs.toLocaleString('en-US')} inputs through parser, analysis, cost engine and every LSP handler`, `${z.crashes} crashes${z.firstCrash ? ` (${z.firstCrash})` : ''} in ${z.seconds.toFixed(0)} s`, '0 crashes', verdict(z.crashes === 0)]);
    rows.push(['fuzz: slowest input (analysis + all handlers at 8 offsets; a slow input is timed twice, the faster run counts)',
      `${ms(z.worstInputMs)}; ${z.over100ms} inputs over 100 ms at first, ${z.over100msConfirmed} again`, 'none over 100 ms', verdict(z.over100msConfirmed === 0)]);
  }
  return rows;
}

export function markdown(f: Figures): string {
  const rows = [...analysisRows(f), ...serverRows(f), ...estimateRows(f), ...activationRows(f), ...packageRows(f), ...inferenceRows(f), ...robustnessRows(f)];
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (test/bench/run.ts; each figure\'s code is its own module in test/bench/). Do not edit by hand.',
    'The same figures, with every sample, are in [benchmarks.json](benchmarks.json).',
    '',
    `**Machine** (all figures, one run): ${machineLine(f.machine)}.`,
    '',
    '| Figure | Result | Target | Status |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '**No network access, no telemetry**: checked on every `npm test` by test/unit/no-network.test.ts (Archlens\'s',
    'run-time sources import no network module and call no fetch/XMLHttpRequest/WebSocket; the bundles contain no',
    'HTTP client, and Node\'s `net` appears only in vscode-jsonrpc\'s local pipe/socket transports, which Archlens does',
    'not use: the client talks to the server over Node IPC).',
    '',
  ].join('\n');
}

export function writeReport(f: Figures, dir: string): { md: string; json: string } {
  fs.mkdirSync(dir, { recursive: true });
  const md = path.join(dir, 'benchmarks.md');
  const json = path.join(dir, 'benchmarks.json');
  fs.writeFileSync(md, markdown(f));
  fs.writeFileSync(json, `${JSON.stringify(f, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e4) / 1e4 : v), 1)}\n`);
  return { md, json };
}
