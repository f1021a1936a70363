/**
 * `npm run bench`: prints parse / analysis time for a 5,000-line file and the time of a single
 * block cost query (the work behind one hover), as median and p99 over many runs.
 * Targets (issue 2): full analysis < 50 ms, single block query < 1 ms.
 */
import * as os from 'os';
import { parse } from '../../language-server/src/syntax/parser';
import { analyze } from '../../language-server/src/semantic/analyze';
import { costBlock, costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { memoryHost } from '../helpers/memoryHost';
import { syntheticArch } from './synthetic';
import { fuzzInputs } from '../fuzz/generate';
import { hoverLatency } from './lspLatency';
import { activationTimes } from './activation';
import * as fs from 'fs';
import * as path from 'path';

function stats(samples: number[]): { median: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))], max: s[s.length - 1] };
}

function time(fn: () => void, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

const ms = (x: number): string => `${x.toFixed(3)} ms`;
const hw = findHardware('h100')!;

function benchAnalysis(lines: number): void {
  const text = syntheticArch(lines);
  const n = text.split('\n').length;
  // Each run gets a distinct text so the parse cache cannot help (as after a keystroke).
  let k = 0;
  const parseT = stats(time(() => parse(`${text}\n# ${k++}`), 30));
  const analyzeT = stats(time(() => analyze('/mem/main.arch', memoryHost({ '/mem/main.arch': `${text}\n# ${k++}` })), 30));
  console.log(`parse            ${n} lines: median ${ms(parseT.median)}, p99 ${ms(parseT.p99)}`);
  console.log(`parse + analyse  ${n} lines: median ${ms(analyzeT.median)}, p99 ${ms(analyzeT.p99)}  (target < 50 ms)`);
  const a = analyze('/mem/main.arch', memoryHost({ '/mem/main.arch': text }));
  const blocks = a.models.flatMap((m) => m.blocks);
  let i = 0;
  const query = stats(time(() => { costBlock(blocks[i++ % blocks.length], { seq: 8192, batch: 1 }); }, 20000));
  console.log(`block cost query (one hover's block): median ${ms(query.median)}, p99 ${ms(query.p99)}  (target < 1 ms)`);
  let j = 0;
  const model = stats(time(() => { costModel(a.models[j++ % a.models.length], { hardware: hw }); }, 2000));
  console.log(`model cost report (one model, all blocks): median ${ms(model.median)}, p99 ${ms(model.p99)}`);
}

function benchFuzz(count: number): void {
  let worst = 0;
  const t0 = Date.now();
  for (const text of fuzzInputs(count, 7)) {
    const t = process.hrtime.bigint();
    const a = analyze('/mem/main.arch', memoryHost({ '/mem/main.arch': text }));
    for (const m of a.models) costModel(m, { hardware: hw });
    worst = Math.max(worst, Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`fuzz             ${count} inputs in ${((Date.now() - t0) / 1000).toFixed(1)} s, slowest input ${ms(worst)} (target < 100 ms), no crash`);
}

async function benchHover(): Promise<void> {
  const h = await hoverLatency(5000);
  const a = stats(h.steady), b = stats(h.afterEdit);
  console.log(`hover via server ${h.lines} lines, steady: median ${ms(a.median)}, p99 ${ms(a.p99)}`);
  console.log(`hover via server ${h.lines} lines, right after an edit: median ${ms(b.median)}, p99 ${ms(b.p99)}  (target p99 < 5 ms)`);
}

async function benchActivation(): Promise<void> {
  if (!fs.existsSync(path.join(__dirname, '..', '..', '.e2e', 'cs'))) {
    console.log('activation       skipped: the real workbench is not installed (run bash test/e2e/setup.sh)');
    return;
  }
  const f = await activationTimes(3);
  console.log(`activation       real workbench, 3 runs: ${f.activation.map(ms).join(', ')}  (target < 150 ms); language server ready after ${f.serverReady.map(ms).join(', ')}`);
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}`);
  benchAnalysis(5000);
  await benchHover();
  await benchActivation();
  benchFuzz(Number(process.env.ARCHLENS_FUZZ_COUNT ?? 100_000));
}

void main();
