/**
 * Hover round-trip latency through the real language server process (stdio JSON-RPC) on a
 * 5,000-line file: steady state, and right after an edit (the server re-analyses first).
 */
import { startServer } from '../helpers/lspClient';
import { syntheticArch } from './synthetic';

export interface LatencyFigures { steady: number[]; afterEdit: number[]; lines: number }

export async function hoverLatency(lines = 5000, runs = 200): Promise<LatencyFigures> {
  const text = syntheticArch(lines);
  const uri = 'file:///bench/synthetic.arch';
  const s = await startServer({ hardware: 'h100' });
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: 1, text } });
  await s.diagnostics(uri, 1);
  const at = text.split('\n').findIndex((l) => l.includes('gated_mlp'));
  const position = { line: at, character: 4 };
  const hover = async (): Promise<number> => {
    const t = process.hrtime.bigint();
    const h = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position }) as { contents: { value: string } } | null;
    if (!h?.contents.value.includes('gated_mlp')) throw new Error('hover did not answer with the block card');
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const steady: number[] = [];
  for (let i = 0; i < runs; i++) steady.push(await hover());
  const afterEdit: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Edit the last line (a comment), as typing does, then hover at once.
    s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ range: { start: { line: lines + 10, character: 0 }, end: { line: lines + 10, character: 0 } }, text: '#' }],
    });
    afterEdit.push(await hover());
  }
  await s.stop();
  return { steady, afterEdit, lines: text.split('\n').length };
}
