/**
 * Measured vs estimated and probe-gates messages: the dashboard's `measure` request and the host's results
 * validate (and malformed ones do not); the inference child process answers `measure` and `compileProbe` requests
 * made from the language server's program snapshot; a compiled probe for the gate panel is written to the private
 * probe folder, and text is fitted to its fixed length and vocabulary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isHostMessage, isWebviewMessage, isWebviewState, isGateRun } from '../../language-server/src/protocol/webview';
import type { MeasureResult } from '../../language-server/src/measure/types';
import { InferenceRunner } from '../../extension/inference/runner';
import { fitIds, fitPieces } from '../../extension/panels/probeGates';
import { handleCompileProbe } from '../../extension/inference/probeJob';
import { readOnnxInfo } from '../../language-server/src/onnx/info';
import { serverSnapshot } from '../helpers/snapshot';

const ROOT = path.join(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'dist', 'inference.js');
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const phase = { estimatedUs: 10, measuredUs: 25, ratio: 2.5, bound: 'memory', method: 'prefill graph', approximate: false, samplesMs: [0.1, 0.2] } as const;
const RESULT: MeasureResult = {
  model: 'M', probe: 'layers=2,width=8', params: 1000, seq: 16, runs: 2, provider: 'cpu', attempts: [{ provider: 'cuda', ok: false, error: 'skipped' }, { provider: 'cpu', ok: true }],
  device: { id: 'cpu', name: 'CPU', peakFlops: 1e11, bandwidth: 1e10, source: 'measured' }, prefill: phase, decode: { ...phase, approximate: true }, notes: ['n'],
};

test('measure messages validate both ways; malformed ones are rejected', () => {
  assert.ok(isHostMessage(wire({ type: 'measured', result: RESULT })));
  assert.ok(isHostMessage({ type: 'measureStatus', state: 'running', message: 'Measuring…' }));
  assert.ok(isHostMessage({ type: 'measureError', message: 'failed' }));
  assert.ok(!isHostMessage({ type: 'measured', result: { ...RESULT, prefill: { ...phase, bound: 'disk' } } }));
  assert.ok(!isHostMessage({ type: 'measured', result: { ...RESULT, decode: undefined } }));
  assert.ok(isWebviewMessage({ type: 'measure', probe: 'layers=2,width=8', seq: 16, runs: 10 }));
  assert.ok(isWebviewMessage({ type: 'measure', probe: '', seq: 1, runs: 1 }));
  assert.ok(isWebviewMessage({ type: 'cancelMeasure' }));
  for (const bad of [{ probe: 'layers=2;rm -rf', seq: 16, runs: 10 }, { probe: 'layers=2', seq: 0, runs: 10 }, { probe: 'layers=2', seq: 16, runs: 1.5 }, { probe: 'x'.repeat(300), seq: 16, runs: 3 }]) {
    assert.ok(!isWebviewMessage({ type: 'measure', ...bad }), JSON.stringify(bad).slice(0, 60));
  }
  assert.ok(isWebviewState(wire({ panel: 'dashboard', measured: RESULT })));
  assert.ok(!isWebviewState({ panel: 'dashboard', measured: { model: 'M' } }));
});

test('the inference child process answers a measure request (dist/inference.js)', { skip: !fs.existsSync(WORKER) && 'build first: node esbuild.mjs' }, async () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-worker-'));
  const runner = new InferenceRunner(WORKER, { env: { ARCHLENS_CACHE_DIR: cache }, timeoutMs: 60_000 });
  try {
    const snapshot = serverSnapshot(path.join(ROOT, 'examples', 'llama3_long_context.arch'), { root: ROOT });
    const r = await runner.measure({ snapshot, probe: 'layers=1,width=32', seq: 4, runs: 2, providers: ['cpu'] });
    assert.ok(isHostMessage(wire({ type: 'measured', result: r.result })));
    assert.equal(r.result.provider, 'cpu');
    assert.ok(Number.isFinite(r.result.decode.ratio) && r.result.decode.ratio > 0);
    assert.ok(fs.readdirSync(cache).some((f) => /^cpu-.*\.json$/.test(f)), 'the CPU figures were cached in ARCHLENS_CACHE_DIR');
    await assert.rejects(runner.measure({ snapshot, probe: 'layers=1', model: 'Nope' }), /no model named 'Nope'/);
    await assert.rejects(runner.measure({ snapshot, probe: '', seq: 4 }), /without a probe has [\d,]+ parameters \(more than/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-probes-'));
    const c = await runner.compileProbe({ snapshot, probe: 'layers=1,width=32', seq: 8, dir });
    assert.ok(c.probe.path.startsWith(dir) && fs.existsSync(c.probe.path) && c.probe.seq === 8);
  } finally {
    runner.dispose();
  }
});

test('probe gates: compiled into the probe folder with gate outputs; text fitted to T and the vocabulary; untrained run validates', () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-probe-')), 'probes');
  const snapshot = serverSnapshot(path.join(ROOT, 'examples', 'deepseek_v2_lite.arch'), { root: ROOT });
  const p = handleCompileProbe({ snapshot, probe: 'layers=2,width=16', seq: 32, dir });
  assert.ok(fs.existsSync(p.path) && p.path.startsWith(dir));
  const info = readOnnxInfo(new Uint8Array(fs.readFileSync(p.path)));
  assert.deepEqual(info.inputs[0].dims, [1, 32]);
  assert.ok(p.gates.some((g) => g.startsWith('moe_probs_l')) && p.gates.some((g) => g.startsWith('attn_probs_l')));
  assert.throws(() => handleCompileProbe({ snapshot, probe: '', seq: 32, dir }), /parameters \(more than/);
  assert.deepEqual(fitIds([300, 65, 66], 5, 64), { ids: [300 % 64, 1, 2, 0, 0], real: 3 });
  assert.deepEqual(fitIds([1, 2, 3, 4], 2, 64), { ids: [1, 2], real: 2 });
  assert.deepEqual(fitPieces(['a', 'b', 'c'], 2, 4), ['a', 'b', '∅', '∅']);
  const run = { model: p.label, provider: 'cpu', attempts: [], ms: 1, text: 'ab', tokens: fitPieces(['a', 'b'], 2, 4), outputs: [], untrained: true };
  assert.ok(isGateRun(wire(run)));
  assert.ok(isHostMessage({ type: 'gatesModel', model: { label: p.label, bundled: false, untrained: true, trusted: true } }));
});
