/**
 * The server pulls its settings: a real server process with a client that declares the
 * workspace/configuration capability and answers it (as VS Code does); nothing is pushed.
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
const offset = text.indexOf('model Llama3_8B') + 8;
const gatedMlp = (() => {
  const lines = text.slice(0, text.indexOf('gated_mlp') + 1).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
})();

let archlens: unknown = { hardware: 'a100', seq: 0, batch: 1, dtype: '', inlayHints: { enabled: true }, codeLens: { enabled: true } };
const sections: (string | undefined)[] = [];
const registrations: { method: string; registerOptions?: unknown }[] = [];
let s: LspSession;

before(async () => {
  // initializationOptions are ignored by a pulling server: the configuration says a100.
  s = await startServer({ hardware: 'h200' }, undefined, {
    pull: {
      registrations,
      configuration(section) {
        sections.push(section);
        if (archlens instanceof Error) throw archlens;
        return section === 'archlens' ? archlens : null;
      },
    },
  });
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: 1, text } });
});
after(async () => { await s.stop(); });

const totals = async (): Promise<{ name: string; hardware: string }> =>
  await s.conn.sendRequest('archlens/modelTotals', { uri, offset }) as { name: string; hardware: string };
const hover = async (): Promise<string> =>
  ((await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: gatedMlp })) as { contents: { value: string } } | null)?.contents.value ?? '';

test('after initialized the server registers for archlens changes and pulls the section', async () => {
  const t = await totals();
  assert.deepEqual([t.name, t.hardware], ['Llama3_8B', 'a100']);
  assert.match(await hover(), /A100/);
  assert.deepEqual(sections, ['archlens']);
  assert.deepEqual(registrations.map((r) => [r.method, r.registerOptions]), [['workspace/didChangeConfiguration', { section: 'archlens' }]]);
});

test('didChangeConfiguration (with settings: null, as VS Code sends) makes the server pull again', async () => {
  archlens = { hardware: 'mi300x', seq: 32768, inlayHints: { enabled: false } };
  s.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  // No wait: requests after the notification are answered with the pulled values.
  assert.equal((await totals()).hardware, 'mi300x');
  const md = await hover();
  assert.match(md, /MI300X/);
  assert.match(md, /decode@32,768/);
  const hints = await s.conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } } });
  assert.deepEqual(hints, [], 'inlayHints.enabled: false (nested, as VS Code returns it)');
  assert.deepEqual(sections, ['archlens', 'archlens']);
});

test('pushed settings are ignored by a pulling server; invalid pulled values fall back to the defaults', async () => {
  archlens = { hardware: 'nonsense', seq: -3 };
  s.conn.sendNotification('workspace/didChangeConfiguration', { settings: { archlens: { hardware: 'b200' } } });
  assert.equal((await totals()).hardware, 'h100');
});

test('a failed pull keeps the current settings', async () => {
  archlens = { hardware: 'l40s' };
  s.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.equal((await totals()).hardware, 'l40s');
  archlens = new Error('client cannot answer');
  s.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.equal((await totals()).hardware, 'l40s');
});
