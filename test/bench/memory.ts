/**
 * Memory over a long editing session: 10,000 edits of a 5,000-line file through the real server process, each
 * followed by a hover (so every version is analysed), with a pause every 1,000 edits so the debounced diagnostics
 * run too. The server's resident set (VmRSS from /proc/<pid>/status, Linux) is sampled before and every 1,000
 * edits. Edits alternately type and delete a character, so the text itself does not grow: flat RSS = no leak.
 * Run alone: node --import tsx test/bench/memory.ts [edits]
 */
import * as fs from 'fs';
import { startServer, type LspSession } from '../helpers/lspClient';
import { syntheticArch } from './synthetic';

export interface MemoryFigures {
  lines: number;
  edits: number;
  /** RSS in MiB after opening and analysing the file, before any edit. */
  rssBeforeMiB: number;
  /** RSS in MiB after every 1,000 edits. */
  rssSamplesMiB: number[];
  rssAfterMiB: number;
  rssPeakMiB: number;
  /** Least-squares slope of the samples, MiB per 1,000 edits (≈ 0 when memory is flat; GC makes single samples noisy). */
  trendMiBPer1000: number;
  seconds: number;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmRSS in /proc/<pid>/status');
  return Number(m[1]) / 1024;
}

function slope(ys: number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2, my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0, den = 0;
  ys.forEach((y, x) => { num += (x - mx) * (y - my); den += (x - mx) ** 2; });
  return num / den;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Edit i: type a character at the end of a comment line (even i), delete it again (odd i). */
function edit(s: LspSession, uri: string, i: number, comments: number[], lineText: string[]): void {
  const line = comments[Math.floor(i / 2) % comments.length];
  const col = lineText[line].length;
  const range = i % 2 === 0
    ? { start: { line, character: col }, end: { line, character: col } }
    : { start: { line, character: col }, end: { line, character: col + 1 } };
  s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range, text: i % 2 === 0 ? 'x' : '' }] });
}

export async function memoryAfterEdits(lines = 5000, edits = 10_000): Promise<MemoryFigures> {
  const text = syntheticArch(lines);
  const all = text.split('\n');
  const comments = all.map((l, i) => (l.startsWith('# layer definition') ? i : -1)).filter((i) => i >= 0);
  const uri = 'file:///bench/memory.arch';
  const s = await startServer({ hardware: 'h100' });
  const pid = s.proc.pid!;
  const t0 = performance.now();
  try {
    s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: 1, text } });
    await s.diagnostics(uri, 1);
    const hoverAt = { line: all.findIndex((l) => l.includes('gated_mlp')), character: 4 };
    const rssBeforeMiB = rssMiB(pid);
    const samples: number[] = [];
    for (let i = 0; i < edits; i++) {
      edit(s, uri, i, comments, all);
      await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverAt });
      if ((i + 1) % 1000 === 0) {
        await sleep(250); // let the debounced diagnostics run on this version
        samples.push(rssMiB(pid));
      }
    }
    return {
      lines: all.length, edits, rssBeforeMiB, rssSamplesMiB: samples, rssAfterMiB: samples[samples.length - 1], rssPeakMiB: Math.max(...samples),
      trendMiBPer1000: slope(samples), seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await s.stop();
  }
}

if (require.main === module) {
  void memoryAfterEdits(5000, Number(process.argv[2] ?? 10_000)).then((f) => console.log(JSON.stringify(f, null, 1)));
}
