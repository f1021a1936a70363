/**
 * Hover round-trip latency through the real language server process (stdio JSON-RPC) on a
 * 5,000-line file: steady state, and right after an edit (the server re-analyses first).
 */
import { startServer } from '../helpers/lspClient';
import { syntheticArch } from './synthetic';

export interface LatencyFigures {
  steady: number[];
  afterEdit: number[];
  /** The first edit+hover rounds after the server started, while its code is still being JIT-compiled (not in afterEdit). */
  warmup: number[];
  lines: number;
}

/** Edit+hover rounds run first and reported apart: V8 optimises the re-parse and hover paths during them. */
const WARMUP = 50;

export async function hoverLatency(lines = 5000, runs = 500): Promise<LatencyFigures> {
  const text = syntheticArch(lines);
  const uri = 'file:///bench/synthetic.arch';
  const s = await startServer({ hardware: 'h100' });
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: 1, text } });
  await s.diagnostics(uri, 1);
  const all = text.split('\n');
  // Edit a comment in the middle of the file and hover a block below it, so the edit shifts what is hovered.
  const editLine = all.findIndex((l, i) => i > all.length / 2 && l.startsWith('# layer definition'));
  const at = all.findIndex((l, i) => i > editLine && l.includes('gated_mlp'));
  const position = { line: at, character: 4 };
  const hover = async (): Promise<number> => {
    const t = process.hrtime.bigint();
    const h = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position }) as { contents: { value: string } } | null;
    if (!h?.contents.value.includes('gated_mlp')) throw new Error('hover did not answer with the block card');
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const steady: number[] = [];
  for (let i = 0; i < runs; i++) steady.push(await hover());
  const rounds: number[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    // Type one character into that comment, as a user does, then hover at once.
    const col = all[editLine].length + i;
    s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ range: { start: { line: editLine, character: col }, end: { line: editLine, character: col } }, text: 'x' }],
    });
    rounds.push(await hover());
  }
  await s.stop();
  return { steady, warmup: rounds.slice(0, WARMUP), afterEdit: rounds.slice(WARMUP), lines: text.split('\n').length };
}
