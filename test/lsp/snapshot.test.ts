/**
 * archlens/programSnapshot through a real server process (dist/server.js) with a workspace folder, then the
 * inference worker's handlers on that snapshot: an import of `../../outside.arch` (a real file outside the
 * workspace) is refused by the probe compile and the measurement with the server's own "import refused"
 * message, and the snapshot carries unsaved buffers (didChange text, not the disk).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { startServer, type LspSession } from '../helpers/lspClient';
import { ProgramSnapshotRequest } from '../../language-server/src/protocol/lsp';
import { handleCompileProbe } from '../../extension/inference/probeJob';
import { handleMeasure } from '../../extension/inference/measureJob';

const BLOCK = 'block Secret() {\n  gated_mlp(d_ff: 256)\n}\n';
const model = (name: string, block = 'gated_mlp(d_ff: 256)'): string =>
  `model ${name} {\n  vocab = 1000\n  d_model = 64\n  embedding()\n  layers 2 {\n    attention(heads: 4)\n    ${block}\n  }\n  lm_head()\n}\n`;

let tmp = '';
let ws = '';
let s: LspSession;
const uriOf = (f: string): string => pathToFileURL(f).toString();

before(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-snapshot-')));
  ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, 'models'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'outside.arch'), BLOCK);
  fs.writeFileSync(path.join(ws, 'models', 'escape.arch'), `import "../../outside.arch"\n${model('Escape', 'Secret()')}`);
  fs.writeFileSync(path.join(ws, 'models', 'lib.arch'), 'block Mixer() {\n  gated_mlp(d_ff: 256)\n}\n');
  fs.writeFileSync(path.join(ws, 'models', 'main.arch'), `import "lib.arch"\n${model('OnDisk', 'Mixer()')}`);
  s = await startServer({ hardware: 'h100' }, undefined, { rootUri: uriOf(ws) });
});
after(async () => {
  await s?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function open(file: string, text = fs.readFileSync(file, 'utf8'), version = 1): string {
  const uri = uriOf(file);
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version, text } });
  return uri;
}

test('an import outside the workspace: the worker refuses the probe and the measurement with the server\'s message', async () => {
  const uri = open(path.join(ws, 'models', 'escape.arch'));
  const refused = (await s.diagnostics(uri)).find((d) => d.message.startsWith('import refused'));
  assert.ok(refused, 'the server reports the refused import');
  const snapshot = await s.conn.sendRequest(ProgramSnapshotRequest.type, { uri });
  assert.ok(snapshot);
  assert.equal(snapshot.file, path.join(ws, 'models', 'escape.arch'));
  assert.ok(!snapshot.files.some((f) => f.path === path.join(tmp, 'outside.arch') || f.text === BLOCK), 'the outside file is not in the snapshot');
  assert.match(refused.message, /outside the workspace folder/);
  const dir = path.join(tmp, 'probes');
  assert.throws(() => handleCompileProbe({ snapshot, probe: 'layers=1,width=2', seq: 8, dir }), (e: Error) => {
    assert.ok(e.message.startsWith(`the model has errors: ${refused.message}`), e.message);
    return true;
  });
  await assert.rejects(handleMeasure({ snapshot, probe: 'layers=1', seq: 4, runs: 1, providers: ['cpu'] }), (e: Error) => e.message.includes(refused.message));
  assert.ok(!fs.existsSync(dir) || fs.readdirSync(dir).length === 0, 'no probe file was written');
});

test('the snapshot carries unsaved buffers: didChange text of the document and an open import, not the disk', async () => {
  const main = path.join(ws, 'models', 'main.arch');
  const lib = path.join(ws, 'models', 'lib.arch');
  open(lib, 'block Mixer() {\n  gated_mlp(d_ff: 128)\n}\n');
  const uri = open(main);
  const edited = `import "lib.arch"\n${model('Unsaved', 'Mixer()')}`;
  s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
  const snapshot = await s.conn.sendRequest(ProgramSnapshotRequest.type, { uri });
  assert.ok(snapshot);
  const texts = new Map(snapshot.files.map((f) => [f.path, f.text]));
  assert.equal(texts.get(main), edited);
  assert.match(texts.get(lib) ?? '', /d_ff: 128/);
  assert.deepEqual(snapshot.files.find((f) => f.path === main)?.imports, [{ spec: 'lib.arch', file: lib }]);
  const probe = handleCompileProbe({ snapshot, probe: 'layers=1', seq: 8, dir: path.join(tmp, 'probes') });
  assert.match(probe.label, /^Unsaved probe layers=1 \(T 8\)$/);
  assert.ok(probe.path.startsWith(path.join(tmp, 'probes')) && fs.existsSync(probe.path));
});

test('a document the server does not have: null', async () => {
  assert.equal(await s.conn.sendRequest(ProgramSnapshotRequest.type, { uri: uriOf(path.join(ws, 'nope.arch')) }), null);
});
