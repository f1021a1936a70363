/**
 * The server survives a misbehaving client: cancellations, requests for documents it never saw or has closed,
 * positions far outside the text, edits to closed documents and garbage parameters. After each abuse it must
 * still answer a normal hover (same process, no restart).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { startServer, type LspSession } from '../helpers/lspClient';

const uri = 'file:///robust/main.arch';
const text = 'model M {\n  vocab = 1000\n  d_model = 64\n  layers 2 {\n    attention(heads: 4, kv_heads: 2)\n    gated_mlp(d_ff: 256)\n  }\n}\n';
const ghost = 'file:///robust/never-opened.arch';
let s: LspSession;

const hover = (u: string, position: unknown): Promise<unknown> => s.conn.sendRequest('textDocument/hover', { textDocument: { uri: u }, position });

async function stillServing(): Promise<void> {
  assert.equal(s.proc.exitCode, null, 'server process is alive');
  const h = await hover(uri, { line: 4, character: 6 }) as { contents: { value: string } } | null;
  assert.match(h?.contents.value ?? '', /attention/, 'a normal hover still works');
}

/** Sends a request; resolves to its result, or to the JSON-RPC error (never rejects). */
async function settle(method: string, params: unknown): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  try { return { result: await s.conn.sendRequest(method, params) }; } catch (e) { return { error: e as { code: number; message: string } }; }
}

before(async () => {
  s = await startServer({ hardware: 'h100' });
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: 1, text } });
  await s.diagnostics(uri, 1);
});
after(async () => { await s.stop(); });

const tdp = (u: string, position = { line: 0, character: 0 }) => ({ textDocument: { uri: u }, position });
const range = { start: { line: 0, character: 0 }, end: { line: 1e6, character: 1e6 } };
const REQUESTS: [string, (u: string) => unknown][] = [
  ['textDocument/hover', (u) => tdp(u)],
  ['textDocument/definition', (u) => tdp(u)],
  ['textDocument/references', (u) => ({ ...tdp(u), context: { includeDeclaration: true } })],
  ['textDocument/rename', (u) => ({ ...tdp(u), newName: 'X' })],
  ['textDocument/completion', (u) => tdp(u)],
  ['textDocument/signatureHelp', (u) => tdp(u)],
  ['textDocument/documentSymbol', (u) => ({ textDocument: { uri: u } })],
  ['textDocument/foldingRange', (u) => ({ textDocument: { uri: u } })],
  ['textDocument/semanticTokens/full', (u) => ({ textDocument: { uri: u } })],
  ['textDocument/formatting', (u) => ({ textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } })],
  ['textDocument/codeAction', (u) => ({ textDocument: { uri: u }, range, context: { diagnostics: [] } })],
  ['textDocument/inlayHint', (u) => ({ textDocument: { uri: u }, range })],
  ['textDocument/codeLens', (u) => ({ textDocument: { uri: u } })],
  ['archlens/modelTotals', (u) => ({ uri: u, offset: 0 })],
  ['archlens/dashboard', (u) => ({ uri: u, offset: 0 })],
];

test('every request for a never-opened document answers an empty result, not an error', async () => {
  for (const [method, params] of REQUESTS) {
    const r = await settle(method, params(ghost));
    assert.equal(r.error, undefined, `${method}: ${r.error?.message}`);
    assert.ok(r.result === null || (Array.isArray(r.result) && r.result.length === 0) || (r.result as { data?: unknown[] }).data?.length === 0, `${method} → ${JSON.stringify(r.result)}`);
  }
  await stillServing();
});

test('positions far outside the text (line 1e6, negative, huge characters) are clamped', async () => {
  for (const position of [{ line: 1e6, character: 0 }, { line: 1e6, character: 1e6 }, { line: -1, character: -1 }, { line: 0, character: 2 ** 31 }, { line: 2 ** 31, character: 2 ** 31 }]) {
    for (const [method, params] of REQUESTS) {
      const p = params(uri) as Record<string, unknown>;
      const r = await settle(method, 'position' in p ? { ...p, position } : p);
      // Rename answers a deliberate InvalidRequest ("nothing to rename here") where there is no name.
      const deliberate = method === 'textDocument/rename' && r.error?.code === -32600;
      assert.ok(!r.error || deliberate, `${method} at ${JSON.stringify(position)}: ${r.error?.message}`);
    }
  }
  await stillServing();
});

test('$/cancelRequest: cancelled requests are answered or dropped, unknown ids ignored, the server goes on', async () => {
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < 50; i++) {
    const cts = new CancellationTokenSource();
    pending.push(s.conn.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } }, cts.token).catch((e: { code?: number }) => e.code));
    cts.cancel();
  }
  s.conn.sendNotification('$/cancelRequest', { id: 987654 });
  s.conn.sendNotification('$/cancelRequest', { id: 'not-a-request' });
  s.conn.sendNotification('$/cancelRequest', {});
  const outcomes = await Promise.all(pending);
  for (const o of outcomes) assert.ok(typeof o === 'object' || o === -32800, `unexpected outcome ${JSON.stringify(o)}`);
  await stillServing();
});

test('a document can be used, closed, then asked about and edited while closed', async () => {
  const other = 'file:///robust/other.arch';
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'arch', version: 1, text } });
  assert.ok(await hover(other, { line: 4, character: 6 }));
  s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: other } });
  assert.equal(await hover(other, { line: 4, character: 6 }), null);
  s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: other, version: 5 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }] });
  s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: ghost, version: 2 }, contentChanges: [{ text: 'model Z {}' }] });
  s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: ghost } });
  assert.equal(await hover(other, { line: 0, character: 0 }), null);
  await stillServing();
});

test('edits with ranges outside the text are applied clamped', async () => {
  const u = 'file:///robust/edits.arch';
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'arch', version: 1, text } });
  s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: 2 }, contentChanges: [{ range: { start: { line: 1e6, character: 0 }, end: { line: 1e6, character: 5 } }, text: '\n# tail' }] });
  s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: 3 }, contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 2, character: 0 } }, text: '' }] });
  const d = await s.diagnostics(u, 3);
  assert.ok(Array.isArray(d));
  await stillServing();
});

test('garbage parameters get an error or an empty answer, and the server survives', async () => {
  const garbage: unknown[] = [null, 'text', 42, [1, 2, 3], {}, { textDocument: null }, { textDocument: { uri: 42 }, position: 'x' },
    { textDocument: { uri }, position: { line: 'a', character: {} } }, { textDocument: { uri }, position: null }, { textDocument: { uri: 'not a uri' }, position: { line: 0, character: 0 } }];
  for (const [method] of REQUESTS) {
    for (const g of garbage) await settle(method, g);
  }
  // Notifications with garbage (about other documents: a well-formed didClose of \`uri\` would close it): malformed
  // opens, changes and closes, and unknown methods.
  const aboutOthers = garbage.filter((g) => !JSON.stringify(g ?? null).includes(uri));
  for (const g of [...aboutOthers, { textDocument: { uri: 'file:///robust/bad.arch', languageId: 'arch', version: 1, text: 42 } },
    { textDocument: { uri: 'file:///robust/bad2.arch', languageId: 'arch', version: 1, text: null } }]) {
    for (const m of ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'workspace/didChangeConfiguration', 'archlens/nonsense']) {
      s.conn.sendNotification(m, g);
    }
  }
  await new Promise((r) => setTimeout(r, 400)); // past the diagnostics delay, where a bad document would be analysed
  await stillServing();
  for (const bad of ['file:///robust/bad.arch', 'file:///robust/bad2.arch']) {
    for (const [method, params] of REQUESTS) await settle(method, params(bad));
  }
  await stillServing();
  const r = await settle('archlens/noSuchRequest', {});
  assert.equal(r.error?.code, -32601, 'unknown requests: MethodNotFound');
  await stillServing();
});
