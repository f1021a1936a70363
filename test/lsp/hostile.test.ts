/**
 * Hostile documents (issue 11): the real server process stays alive and answers for every adversarial
 * family (deep and wide), imports of a FIFO or a huge file, and a rename that would edit the standard library.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { startServer, type LspSession } from '../helpers/lspClient';
import { FAMILIES } from '../fuzz/hostileFamilies';

let s: LspSession;
let tmp = '';
let version = 0;

before(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-lsp-hostile-')));
  fs.writeFileSync(path.join(tmp, 'big.arch'), 'A'.repeat(5 * 1024 * 1024));
  if (process.platform !== 'win32') execFileSync('mkfifo', [path.join(tmp, 'pipe.arch')]);
  s = await startServer({ hardware: 'h100' });
});
after(async () => { await s.stop(); fs.rmSync(tmp, { recursive: true, force: true }); });

function open(name: string, text: string): string {
  const uri = pathToFileURL(path.join(tmp, name)).toString();
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: ++version, text } });
  return uri;
}

/** A request that must answer within `ms` (a hang fails the test instead of stalling it). */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  try { return await Promise.race([p, late]); } finally { clearTimeout(timer); }
}

const tdp = (uri: string) => ({ textDocument: { uri }, position: { line: 1, character: 3 } });
const REQUESTS: [string, (u: string) => unknown][] = [
  ['textDocument/hover', tdp],
  ['textDocument/inlayHint', (u) => ({ textDocument: { uri: u }, range: { start: { line: 0, character: 0 }, end: { line: 1e5, character: 0 } } })],
  ['textDocument/codeLens', (u) => ({ textDocument: { uri: u } })],
  ['textDocument/documentSymbol', (u) => ({ textDocument: { uri: u } })],
  ['textDocument/semanticTokens/full', (u) => ({ textDocument: { uri: u } })],
  ['textDocument/formatting', (u) => ({ textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } })],
  ['textDocument/completion', tdp],
];

test('every adversarial family: diagnostics arrive, every request answers, the process stays alive', async () => {
  for (const f of FAMILIES) {
    const n = f.name.includes('block') ? 40 : f.name.includes('huge') ? 600 : 3000;
    const uri = open(`${f.name.replace(/ /g, '-')}.arch`, f.make(n));
    const diags = await within(10_000, `${f.name} diagnostics`, s.diagnostics(uri, version));
    assert.ok(Array.isArray(diags), f.name);
    for (const [method, params] of REQUESTS) {
      await within(5_000, `${f.name} ${method}`, s.conn.sendRequest(method, params(uri)));
    }
    assert.equal(s.proc.exitCode, null, `server alive after ${f.name}`);
  }
});

test('a 4,000-term expression is a located diagnostic on its line', async () => {
  const uri = open('sum.arch', FAMILIES.find((f) => f.name === 'long sum')!.make(4000));
  const d = await s.diagnostics(uri, version);
  assert.ok(d.some((x) => x.range.start.line === 0 && /expression too long or too deeply nested/.test(x.message)), JSON.stringify(d).slice(0, 500));
});

test('importing a FIFO or a 5 MiB file gives a diagnostic on the import line, and the server keeps serving', { skip: process.platform === 'win32' }, async () => {
  const uri = open('imports.arch', 'import "pipe.arch"\nimport "big.arch"\nmodel M {\n  vocab = 10\n  d_model = 8\n  rmsnorm\n}\n');
  const d = await within(5_000, 'diagnostics', s.diagnostics(uri, version));
  const msgs = d.map((x) => `${x.range.start.line} ${x.message}`);
  assert.ok(msgs.some((m) => /^0 cannot import 'pipe\.arch': .*named pipe/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^1 cannot import 'big\.arch': 'big\.arch' is 5\.0 MiB/.test(m)), msgs.join('\n'));
  const h = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } }) as { contents: { value: string } } | null;
  assert.match(h?.contents.value ?? '', /rmsnorm/);
});

test('renaming a standard-library block is refused, with no edit to the installed files', async () => {
  const text = 'import "std/llama3"\nmodel M extends Llama3_8B {\n}\n';
  const uri = open('rename.arch', text);
  await s.diagnostics(uri, version);
  const r = await s.conn.sendRequest('textDocument/rename', { textDocument: { uri }, position: { line: 1, character: 20 }, newName: 'Mine' }).then(
    (result) => ({ result }), (error: { message: string }) => ({ error }));
  assert.ok('error' in r, `expected a refusal, got ${JSON.stringify(r).slice(0, 300)}`);
  assert.match(r.error.message, /outside the workspace/);
});

/** The worst files of the extreme-argument sweep (test/unit/hostile-kinds.test.ts, hostile-compile.test.ts). */
const EXTREME: [string, string][] = [
  ['cms-periods', `cms(d_ff: 16, periods: [${Array(100_000).fill('1').join(', ')}])`],
  ['engram-orders', `engram(orders: [${Array(100_000).fill('2').join(', ')}], heads: 1, slots: 16, dim: 100000)`],
  ['lstm-overflow', 'lstm(hidden: 1e308)'],
  ['dnc-slots', 'dnc(hidden: 24, slots: 1e9, width: 8)'],
  ['bigbird', 'attention(heads: 4, mask: block_sparse, block: 1, random: 1e9)'],
  ['strided', 'attention(heads: 4, mask: strided, stride: 1)'],
  ['moa', 'attention(heads: 4, kv_heads: 2, head_dim: 8, experts: 1e9, top_k: 1e9)'],
  ['mhc', 'mhc(streams: 4, sinkhorn_iters: 1e9)'],
];

test('extreme kind arguments at context 2^31: diagnostics, hover and completion answer within bounds, no NaN or Infinity', async () => {
  for (const [name, use] of EXTREME) {
    const text = `model M {\n  vocab = 64\n  d_model = 32\n  context = 2147483648\n  embedding\n  layers 1_000_000 {\n    ${use}\n  }\n  lm_head\n}\n`;
    const uri = open(`extreme-${name}.arch`, text);
    const diags = await within(10_000, `${name} diagnostics`, s.diagnostics(uri, version));
    for (const d of diags) assert.doesNotMatch(d.message, /\bNaN\b|Infinity/, `${name}: ${d.message}`);
    for (const position of [{ line: 6, character: 6 }, { line: 0, character: 7 }]) {
      const h = await within(2_000, `${name} hover`, s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position })) as { contents: { value: string } } | null;
      assert.doesNotMatch(h?.contents.value ?? '', /\bNaN\b|Infinity|undefined/, `${name} hover at ${position.line}`);
      await within(2_000, `${name} completion`, s.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position }));
    }
    assert.equal(s.proc.exitCode, null, `server alive after ${name}`);
  }
});
