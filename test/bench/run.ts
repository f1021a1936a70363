/**
 * `npm run bench` (after `npm run build`): measures every figure of the benchmark report and writes
 * docs/benchmarks.md and docs/benchmarks.json. Each figure's code is its own module; a figure that fails or
 * cannot be measured here is reported as such, the others still run.
 *   ARCHLENS_FUZZ_COUNT  fuzz inputs (default 100,000)
 *   ARCHLENS_BENCH_ONLY  comma-separated subset of: analysis,queries,hover,estimate,activation,vsix,inference,heatmap,memory,fuzz
 */
import * as fs from 'fs';
import { benchHeatmap } from './heatmap';
import * as path from 'path';
import { machine, machineLine } from './machine';
import { benchAnalysis, benchQueries } from './analysis';
import { hoverLatency } from './lspLatency';
import { activationTimes } from './activation';
import { vsixSizes } from './vsixSize';
import { benchForward } from './forward';
import { memoryAfterEdits } from './memory';
import { benchFuzz } from './fuzzBench';
import { benchEstimate } from './estimateSpeed';
import { markdown, writeReport, type Figures, type Result } from './report';

const ROOT = path.join(__dirname, '..', '..');
const only = process.env.ARCHLENS_BENCH_ONLY?.split(',').map((s) => s.trim());

async function measure<T>(name: string, fn: () => T | Promise<T>): Promise<Result<T>> {
  if (only && !only.includes(name)) return { skipped: 'left out by ARCHLENS_BENCH_ONLY' };
  const t = performance.now();
  process.stdout.write(`${name}… `);
  try {
    const r = await fn();
    console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
    return r;
  } catch (e) {
    console.log(`failed: ${(e as Error).message}`);
    return { error: (e as Error).message.split('\n')[0] };
  }
}

async function activation(): Promise<Result<Awaited<ReturnType<typeof activationTimes>>>> {
  if (!fs.existsSync(path.join(ROOT, '.e2e', 'cs'))) return { skipped: 'the real workbench is not installed (run bash test/e2e/setup.sh)' };
  return activationTimes(3);
}

/** Heatmap render time needs the real workbench (test/e2e/setup.sh). */
async function heatmap(): Promise<Result<{ ms: number[]; note?: string }>> {
  if (!fs.existsSync(path.join(__dirname, '..', '..', '.e2e', 'cs'))) return { skipped: 'the real workbench is not installed (bash test/e2e/setup.sh)' };
  return benchHeatmap();
}

async function main(): Promise<void> {
  const m = machine();
  console.log(`machine: ${machineLine(m)}`);
  const f: Figures = {
    machine: m,
    analysis: await measure('analysis', () => [500, 5000, 50_000].map(benchAnalysis)),
    queries: await measure('queries', () => benchQueries(5000)),
    hover: await measure('hover', () => hoverLatency(5000)),
    estimate: await measure('estimate', () => benchEstimate()),
    activation: await measure('activation', activation),
    vsix: await measure('vsix', vsixSizes),
    inference: await measure('inference', () => benchForward()),
    heatmap: await measure('heatmap', heatmap),
    memory: await measure('memory', () => memoryAfterEdits(5000, 10_000)),
    fuzz: await measure('fuzz', () => benchFuzz(Number(process.env.ARCHLENS_FUZZ_COUNT ?? 100_000))),
  };
  const out = writeReport(f, path.join(ROOT, 'docs'));
  console.log(`\n${markdown(f)}\nwrote ${path.relative(ROOT, out.md)} and ${path.relative(ROOT, out.json)}`);
}

void main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
