/** Runtime validators of the extension ↔ webview messages (webview/protocol.ts) and the dashboard handler's JSON. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';
import type { DashboardData } from '../../language-server/src/protocol/dashboard';
import { isDashboardData, isGateRun, isHostMessage, isWebviewMessage, isWebviewState, type GateRun } from '../../language-server/src/protocol/webview';

const STD = path.join(__dirname, '..', '..', 'language-server', 'stdlib');
function docOf(name: string): DocState {
  const file = path.join(STD, name);
  return new DocState(`file://${file}`, file, fs.readFileSync(file, 'utf8'), analyze(file, nodeHost()), DEFAULT_SETTINGS);
}
/** What postMessage delivers: a JSON-compatible clone. */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const RUN: GateRun = {
  model: 'm.onnx', provider: 'cpu', ms: 3.2, text: 'ab', untrained: false, tokens: ['a', 'b'],
  attempts: [{ provider: 'cuda', ok: false, error: 'no libs' }, { provider: 'cpu', ok: true }],
  outputs: [{ name: 'engram_alpha_l1', dims: [1, 2], data: [0.1, 0.9] }],
};

test('handleDashboard output (llama3, engram with compare) passes the validator after a JSON round trip', () => {
  const llama = handleDashboard(docOf('llama3.arch'));
  assert.ok(!('error' in llama));
  assert.equal(llama.model, 'Llama3_8B');
  assert.equal(llama.allocation, undefined);
  assert.ok(isDashboardData(wire(llama)));
  const eng = handleDashboard(docOf('engram.arch'), 'Engram27B', ['MoE27B', 'Nope']) as DashboardData;
  assert.deepEqual(eng.compare, ['MoE27B']);
  assert.equal(eng.comparison?.rows.length, 2);
  assert.ok(eng.allocation && Math.abs(eng.allocation.base.rho - 0.743) < 0.001);
  assert.ok(isHostMessage(wire({ type: 'dashboard', data: eng })));
});

test('handleDashboard reports a file without models', () => {
  const file = path.join(STD, 'llama3.arch');
  const empty = new DocState('file:///x.arch', file, '', analyze(file, { read: () => '# nothing', resolve: () => undefined }), DEFAULT_SETTINGS);
  const r = handleDashboard(empty);
  assert.ok('error' in r);
});

test('host messages: well-formed accepted, malformed rejected', () => {
  const good = [
    { type: 'gates', run: RUN },
    { type: 'gatesStatus', state: 'running', message: 'x', elapsedMs: 10 },
    { type: 'gatesError', message: 'boom' },
    { type: 'gatesModel', model: { label: 'a', bundled: true, untrained: false, trusted: false } },
    { type: 'dashboardError', message: 'no model', models: [] },
    { type: 'setText', text: 'hello' },
  ];
  for (const m of good) assert.ok(isHostMessage(m), JSON.stringify(m));
  const bad: unknown[] = [
    null, undefined, 42, 'gates', [], {}, { type: 'nope' }, { type: 'toString' }, { type: '__proto__' },
    { type: 'gates' }, { type: 'gates', run: { ...RUN, provider: 3 } },
    { type: 'gates', run: { ...RUN, outputs: [{ name: 'x', dims: [1, 3], data: [1, 2] }] } }, // size ≠ product of dims
    { type: 'gates', run: { ...RUN, outputs: [{ name: 'x', dims: [-1], data: [] }] } },
    { type: 'gates', run: { ...RUN, outputs: [{ name: 'x', dims: [2], data: [1, 'a'] }] } },
    { type: 'gates', run: { ...RUN, outputs: [{ name: 'x', dims: [1], data: [NaN] }] } },
    { type: 'gatesStatus', state: 'paused', message: '', elapsedMs: 0 },
    { type: 'dashboard', data: {} },
    { type: 'dashboard', data: { ...wire(handleDashboard(docOf('llama3.arch'))), context: [{ seq: '1k' }] } },
    { type: 'setText' },
  ];
  for (const m of bad) assert.equal(isHostMessage(m), false, JSON.stringify(m));
});

test('webview messages: well-formed accepted, malformed rejected', () => {
  const good = [
    { type: 'ready', panel: 'dashboard' }, { type: 'ready', panel: 'gates' }, { type: 'runGates', text: 'x' }, { type: 'cancelGates' },
    { type: 'dashboardOptions', model: 'M', compare: ['A'] }, { type: 'selectHardware' }, { type: 'chooseModel' }, { type: 'useBundledModel' },
  ];
  for (const m of good) assert.ok(isWebviewMessage(m), JSON.stringify(m));
  const bad: unknown[] = [
    null, {}, { type: 'ready' }, { type: 'ready', panel: 'other' }, { type: 'runGates' }, { type: 'runGates', text: 5 },
    { type: 'runGates', text: 'x'.repeat(100_001) }, { type: 'dashboardOptions', model: 'M' }, { type: 'dashboardOptions', model: 'M', compare: [1] },
    { type: 'constructor' }, { type: 'hasOwnProperty' }, { type: 'gates', run: RUN },
  ];
  for (const m of bad) assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
});

test('webview state validator (used by the serializer)', () => {
  assert.ok(isWebviewState({ panel: 'gates', gates: RUN, text: 'ab', selections: { 'alpha-row': 'all' } }));
  assert.ok(isWebviewState({ panel: 'dashboard', uri: 'file:///a.arch', model: 'M', compare: [] }));
  assert.equal(isWebviewState({ panel: 'gates', gates: { ...RUN, tokens: 'ab' } }), false);
  assert.equal(isWebviewState({ panel: 'x' }), false);
  assert.equal(isWebviewState(null), false);
  assert.ok(isGateRun(RUN));
});
