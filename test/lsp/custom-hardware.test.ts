/**
 * `archlens.customHardware` through a real server that pulls its settings: a custom device chosen with
 * `archlens.hardware` drives the hover card; bad entries give one clear warning (window/showMessageRequest)
 * and are ignored; the server keeps answering.
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

const MY_GPU = { id: 'my-gpu', name: 'Acme X1 64GB', short: 'X1', bf16: 400, fp8: 800, bandwidth: 2000, memory: 64, interconnect: 100, gpusPerNode: 4 };
let archlens: unknown = { hardware: 'my-gpu', customHardware: [MY_GPU] };
let s: LspSession;

before(async () => {
  s = await startServer({}, undefined, { pull: { configuration: (section) => (section === 'archlens' ? archlens : null) } });
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: 1, text } });
});
after(async () => { await s.stop(); });

const totals = async (): Promise<{ hardware: string; decodeSeconds: number }> =>
  await s.conn.sendRequest('archlens/modelTotals', { uri, offset }) as { hardware: string; decodeSeconds: number };
const hover = async (): Promise<string> =>
  ((await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: gatedMlp })) as { contents: { value: string } } | null)?.contents.value ?? '';
const change = (value: unknown): void => { archlens = value; s.conn.sendNotification('workspace/didChangeConfiguration', { settings: null }); };

test('a custom device from settings is used by the hover and the totals', async () => {
  const t = await totals();
  assert.equal(t.hardware, 'my-gpu');
  assert.match(await hover(), /Acme X1 64GB/);
  assert.deepEqual(s.shownMessages, [], 'valid settings: no warning');
  // Memory-bound decode scales with the custom bandwidth: half the bandwidth, twice the time.
  change({ hardware: 'my-gpu', customHardware: [{ ...MY_GPU, bandwidth: 1000 }] });
  const slower = await totals();
  assert.ok(Math.abs(slower.decodeSeconds / t.decodeSeconds - 2) < 0.05, `${slower.decodeSeconds} vs ${t.decodeSeconds}`);
});

test('bad custom entries give one clear warning and are ignored; the good ones still work', async () => {
  change({ hardware: 'my-gpu', customHardware: [{ id: 'h100', bf16: 1, bandwidth: 1, memory: 1 }, { id: 'half', bf16: 10 }, MY_GPU] });
  assert.equal((await totals()).hardware, 'my-gpu');
  assert.equal(s.shownMessages.length, 1);
  const w = s.shownMessages[0];
  assert.equal(w.type, 2, 'a warning');
  assert.match(w.message, /^Archlens settings: archlens\.customHardware\[0\] \("h100"\): id 'h100' is a catalogue device; choose another id; entry ignored \(and 1 more in the Archlens output\)$/);
  change({ hardware: 'my-gpu', customHardware: [{ id: 'h100', bf16: 1, bandwidth: 1, memory: 1 }, { id: 'half', bf16: 10 }, MY_GPU], seq: 4096 });
  await totals();
  assert.equal(s.shownMessages.length, 1, 'the same problems are not shown again');
});

test('choosing a custom id whose entry is invalid falls back to the default, with a warning', async () => {
  change({ hardware: 'half', customHardware: [{ id: 'half', bf16: 10 }] });
  assert.equal((await totals()).hardware, 'h100');
  assert.match(await hover(), /H100/);
  assert.equal(s.shownMessages.length, 2);
  assert.match(s.shownMessages[1].message, /'bf16'|'bandwidth' is required/);
  assert.match(s.shownMessages[1].message, /\(and 1 more/);
});
