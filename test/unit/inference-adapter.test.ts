/**
 * Adapter truth: what the WebGPU adapter is (runtime/adapter.ts), the automatic order skipping software adapters
 * with the reason in the attempts list, forced providers, and the CUDA prerequisites named one by one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyAdapter, parseDeviceSelect, parseOrtGpus, probeResult, type AdapterProbe } from '../../language-server/src/runtime/adapter';
import { createSession, providerOrder, resolveOrder, webgpuAdapter, webgpuGate } from '../../language-server/src/runtime/providers';
import { cudaProblem, nvidiaGpuName, parseLddMissing, withCudaLibraryPath } from '../../language-server/src/runtime/cuda';
import { attemptView, providerLabel } from '../../language-server/src/protocol/inference';
import { tinyGateModel } from '../helpers/onnxWriter';

const LAVAPIPE = 'selectable devices:\n  GPU 0: 10005:0 "llvmpipe (LLVM 15.0.6, 256 bits)" CPU\n';
const MIXED = 'selectable devices:\n  GPU 0: 10005:0 "llvmpipe (LLVM 15.0.6, 256 bits)" CPU\n  GPU 1: 10de:2335 "NVIDIA H200" discrete GPU\n  GPU 2: 8086:a7a0 "Intel(R) Graphics (RPL-P)" integrated GPU\n';
const ORT_GPU = '[I:onnxruntime:onnxruntime-node, device_discovery_common.cc:34 operator()] Discovered OrtHardwareDevice {vendor_id:0x10de, device_id:0x2335, vendor:NVIDIA, type:1, metadata: []}';
const ORT_CPU_ONLY = 'Discovered OrtHardwareDevice {vendor_id:0x1022, device_id:0x0, vendor:AMD, type:0, metadata: []}';

test('Mesa device-select list: name, vendor, type; CPU devices are software', () => {
  assert.deepEqual(parseDeviceSelect(LAVAPIPE + LAVAPIPE), [{ name: 'llvmpipe (LLVM 15.0.6, 256 bits)', vendor: 'Mesa', type: 'cpu', software: true, source: 'vulkan' }]);
  const all = parseDeviceSelect(MIXED);
  assert.deepEqual(all.map((d) => [d.vendor, d.type, d.software]), [['Mesa', 'cpu', true], ['NVIDIA', 'discrete-gpu', false], ['Intel', 'integrated-gpu', false]]);
  const swift = parseDeviceSelect('  GPU 0: 1ae0:c0de "SwiftShader Device (Subzero)" other\n')[0];
  assert.equal(swift.software, true, 'SwiftShader is software whatever type it reports');
});

test('the adapter is the one Dawn picks (discrete, then integrated, then CPU); without a list, only an onnxruntime GPU counts', () => {
  assert.equal(classifyAdapter(MIXED).name, 'NVIDIA H200');
  assert.equal(classifyAdapter(LAVAPIPE).software, true);
  assert.deepEqual(parseOrtGpus(ORT_CPU_ONLY), []);
  const gpu = classifyAdapter(ORT_GPU);
  assert.deepEqual([gpu.name, gpu.software, gpu.source], ['NVIDIA GPU (PCI 10de:2335)', false, 'onnxruntime']);
  const none = classifyAdapter(ORT_CPU_ONLY);
  assert.deepEqual([none.software, none.source], [true, 'none']);
});

test('probe result: a wrong or missing answer is a failure with onnxruntime\'s reason', () => {
  assert.equal(probeResult('ARCHLENS_PROBE_OK 2,4,6,8\n', LAVAPIPE, 5).adapter?.name, 'llvmpipe (LLVM 15.0.6, 256 bits)');
  assert.deepEqual(probeResult('ARCHLENS_PROBE_FAIL /onnxruntime_src/x/webgpu_context.cc:123 void f() adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n', '', 5),
    { ok: false, error: 'Failed to get a WebGPU adapter: No supported adapters', ms: 5 });
  assert.equal(probeResult('', '', 1, 'the adapter probe exited with code 3').error, 'the adapter probe exited with code 3');
});

const probe = (p: Partial<AdapterProbe>) => async (): Promise<AdapterProbe> => ({ ok: true, ms: 1, ...p });
const llvmpipe = classifyAdapter(LAVAPIPE);

test('automatic order skips a software adapter with its name; a forced WebGPU uses it', async () => {
  const skip = await webgpuGate(true, probe({ adapter: llvmpipe }));
  assert.match(skip.skip!, /^software adapter llvmpipe \(LLVM 15\.0\.6, 256 bits\) \(cpu, Mesa\): a CPU behind WebGPU, slower than the CPU provider; set archlens\.inference\.provider to webgpu/);
  assert.deepEqual(await webgpuGate(false, probe({ adapter: llvmpipe })), { device: llvmpipe.name });
  assert.deepEqual(await webgpuGate(true, probe({ adapter: classifyAdapter(MIXED) })), { device: 'NVIDIA H200' });
  assert.deepEqual(await webgpuGate(true, probe({ ok: false, error: 'No supported adapters' })), { fail: 'No supported adapters' });
});

test('createSession (auto) records the skipped software adapter, then runs on CPU with the CPU model as device', async () => {
  const env = { platform: 'linux' as const, supported: ['cpu', 'webgpu'], bindingDir: '/nonexistent' };
  const s = await createSession(tinyGateModel().bytes, ['webgpu', 'cpu'], env, { auto: true, probeAdapter: probe({ adapter: llvmpipe }) });
  try {
    assert.equal(s.provider, 'cpu');
    const [w, c] = s.attempts.map(attemptView);
    assert.equal(w.provider, 'webgpu');
    assert.match(w.error!, /^skipped: software adapter llvmpipe/);
    assert.equal(w.device, llvmpipe.name);
    assert.deepEqual([c.provider, c.ok], ['cpu', true]);
    assert.equal(s.device, c.device);
    assert.equal(providerLabel('webgpu', 'llvmpipe (LLVM 15.0.6, 256 bits)'), 'webgpu (llvmpipe (LLVM 15.0.6, 256 bits))');
  } finally {
    await s.session.release();
  }
});

test('the provider setting: auto is the platform order; anything else is that provider alone', () => {
  assert.deepEqual(providerOrder('auto', 'linux'), ['cuda', 'webgpu', 'cpu']);
  assert.deepEqual(providerOrder('webgpu', 'linux'), ['webgpu']);
  assert.deepEqual(providerOrder('directml', 'win32'), ['dml']);
  assert.deepEqual(resolveOrder(undefined, undefined, 'linux'), { order: ['cuda', 'webgpu', 'cpu'], auto: true });
  assert.deepEqual(resolveOrder(undefined, 'cpu', 'linux'), { order: ['cpu'], auto: false });
  assert.deepEqual(resolveOrder(['webgpu', 'cpu'], 'auto', 'linux'), { order: ['webgpu', 'cpu'], auto: false }, 'an explicit list is tried as given');
});

test('CUDA: missing libraries named; library path setting first on the loader path; GPU name from the driver', () => {
  assert.deepEqual(parseLddMissing('\tlibcudart.so.12 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n\tlibcudnn.so.9 => not found\n'), ['libcudart.so.12', 'libcudnn.so.9']);
  assert.deepEqual(withCudaLibraryPath({ LD_LIBRARY_PATH: '/a' }, '/cuda/lib', 'linux'), { LD_LIBRARY_PATH: '/cuda/lib:/a' });
  assert.deepEqual(withCudaLibraryPath({}, '', 'linux'), {});
  assert.match(cudaProblem('', 'linux')!, /not found next to the onnxruntime binding \(unknown folder\)/);
  const root = mkdtempSync(join(tmpdir(), 'archlens-nv-'));
  try {
    mkdirSync(join(root, '0000:01:00.0'));
    writeFileSync(join(root, '0000:01:00.0', 'information'), 'Model: \t\t NVIDIA H200\nIRQ:   42\n');
    assert.equal(nvidiaGpuName(root), 'NVIDIA H200');
    assert.equal(nvidiaGpuName(join(root, 'none')), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('this machine: the automatic order never runs on a software adapter', async () => {
  const p = await webgpuAdapter();
  console.log(`# WebGPU adapter probe: ${p.ok ? `${p.adapter!.name} (${p.adapter!.type}, ${p.adapter!.vendor}, software: ${p.adapter!.software}, from ${p.adapter!.source})` : `no adapter: ${p.error}`} in ${p.ms.toFixed(0)} ms`);
  const s = await createSession(tinyGateModel().bytes, ['webgpu', 'cpu'], undefined, { auto: true });
  try {
    if (!p.ok || p.adapter!.software) assert.equal(s.provider, 'cpu', JSON.stringify(s.attempts));
    if (p.ok && p.adapter!.software) assert.match(attemptView(s.attempts[0]).error!, /^skipped: software adapter/);
  } finally {
    await s.session.release();
  }
});
