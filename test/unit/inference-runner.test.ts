// Runs real inference in the forked child process (dist/inference.js; build it first with `node esbuild.mjs`).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InferenceError, InferenceRunner } from '../../extension/inference/runner';
import type { ProgressMessage, ResultMessage } from '../../language-server/src/protocol/inference';
import { heavyModel, tinyGateModel } from '../helpers/onnxWriter';
import * as ort from 'onnxruntime-node';
import { analyzeText } from '../helpers/memoryHost';
import { compileModel } from '../../language-server/src/compile/compile';
import { memoryFeeds } from './compile-harness';

const WORKER = resolve(__dirname, '../../dist/inference.js');
const dir = mkdtempSync(join(tmpdir(), 'archlens-infer-'));
const tiny = tinyGateModel({ vocab: 16, d: 8 });
const tinyPath = join(dir, 'tiny.onnx');
const heavyPath = join(dir, 'heavy.onnx');
writeFileSync(tinyPath, tiny.bytes);
writeFileSync(heavyPath, heavyModel(512, 200));
const HEAVY_IDS = Array.from({ length: 4096 }, (_, i) => i % 256);

const runner = new InferenceRunner(WORKER, { timeoutMs: 60_000 });
after(() => {
  runner.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function expectedLogits(ids: number[]): number[] {
  const { vocab: V, d: D, embed, wOut } = tiny;
  const out: number[] = [];
  for (const id of ids) {
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += embed[id * D + k] * wOut[k * V + v];
      out.push(s);
    }
  }
  return out;
}

function assertClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `at ${i}: ${actual[i]} vs ${expected[i]}`);
}

/** Starts a heavy run and calls `act` once the child reports it is inside session.run. */
async function duringHeavyRun(act: () => void, timeoutMs?: number): Promise<unknown> {
  const onProgress = (p: ProgressMessage) => p.stage === 'running' && setImmediate(act);
  const started = performance.now();
  const err = await runner.run({ modelPath: heavyPath, inputIds: HEAVY_IDS, batch: 4, providers: ['cpu'] }, { onProgress, timeoutMs }).then(
    () => assert.fail('the heavy run should not complete'),
    (e: unknown) => e,
  );
  assert.ok(performance.now() - started < 5000, 'the heavy run was stopped early');
  return err;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('the worker bundle exists', () => {
  assert.ok(existsSync(WORKER), `${WORKER} is missing: run \`node esbuild.mjs\` first`);
});

test('default provider order: GPU providers are tried alone, fail with a reason here, CPU runs', async () => {
  const stages: string[] = [];
  const r = await runner.run({ modelPath: tinyPath, inputIds: [1, 2, 3], batch: 2 }, { onProgress: (p) => stages.push(p.stage) });
  const last = r.attempts[r.attempts.length - 1];
  assert.deepEqual({ provider: last.provider, ok: last.ok }, { provider: r.provider, ok: true });
  for (const a of r.attempts.slice(0, -1)) assert.ok(!a.ok && a.error, `${a.provider} failed or was skipped with a reason`);
  if (process.platform === 'linux') {
    assert.deepEqual(r.attempts.map((a) => a.provider).slice(0, 2), ['cuda', 'webgpu']);
    const cuda = r.attempts[0];
    if (cuda.skipped) assert.match(cuda.error!, /libonnxruntime_providers_cuda\.so.* not found|the CUDA provider needs /);
    const webgpu = r.attempts.find((a) => a.provider === 'webgpu')!;
    console.log(`  attempts: ${r.attempts.map((a) => `${a.provider}=${a.ok ? 'ok' : a.error}`).join(' | ')}`);
    if (!webgpu.ok) assert.equal(r.provider, 'cpu');
  }
  assert.deepEqual(stages.slice(0, 2), ['reading', 'validating']);
  assert.ok(stages.includes('running'));
  assert.equal(r.cachedSession, false);
  console.log(`  provider ${r.provider}: load ${r.ms.loadMs.toFixed(1)} ms, create ${r.ms.createMs.toFixed(1)} ms, run ${r.ms.runMs.toFixed(2)} ms`);
});

test('the provider setting through the worker: forced CPU names the CPU; forced WebGPU names its adapter, or says why it cannot run', async () => {
  const cpu = await runner.run({ modelPath: tinyPath, inputIds: [1, 2], provider: 'cpu' });
  assert.deepEqual([cpu.provider, cpu.attempts.length], ['cpu', 1]);
  assert.ok(cpu.device && cpu.attempts[0].device === cpu.device, 'the CPU model is the device');
  try {
    const w = await runner.run({ modelPath: tinyPath, inputIds: [1, 2], provider: 'webgpu' });
    console.log(`  forced webgpu ran on ${w.device}`);
    assert.deepEqual([w.provider, w.attempts.map((a) => a.provider)], ['webgpu', ['webgpu']]);
    assert.ok(w.device, 'the adapter is named');
  } catch (e) {
    assert.ok(e instanceof InferenceError);
    assert.deepEqual(e.attempts?.map((a) => a.provider), ['webgpu'], 'no fallback when forced');
    console.log(`  forced webgpu cannot run here: ${e.attempts?.[0].error}`);
  }
});

test('CPU run: outputs, shapes and values match a JS computation; sessions are cached', async () => {
  const ids = [1, 5, 0, 15, 7];
  const r: ResultMessage = await runner.run({ modelPath: tinyPath, inputIds: ids, providers: ['cpu'] });
  assert.equal(r.provider, 'cpu');
  assert.deepEqual(r.attempts.map((a) => [a.provider, a.ok]), [['cpu', true]]);
  assert.deepEqual(r.outputs.map((o) => [o.name, o.type, o.dims]), [['logits', 'float32', [1, 5, 16]], ['engram_alpha_l0', 'float32', [1, 5]]]);
  assert.ok(r.outputs[0].data instanceof Float32Array, 'float outputs arrive as Float32Array');
  assertClose(r.outputs[0].data, expectedLogits(ids), 1e-5);
  const alpha = ids.map((id) => {
    let s = 0;
    for (let k = 0; k < tiny.d; k++) s += tiny.embed[id * tiny.d + k] * tiny.wGate[k];
    return 1 / (1 + Math.exp(-s));
  });
  assertClose(r.outputs[1].data, alpha, 1e-6);
  const again = await runner.run({ modelPath: tinyPath, inputIds: ids, providers: ['cpu'], outputs: ['engram_alpha_l0'] });
  assert.equal(again.cachedSession, true);
  assert.equal(again.ms.createMs, 0);
  assert.deepEqual(again.outputs.map((o) => o.name), ['engram_alpha_l0']);
});

test('a compiled cross-attention model: the worker feeds its `memory` input the harness values (logits equal a direct run)', async () => {
  const m = analyzeText('model M {\n  vocab = 16\n  d_model = 16\n  embedding\n  rmsnorm\n  attention(heads: 2)\n  rmsnorm\n' +
    '  attention(heads: 2, mask: cross, kv_len: 3, kv_dim: 8)\n  lm_head\n}\n').models[0];
  const c = compileModel(m, { seq: 5 });
  const crossPath = join(dir, 'cross.onnx');
  writeFileSync(crossPath, c.bytes);
  const ids = [1, 5, 0, 15, 7];
  const r = await runner.run({ modelPath: crossPath, inputIds: ids, providers: ['cpu'], outputs: ['logits'] });
  const session = await ort.InferenceSession.create(c.bytes);
  const direct = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, 5]), ...memoryFeeds(c) });
  assert.deepEqual(r.outputs[0].dims, [1, 5, 16]);
  assertClose(r.outputs[0].data, Array.from(direct.logits.data as Float32Array), 1e-6);
});

test('providers for another OS are skipped with a reason, never silently dropped', async () => {
  const r = await runner.run({ modelPath: tinyPath, inputIds: [1], providers: ['coreml', 'dml', 'cpu'] });
  assert.equal(r.provider, 'cpu');
  if (process.platform === 'linux') {
    assert.deepEqual(
      r.attempts.map((a) => [a.provider, a.ok, a.skipped ?? false, a.error ?? '']),
      [['coreml', false, true, 'not available on linux'], ['dml', false, true, 'not available on linux'], ['cpu', true, false, '']],
    );
  }
});

test('invalid or missing model files give clear errors from the worker', async () => {
  const bad = join(dir, 'bad.onnx');
  writeFileSync(bad, tiny.bytes.subarray(0, 200));
  await assert.rejects(runner.run({ modelPath: bad, inputIds: [1] }), (e: unknown) => {
    assert.ok(e instanceof InferenceError && e.code === 'failed');
    assert.match(e.message, /not a valid ONNX model .* at byte \d+/);
    return true;
  });
  await assert.rejects(runner.run({ modelPath: tinyPath, inputIds: [1], maxBytes: 100 }), /over the limit/);
  await assert.rejects(runner.run({ modelPath: join(dir, 'nope.onnx'), inputIds: [1] }), /ENOENT/);
  await assert.rejects(runner.run({ modelPath: tinyPath, inputIds: [] }), /no input tokens/);
  const ok = await runner.run({ modelPath: tinyPath, inputIds: [2], providers: ['cpu'] });
  assert.equal(ok.outputs[0].dims[2], 16);
});

test('cancellation kills the child mid-run; the next request respawns and works', async () => {
  const controller = new AbortController();
  let pid: number | undefined;
  const p = runner.run(
    { modelPath: heavyPath, inputIds: HEAVY_IDS, batch: 4, providers: ['cpu'] },
    { signal: controller.signal, onProgress: (m) => m.stage === 'running' && ((pid = runner.pid), controller.abort()) },
  );
  await assert.rejects(p, (e: unknown) => e instanceof InferenceError && e.code === 'cancelled' && e.message === 'cancelled');
  assert.ok(pid);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(pidAlive(pid), false, 'the child was killed');
  const r = await runner.run({ modelPath: tinyPath, inputIds: [3, 4], providers: ['cpu'] });
  assert.notEqual(runner.pid, pid);
  assert.deepEqual(r.outputs[0].dims, [1, 2, 16]);
  await assert.rejects(runner.run({ modelPath: tinyPath, inputIds: [1] }, { signal: AbortSignal.abort() }), /cancelled/);
});

test('a child killed from outside mid-run gives a clear error and the runner recovers', async () => {
  const err = await duringHeavyRun(() => process.kill(runner.pid!, 'SIGKILL'));
  assert.ok(err instanceof InferenceError);
  assert.equal(err.code, 'crashed');
  assert.match(err.message, /^the inference process exited unexpectedly \(signal SIGKILL\)/);
  const r = await runner.run({ modelPath: tinyPath, inputIds: [9], providers: ['cpu'] });
  assert.equal(r.provider, 'cpu');
});

test('a run over its time limit is stopped', async () => {
  const err = await duringHeavyRun(() => undefined, 1500);
  assert.ok(err instanceof InferenceError && err.code === 'timeout', String(err));
  assert.match(err.message, /timed out after 1500 ms/);
  const r = await runner.run({ modelPath: tinyPath, inputIds: [9], providers: ['cpu'] });
  assert.equal(r.outputs.length, 2);
});

test('queued requests run one at a time and a queued one can be cancelled', async () => {
  const controller = new AbortController();
  const a = runner.run({ modelPath: tinyPath, inputIds: [1], providers: ['cpu'] });
  const b = runner.run({ modelPath: tinyPath, inputIds: [2] }, { signal: controller.signal });
  const c = runner.run({ modelPath: tinyPath, inputIds: [3, 4, 5], providers: ['cpu'] });
  controller.abort();
  await assert.rejects(b, /cancelled/);
  const [ra, rc] = await Promise.all([a, c]);
  assert.deepEqual([ra.outputs[0].dims, rc.outputs[0].dims], [[1, 1, 16], [1, 3, 16]]);
});
