// Execution-provider choice with explicit fallback. onnxruntime-node does not fall back by itself
// (['cuda','cpu'] rejects when CUDA fails to load) and silently drops provider names it does not know
// (so ['coreml'] on Linux quietly runs on CPU): try each provider alone, and only those that can exist here.
import * as ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProviderAttempt, ProviderName } from '../protocol/inference';

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

function cudaLibrary(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
}

/** Why `provider` cannot be tried in `env`, or undefined when it can. */
export function unavailableReason(provider: ProviderName, env: ProviderEnv): string | undefined {
  if (!PROVIDER_OS[provider]?.includes(env.platform)) return `not available on ${env.platform}`;
  if (provider === 'cpu') return undefined;
  if (!env.supported.includes(provider)) {
    return `not in this onnxruntime-node build (it supports: ${env.supported.join(', ') || 'none'})`;
  }
  if (provider === 'cuda') {
    const lib = join(env.bindingDir, cudaLibrary(env.platform));
    if (!env.bindingDir || !existsSync(lib)) return `provider library ${cudaLibrary(env.platform)} not found next to the onnxruntime binding (${env.bindingDir || 'unknown folder'})`;
  }
  return undefined;
}

export interface CreatedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
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
  onAttempt?: (provider: ProviderName) => void,
): Promise<CreatedSession> {
  if (!logLevelSet) {
    ort.env.logLevel = 'error';
    logLevelSet = true;
  }
  const attempts: ProviderAttempt[] = [];
  for (const provider of order) {
    const reason = unavailableReason(provider, env);
    if (reason) {
      attempts.push({ provider, ok: false, skipped: true, error: reason, ms: 0 });
      continue;
    }
    onAttempt?.(provider);
    const t0 = performance.now();
    try {
      const session = await createWith(model, provider);
      attempts.push({ provider, ok: true, ms: performance.now() - t0 });
      return { session, provider, attempts };
    } catch (e) {
      attempts.push({ provider, ok: false, error: firstLine(e), ms: performance.now() - t0 });
    }
  }
  throw new NoProviderError(attempts);
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
