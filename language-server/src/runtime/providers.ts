// Execution-provider choice with explicit fallback. onnxruntime-node does not fall back by itself
// (['cuda','cpu'] rejects when CUDA fails to load) and silently drops provider names it does not know
// (so ['coreml'] on Linux quietly runs on CPU): try each provider alone, and only those that can exist here.
// WebGPU is tried only after the adapter probe (adapter.ts) has said what the adapter is: in the automatic order
// a software adapter (llvmpipe, SwiftShader) is skipped with its name, since it is slower than the CPU provider.
import * as ort from 'onnxruntime-node';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { probeWebGpuAdapter, type AdapterProbe } from './adapter';
import { cudaProblem, nvidiaGpuName } from './cuda';
import type { ProviderAttempt, ProviderChoice, ProviderName } from '../protocol/inference';

export interface ProviderEnv {
  platform: NodeJS.Platform;
  /** Names from ort.listSupportedBackends(). */
  supported: string[];
  /** Folder holding onnxruntime_binding.node (provider libraries must sit next to it). */
  bindingDir: string;
}

/** Operating systems on which each provider can exist at all. */
const PROVIDER_OS: Record<ProviderName, NodeJS.Platform[]> = {
  cuda: ['linux', 'win32'],
  webgpu: ['linux', 'win32', 'darwin'],
  dml: ['win32'],
  coreml: ['darwin'],
  cpu: ['linux', 'win32', 'darwin', 'freebsd', 'openbsd', 'sunos', 'aix', 'android'],
};

export function detectProviderEnv(): ProviderEnv {
  let bindingDir = '';
  try {
    const pkg = dirname(require.resolve('onnxruntime-node/package.json'));
    bindingDir = join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    // leave empty: CUDA will be reported as missing
  }
  let supported: string[] = [];
  try {
    supported = ort.listSupportedBackends().map((b) => b.name);
  } catch {
    supported = ['cpu'];
  }
  return { platform: process.platform, supported, bindingDir };
}

/** The default order for a platform: GPU providers first, CPU last. */
export function defaultProviderOrder(platform: NodeJS.Platform = process.platform): ProviderName[] {
  if (platform === 'linux') return ['cuda', 'webgpu', 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cpu'];
}

/** The order for the provider setting: `auto` is the platform order; any other choice is that provider alone. */
export function providerOrder(choice: ProviderChoice = 'auto', platform: NodeJS.Platform = process.platform): ProviderName[] {
  if (choice === 'auto') return defaultProviderOrder(platform);
  return [choice === 'directml' ? 'dml' : choice];
}

/** How a request picks providers: an explicit list is tried as given; otherwise the setting (auto skips software adapters). */
export function resolveOrder(providers: readonly ProviderName[] | undefined, choice: ProviderChoice | undefined, platform: NodeJS.Platform = process.platform): { order: ProviderName[]; auto: boolean } {
  if (providers?.length) return { order: [...providers], auto: false };
  return { order: providerOrder(choice ?? 'auto', platform), auto: (choice ?? 'auto') === 'auto' };
}

/** Why `provider` cannot be tried in `env`, or undefined when it can. */
export function unavailableReason(provider: ProviderName, env: ProviderEnv): string | undefined {
  if (!PROVIDER_OS[provider]?.includes(env.platform)) return `not available on ${env.platform}`;
  if (provider === 'cpu') return undefined;
  if (!env.supported.includes(provider)) {
    return `not in this onnxruntime-node build (it supports: ${env.supported.join(', ') || 'none'})`;
  }
  if (provider === 'cuda') return cudaProblem(env.bindingDir, env.platform);
  return undefined;
}

export interface SessionOptions {
  /** The automatic order: a software WebGPU adapter is skipped (a forced or explicit WebGPU still runs on it). */
  auto?: boolean;
  /** The WebGPU adapter probe (default: one child-process probe per process, cached). */
  probeAdapter?: () => Promise<AdapterProbe>;
  onAttempt?: (provider: ProviderName) => void;
}

let adapterProbe: Promise<AdapterProbe> | undefined;

/** The cached WebGPU adapter probe of this process. */
export function webgpuAdapter(): Promise<AdapterProbe> {
  // Dawn's Vulkan backend wants a runtime folder: a private one when the environment has none.
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'archlens-xdg-'));
  return (adapterProbe ??= probeWebGpuAdapter({ ortPath: require.resolve('onnxruntime-node'), env: process.env }));
}

/** Before trying WebGPU: a skip or failure reason from the adapter probe, or the adapter's name. */
export async function webgpuGate(auto: boolean, probe: () => Promise<AdapterProbe>): Promise<{ skip?: string; fail?: string; device?: string }> {
  const p = await probe();
  if (!p.ok || !p.adapter) return { fail: p.error ?? 'no WebGPU adapter' };
  const a = p.adapter;
  if (auto && a.software) {
    return { skip: `software adapter ${a.name} (${a.type}, ${a.vendor}): a CPU behind WebGPU, slower than the CPU provider; set archlens.inference.provider to webgpu to use it anyway`, device: a.name };
  }
  return { device: a.name };
}

/** The device name shown next to a provider that loaded. */
export function deviceName(provider: ProviderName): string | undefined {
  if (provider === 'cpu') return cpus()[0]?.model.trim() || undefined;
  if (provider === 'cuda') return nvidiaGpuName();
  return undefined;
}

export interface CreatedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
  /** The device the session runs on, when known. */
  device?: string;
  attempts: ProviderAttempt[];
}

export class NoProviderError extends Error {
  constructor(readonly attempts: ProviderAttempt[]) {
    super(`no execution provider could load the model: ${attempts.map((a) => `${a.provider}: ${a.error ?? 'failed'}`).join('; ')}`);
    this.name = 'NoProviderError';
  }
}

let logLevelSet = false;

/** Tries each provider alone, in order; returns the first session that loads and the record of every attempt. */
export async function createSession(
  model: string | Uint8Array,
  order: ProviderName[] = defaultProviderOrder(),
  env: ProviderEnv = detectProviderEnv(),
  opts: SessionOptions = {},
): Promise<CreatedSession> {
  if (!logLevelSet) {
    ort.env.logLevel = 'error';
    logLevelSet = true;
  }
  const attempts: ProviderAttempt[] = [];
  for (const provider of order) {
    const t0 = performance.now();
    const pre = await precheck(provider, env, opts);
    if (pre.skip || pre.fail) {
      attempts.push({ provider, ok: false, ...(pre.skip ? { skipped: true } : {}), error: pre.skip ?? pre.fail, ms: performance.now() - t0, ...(pre.device ? { device: pre.device } : {}) });
      continue;
    }
    opts.onAttempt?.(provider);
    const device = pre.device ?? deviceName(provider);
    try {
      const session = await createWith(model, provider);
      attempts.push({ provider, ok: true, ms: performance.now() - t0, ...(device ? { device } : {}) });
      return { session, provider, device, attempts };
    } catch (e) {
      attempts.push({ provider, ok: false, error: firstLine(e), ms: performance.now() - t0, ...(device ? { device } : {}) });
    }
  }
  throw new NoProviderError(attempts);
}

async function precheck(provider: ProviderName, env: ProviderEnv, opts: SessionOptions): Promise<{ skip?: string; fail?: string; device?: string }> {
  const reason = unavailableReason(provider, env);
  if (reason) return { skip: reason };
  if (provider !== 'webgpu') return {};
  return webgpuGate(opts.auto ?? false, opts.probeAdapter ?? webgpuAdapter);
}

function createWith(model: string | Uint8Array, provider: ProviderName): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = { executionProviders: [provider], logSeverityLevel: 3 };
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

function firstLine(e: unknown): string {
  // ORT_ENFORCE messages start with a source location and the failed condition: keep the explanation.
  const text = (e instanceof Error ? e.message : String(e)).replace(/^\S+\.(?:cc|cpp|h):\d+ [^\n]*? was false\. /, '');
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
