/**
 * Adversarial-families benchmark (issue 11): for each hostile family at doubling sizes, the time and heap
 * growth of a full analysis (every model, every diagnostic). Cost bounded by the text shows as time and
 * memory that grow about linearly with the file size. Not a timed test: run it by hand,
 *   node --import tsx test/bench/adversarial.ts [sizes, default 250,500,1000,2000]
 * and copy the table into docs/benchmarks.md.
 */
import { FAMILIES } from '../fuzz/hostileFamilies';
import { analyzeText } from '../helpers/memoryHost';

/** Families whose size is a nesting depth capped by the language (block definitions) are run smaller. */
const scale = (name: string, n: number): number => (name.includes('block') ? Math.max(1, Math.round(n / 50)) : name.includes('huge') ? Math.round(n / 4) : n);

function measure(text: string): { ms: number; heapMB: number } {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  void analyzeText(`${text}\n# ${Math.random()}`).diagnostics;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, heapMB: Math.max(0, process.memoryUsage().heapUsed - heap0) / 1e6 };
}

function main(): void {
  const sizes = (process.argv[2] ?? '250,500,1000,2000').split(',').map(Number);
  console.log('| family | n | bytes | ms | heap MB |\n|---|---:|---:|---:|---:|');
  for (const f of FAMILIES) {
    for (const n of sizes) {
      const text = f.make(scale(f.name, n));
      const { ms, heapMB } = measure(text);
      console.log(`| ${f.name} | ${scale(f.name, n)} | ${text.length} | ${ms.toFixed(1)} | ${heapMB.toFixed(1)} |`);
    }
  }
}

main();
