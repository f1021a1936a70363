/**
 * The language server through the LSP protocol: a real server process (dist/server.js, built by
 * `npm test` before the tests) and real JSON-RPC over stdio.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { startServer, type LspSession } from '../helpers/lspClient';

const file = path.join(__dirname, '..', '..', 'language-server', 'stdlib', 'llama3.arch');
const uri = pathToFileURL(file).toString();
const text = fs.readFileSync(file, 'utf8');
let s: LspSession;

/** LSP position of the n-th occurrence of `needle` (plus `delta` characters). */
function pos(needle: string, delta = 1, nth = 0, src = text): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = src.indexOf(needle, at + 1);
  assert.ok(at >= 0, `'${needle}' not found`);
  const before = src.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

before(async () => {
  s = await startServer({ hardware: 'h100' });
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: 1, text } });
});
after(async () => { await s.stop(); });

const hoverText = async (p: { line: number; character: number }, u = uri): Promise<string> => {
  const h = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: u }, position: p }) as { contents: { value: string } } | null;
  return h?.contents.value ?? '';
};

test('diagnostics: no errors; a warning that Llama-3.1-70B at 128K does not fit one H100', async () => {
  const d = await s.diagnostics(uri);
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 2);
  assert.match(d[0].message, /^Llama3_1_70B: weights \(131 GiB\) \+ KV\/state for 1 × 131072 tokens \(40 GiB\) exceed NVIDIA H100 SXM5 80GB's 74\.5 GiB$/);
  assert.deepEqual(d[0].range.start, pos('Llama3_1_70B', 0));
});

test('hover on a block inside a definition: the SwiGLU MLPs of Llama-3-8B (32 × 3·4096·14336 = 5.64 B)', async () => {
  const md = await hoverText(pos('gated_mlp'));
  assert.match(md, /gated_mlp × 32/);
  assert.match(md, /5\.64 B total/);
  assert.match(md, /70\.2 % of Llama3_8B/);
  assert.match(md, /memory-bound/);
  assert.match(md, /H100/);
});

test('hover on a model name shows totals: 8.03 B params', async () => {
  const md = await hoverText(pos('model Llama3_8B', 8));
  assert.match(md, /model Llama3_8B/);
  assert.match(md, /8\.03 B total/);
});

test('hover on a layers group and on a block definition', async () => {
  assert.match(await hoverText(pos('layers 32', 2)), /layers group.*\n[\s\S]*6\.98 B total/);
  assert.match(await hoverText(pos('block LlamaLayer', 8)), /block LlamaLayer — one use, as in model Llama3_8B[\s\S]*218 M total/);
});

test('definition and references of a block definition', async () => {
  const def = await s.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: pos('LlamaLayer(heads: 32', 3) }) as { range: { start: { line: number } } };
  assert.equal(def.range.start.line, pos('block LlamaLayer').line);
  const refs = await s.conn.sendRequest('textDocument/references', { textDocument: { uri }, position: pos('block LlamaLayer', 8), context: { includeDeclaration: true } }) as unknown[];
  assert.equal(refs.length, 3);
});

test('rename a block definition edits the declaration and every use', async () => {
  const edit = await s.conn.sendRequest('textDocument/rename', { textDocument: { uri }, position: pos('block LlamaLayer', 8), newName: 'Decoder' }) as { changes: Record<string, unknown[]> };
  assert.equal(edit.changes[uri].length, 3);
  await assert.rejects(s.conn.sendRequest('textDocument/rename', { textDocument: { uri }, position: pos('block LlamaLayer', 8), newName: '9bad' }));
});

test('completion inside an argument list offers the kind\'s parameters with docs', async () => {
  const items = await s.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos('attention(heads', 10) }) as { label: string; documentation?: { value: string } }[];
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('window') && labels.includes('qk_norm'), labels.join(','));
  assert.ok(!labels.includes('heads'), 'already-given arguments are not offered again');
});

test('inlay hints and code lenses carry parameter counts', async () => {
  const hints = await s.conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } } }) as { label: string }[];
  // Inside a block definition a hint gives one use (3·4096·14336 = 176 M); in a model body, all occurrences.
  assert.ok(hints.some((h) => h.label === ' 176 M params each'), JSON.stringify(hints.map((h) => h.label)));
  assert.ok(hints.some((h) => h.label === ' 525 M params'), 'embedding of Llama-3-8B: 128256·4096');
  const lenses = await s.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } }) as { command: { title: string; command: string } }[];
  assert.ok(lenses.some((l) => /^8\.03 B params/.test(l.command.title)));
  assert.ok(lenses.some((l) => l.command.command === 'archlens.visualizeGates'));
});

test('an edit with an error publishes a located diagnostic; requests on a half-typed file still work', async () => {
  const bad = text.replace('  rmsnorm\n  lm_head\n}', '  atention(heads: 4)\n  rmsnorm\n  lm_head\n}');
  s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: bad }] });
  const d = (await s.diagnostics(uri, 2)).filter((x) => x.severity === 1);
  assert.equal(d.length, 1);
  assert.match(d[0].message, /unknown block 'atention'.*did you mean 'attention'/);
  assert.deepEqual(d[0].range.start, pos('atention', 0, 0, bad));
  assert.match(await hoverText(pos('gated_mlp', 1, 0, bad)), /5\.64 B total/);
  s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
  assert.deepEqual((await s.diagnostics(uri, 3)).filter((x) => x.severity === 1), []);
});

test('a settings change updates the hover (H100 → A100)', async () => {
  s.conn.sendNotification('workspace/didChangeConfiguration', { settings: { archlens: { hardware: 'a100', seq: 32768 } } });
  const md = await hoverText(pos('gated_mlp'));
  assert.match(md, /A100/);
  assert.match(md, /decode@32,768/);
  s.conn.sendNotification('workspace/didChangeConfiguration', { settings: { archlens: { hardware: 'h100' } } });
});

test('requests for unknown documents and out-of-range positions answer safely', async () => {
  assert.equal(await hoverText({ line: 0, character: 0 }, 'file:///nope.arch'), '');
  assert.equal(await hoverText({ line: 9999, character: 9999 }), '');
  const totals = await s.conn.sendRequest('archlens/modelTotals', { uri, offset: text.indexOf('model Llama3_1_70B') + 3 }) as { name: string; paramsTotal: number };
  assert.deepEqual([totals.name, totals.paramsTotal], ['Llama3_1_70B', 70_553_706_496]);
});
