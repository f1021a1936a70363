import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession, defaultProviderOrder, detectProviderEnv, NoProviderError, unavailableReason, type ProviderEnv } from '../../language-server/src/runtime/providers';
import { tinyGateModel } from '../helpers/onnxWriter';

const linux: ProviderEnv = { platform: 'linux', supported: ['cpu', 'webgpu', 'cuda', 'tensorrt'], bindingDir: '/nonexistent/bin' };

test('default order per platform: GPU first, CPU last', () => {
  assert.deepEqual(defaultProviderOrder('linux'), ['cuda', 'webgpu', 'cpu']);
  assert.deepEqual(defaultProviderOrder('win32'), ['dml', 'cpu']);
  assert.deepEqual(defaultProviderOrder('darwin'), ['coreml', 'cpu']);
  assert.deepEqual(defaultProviderOrder('freebsd'), ['cpu']);
});

test('availability: wrong OS, missing from the build, missing CUDA library', () => {
  assert.equal(unavailableReason('coreml', linux), 'not available on linux');
  assert.equal(unavailableReason('dml', { ...linux, platform: 'darwin' }), 'not available on darwin');
  assert.equal(unavailableReason('dml', { ...linux, platform: 'win32', supported: ['cpu'] }), 'not in this onnxruntime-node build (it supports: cpu)');
  assert.equal(unavailableReason('dml', { ...linux, platform: 'win32', supported: ['cpu', 'dml'] }), undefined);
  assert.match(unavailableReason('cuda', linux)!, /libonnxruntime_providers_cuda\.so and libonnxruntime_providers_shared\.so not found next to the onnxruntime binding \(\/nonexistent\/bin\): install them with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`/);
  const dir = mkdtempSync(join(tmpdir(), 'archlens-ep-'));
  try {
    writeFileSync(join(dir, 'libonnxruntime_providers_cuda.so'), '');
    assert.match(unavailableReason('cuda', { ...linux, bindingDir: dir })!, /^provider library libonnxruntime_providers_shared\.so not found/);
    writeFileSync(join(dir, 'libonnxruntime_providers_shared.so'), '');
    assert.equal(unavailableReason('cuda', { ...linux, bindingDir: dir }), undefined, 'empty files: ldd names no missing dependency');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(unavailableReason('webgpu', linux), undefined);
  assert.equal(unavailableReason('cpu', { ...linux, supported: [] }), undefined);
});

test('this machine: the binding folder is found and the build lists cpu and webgpu', () => {
  const env = detectProviderEnv();
  assert.match(env.bindingDir, /onnxruntime-node[\\/]bin[\\/]napi-v6/);
  assert.ok(env.supported.includes('cpu'));
  if (process.platform === 'linux') assert.ok(env.supported.includes('webgpu'));
});

test('createSession in-process: records every attempt; no provider left gives all reasons', async () => {
  const bytes = tinyGateModel().bytes;
  const s = await createSession(bytes, ['coreml', 'cpu']);
  assert.equal(s.provider, 'cpu');
  assert.deepEqual(s.attempts.map((a) => a.provider), ['coreml', 'cpu']);
  await s.session.release();
  await assert.rejects(createSession(bytes, ['coreml', 'dml'], { ...linux, platform: 'linux' }), (e: unknown) => {
    assert.ok(e instanceof NoProviderError);
    assert.equal(e.message, 'no execution provider could load the model: coreml: not available on linux; dml: not available on linux');
    return true;
  });
});
