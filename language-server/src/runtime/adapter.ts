// What the WebGPU adapter really is. onnxruntime-node exposes no adapter information (no `env.webgpu.adapter`
// in Node, no EP-device API in the binding), so Archlens asks the layers underneath, in a throw-away child
// process (environment variables and native stderr stay out of the inference process):
//   1. Mesa's Vulkan device-select layer, enabled by MESA_VK_DEVICE_SELECT_DEBUG=1, prints every Vulkan
//      physical device Dawn can see: `GPU 0: 10005:0 "llvmpipe (LLVM 15.0.6, 256 bits)" CPU`.
//   2. onnxruntime's own hardware discovery (log level info): `Discovered OrtHardwareDevice {vendor_id:0x10de,
//      …, vendor:NVIDIA, type:1, …}` (type 0 CPU, 1 GPU, 2 NPU).
// Dawn (high-performance preference) picks a discrete GPU before an integrated one before a CPU device, so the
// adapter is the best-ranked listed device; without a device list it is a GPU only when onnxruntime saw one.
// A CPU-type device, or a known software rasterizer (llvmpipe/lavapipe, SwiftShader, WARP), is software.
import { spawn } from 'node:child_process';
import { writeModel } from '../onnx/writer';
import type { DeviceInfo, DeviceType } from '../protocol/inference';

const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;
const RANK: Record<DeviceType, number> = { 'discrete-gpu': 0, 'integrated-gpu': 1, 'virtual-gpu': 2, unknown: 3, cpu: 4 };
const VENDORS: Record<number, string> = { 0x10de: 'NVIDIA', 0x1002: 'AMD', 0x1022: 'AMD', 0x8086: 'Intel', 0x10005: 'Mesa', 0x1af4: 'virtio', 0x13b5: 'ARM', 0x5143: 'Qualcomm', 0x106b: 'Apple', 0x1414: 'Microsoft', 0x1ae0: 'Google' };

export function vendorName(id: number): string {
  return VENDORS[id] ?? `0x${id.toString(16)}`;
}

function deviceType(word: string): DeviceType {
  const w = word.toLowerCase();
  if (w.startsWith('discrete')) return 'discrete-gpu';
  if (w.startsWith('integrated')) return 'integrated-gpu';
  if (w.startsWith('virtual')) return 'virtual-gpu';
  if (w === 'cpu') return 'cpu';
  return 'unknown';
}

export function isSoftware(d: Pick<DeviceInfo, 'name' | 'type'>): boolean {
  return d.type === 'cpu' || SOFTWARE_NAMES.test(d.name);
}

/** Devices listed by Mesa's device-select layer (`GPU 0: 10005:0 "llvmpipe (…)" CPU`), deduplicated. */
export function parseDeviceSelect(text: string): DeviceInfo[] {
  const out = new Map<string, DeviceInfo>();
  for (const m of text.matchAll(/^\s*GPU \d+: ([0-9a-f]+):([0-9a-f]+) "([^"]*)" ([^\n]*?)\s*$/gim)) {
    const vendorId = parseInt(m[1], 16);
    const type = deviceType(m[4]);
    const info: DeviceInfo = { name: m[3], vendor: vendorName(vendorId), type, software: false, source: 'vulkan' };
    out.set(`${m[1]}:${m[2]}:${m[3]}`, { ...info, software: isSoftware(info) });
  }
  return [...out.values()];
}

/** GPUs found by onnxruntime's hardware discovery (`Discovered OrtHardwareDevice {… type:1 …}`). */
export function parseOrtGpus(text: string): DeviceInfo[] {
  const out: DeviceInfo[] = [];
  for (const m of text.matchAll(/Discovered OrtHardwareDevice \{vendor_id:0x([0-9a-f]+), device_id:0x([0-9a-f]+), vendor:([^,]*), type:(\d)/gi)) {
    if (m[4] !== '1') continue;
    const vendor = m[3].trim() || vendorName(parseInt(m[1], 16));
    out.push({ name: `${vendor} GPU (PCI ${m[1]}:${m[2]})`, vendor, type: 'unknown', software: false, source: 'onnxruntime' });
  }
  return out;
}

/** The adapter Dawn uses, from the probe's stderr; `software` unless a real GPU is known to be behind it. */
export function classifyAdapter(stderr: string): DeviceInfo {
  const vulkan = parseDeviceSelect(stderr).sort((a, b) => RANK[a.type] - RANK[b.type]);
  if (vulkan.length) return vulkan[0];
  const gpus = parseOrtGpus(stderr);
  if (gpus.length) return gpus[0];
  return { name: 'unknown adapter (no GPU found by onnxruntime)', vendor: 'unknown', type: 'unknown', software: true, source: 'none' };
}

export interface AdapterProbe {
  /** A WebGPU session was created and ran. */
  ok: boolean;
  adapter?: DeviceInfo;
  /** Why WebGPU could not run (first line of onnxruntime's error). */
  error?: string;
  ms: number;
}

/** A one-node graph (y = x + x) for the probe. */
export function probeModel(): Uint8Array {
  return writeModel({
    graph: {
      name: 'adapter_probe', initializers: [],
      nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
      inputs: [{ name: 'x', dims: [4] }], outputs: [{ name: 'y', dims: [4] }],
    },
  });
}

const PROBE_SCRIPT = `
const ort = require(process.env.ARCHLENS_ORT);
ort.env.logLevel = 'info';
const bytes = Buffer.from(process.env.ARCHLENS_PROBE_MODEL, 'base64');
ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['webgpu'], logSeverityLevel: 1 })
  .then((s) => s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [4]) }))
  .then((r) => { process.stdout.write('ARCHLENS_PROBE_OK ' + Array.from(r.y.data).join(',') + '\\n'); process.exit(0); })
  .catch((e) => { process.stdout.write('ARCHLENS_PROBE_FAIL ' + String(e && e.message || e).split('\\n').join(' ') + '\\n'); process.exit(0); });
`;

/** Runs the probe in a child process (`nodePath` runs JavaScript: node, or Electron with ELECTRON_RUN_AS_NODE). */
export function probeWebGpuAdapter(opts: { ortPath: string; nodePath?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<AdapterProbe> {
  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), ELECTRON_RUN_AS_NODE: '1', MESA_VK_DEVICE_SELECT_DEBUG: '1', ARCHLENS_ORT: opts.ortPath, ARCHLENS_PROBE_MODEL: Buffer.from(probeModel()).toString('base64') };
  delete env.MESA_VK_DEVICE_SELECT; // `list` would make the layer exit the probe before it runs
  return new Promise((resolve) => {
    const child = spawn(opts.nodePath ?? process.execPath, ['-e', PROBE_SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-200_000); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    const done = (error?: string): void => {
      clearTimeout(timer);
      resolve(probeResult(out, err, performance.now() - t0, error));
    };
    child.on('error', (e) => done(`could not start the adapter probe: ${e.message}`));
    child.on('close', (code, signal) => done(signal ? `the adapter probe was stopped (${signal})` : code ? `the adapter probe exited with code ${code}` : undefined));
  });
}

/** Reads the probe's stdout/stderr into a result. */
export function probeResult(stdout: string, stderr: string, ms: number, failure?: string): AdapterProbe {
  const ok = /ARCHLENS_PROBE_OK 2,4,6,8/.test(stdout);
  const fail = /ARCHLENS_PROBE_FAIL (.*)/.exec(stdout)?.[1]?.trim();
  if (ok) return { ok, adapter: classifyAdapter(stderr), ms };
  const error = fail ?? failure ?? 'the WebGPU adapter probe gave no answer';
  return { ok: false, error: error.replace(/^\S+\.(?:cc|cpp|h):\d+ [^\n]*? was false\. /, ''), ms };
}
