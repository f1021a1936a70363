// Typed messages between the extension host (runner.ts) and the inference child process (worker.ts).
// The channel is Node's IPC with `serialization: 'advanced'` (structured clone), so Float32Array payloads
// travel as typed arrays, not JSON number lists.

import type { MeasureResult, ProviderAttemptView } from '../measure/types';
import type { ProgramSnapshot } from '../load/snapshot';

export type { ProviderAttemptView } from '../measure/types';

/** Execution providers Archlens knows how to try. */
export const PROVIDER_NAMES = ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export function isProviderName(s: string): s is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(s);
}

/** The `archlens.inference.provider` setting: `auto` (the platform order, software adapters skipped) or one forced provider. */
export type ProviderChoice = 'auto' | 'cuda' | 'webgpu' | 'cpu' | 'directml' | 'coreml';
export const PROVIDER_CHOICES: readonly ProviderChoice[] = ['auto', 'cuda', 'webgpu', 'cpu', 'directml', 'coreml'];

export function isProviderChoice(v: unknown): v is ProviderChoice {
  return typeof v === 'string' && (PROVIDER_CHOICES as readonly string[]).includes(v);
}

/** Vulkan-style device class of an adapter (`unknown` when only a vendor is known). */
export type DeviceType = 'discrete-gpu' | 'integrated-gpu' | 'virtual-gpu' | 'cpu' | 'unknown';

/** The hardware behind a provider: the WebGPU adapter, the CUDA GPU, the CPU model (runtime/adapter.ts). */
export interface DeviceInfo {
  name: string;
  vendor: string;
  type: DeviceType;
  /** A CPU or software rasterizer (llvmpipe/lavapipe, SwiftShader, WARP) presented as an adapter. */
  software: boolean;
  /** Where the facts come from: `vulkan` (Mesa device-select), `onnxruntime` (hardware discovery), `os`, `none`. */
  source: string;
}

/** One execution provider tried by runtime/providers.ts; views keep its ProviderAttemptView (`attemptView`). */
export interface ProviderAttempt extends ProviderAttemptView {
  provider: ProviderName;
  ok: boolean;
  /** True when the provider was not tried at all (not available on this platform / build). */
  skipped?: boolean;
  /** Why it failed or was skipped. */
  error?: string;
  /** Time spent trying (session creation), in milliseconds. */
  ms: number;
  /** The device behind the provider, when known (`llvmpipe (LLVM 15.0.6, 256 bits)`, `NVIDIA H200`, the CPU model). */
  device?: string;
}

/** The view of an attempt, a skip folded into the error ("skipped: not available on linux"). */
export function attemptView(a: Pick<ProviderAttempt, 'provider' | 'ok' | 'skipped' | 'error' | 'device'>): ProviderAttemptView {
  const error = a.skipped ? (a.error ? `skipped: ${a.error}` : 'skipped') : a.error;
  return { provider: a.provider, ok: a.ok, ...(error ? { error } : {}), ...(a.device ? { device: a.device } : {}) };
}

/** `webgpu (llvmpipe (LLVM 15.0.6, 256 bits))`, or the bare provider name when the device is unknown. */
export function providerLabel(provider: string, device?: string): string {
  return device ? `${provider} (${device})` : provider;
}

/** Parent → child: run the model at `modelPath` on `inputIds` (repeated `batch` times). */
export interface RunRequest {
  type: 'run';
  id: number;
  modelPath: string;
  inputIds: number[];
  batch?: number;
  /** Providers to try, in order, exactly as given; default: `provider`. */
  providers?: ProviderName[];
  /** The provider setting (default `auto`): the platform order without software adapters, or one forced provider. */
  provider?: ProviderChoice;
  /** Folder with the CUDA runtime libraries (archlens.inference.cudaLibraryPath), searched by the CUDA check. */
  cudaLibraryPath?: string;
  /** Only fetch these outputs (default: all graph outputs). */
  outputs?: string[];
  /** Largest model accepted, in bytes (default 200 MiB). */
  maxBytes?: number;
  /** SHA-256 (hex) the file must have (a compiled probe): checked before a session is created from it. */
  sha256?: string;
}

/** Parent → child: stop caring about request `id` (the runner kills the child for runs already in native code). */
export interface CancelRequest {
  type: 'cancel';
  id: number;
}

/**
 * Parent → child: measured vs estimated for a model of an .arch file (language-server/src/measure/measure.ts):
 * compile the probe, time prefill and decode on the provider order, estimate on the device used.
 */
export interface MeasureRequest {
  type: 'measure';
  id: number;
  /** The program the language server loaded for the document (archlens/programSnapshot): fenced, buffers included. */
  snapshot: ProgramSnapshot;
  /** Model name (default: the file's first model). */
  model?: string;
  /** Probe spec, e.g. `layers=2,width=8` ('' = the full model). */
  probe: string;
  seq?: number;
  runs?: number;
  providers?: ProviderName[];
  provider?: ProviderChoice;
}

/**
 * Parent → child: compile a scaled probe of a model of the snapshot's document to an .onnx file in `dir` (a private
 * folder of the extension's storage), for the gate panel. Answered by a ProbeCompiledMessage.
 */
export interface CompileProbeRequest {
  type: 'compileProbe';
  id: number;
  snapshot: ProgramSnapshot;
  model?: string;
  /** Probe spec, e.g. `layers=2,width=8`. */
  probe: string;
  seq: number;
  /** Folder the probe file is written to (created private if missing). */
  dir: string;
}

export type ParentMessage = RunRequest | CancelRequest | MeasureRequest | CompileProbeRequest;

export type RunStage = 'reading' | 'validating' | 'creating-session' | 'running' | 'collecting';

export interface ProgressMessage {
  type: 'progress';
  id: number;
  stage: RunStage;
  /** Provider being tried or used, when known. */
  provider?: ProviderName;
}

export interface OutputTensor {
  name: string;
  /** ORT element type: 'float32', 'int64', … */
  type: string;
  dims: number[];
  /** float32 outputs stay Float32Array; other numeric types are converted to number[]. */
  data: Float32Array | number[];
}

export interface RunTimings {
  /** Reading and validating the model file (0 when the session was cached). */
  loadMs: number;
  /** InferenceSession.create over all provider attempts (0 when cached). */
  createMs: number;
  /** session.run. */
  runMs: number;
  totalMs: number;
}

export interface ResultMessage {
  type: 'result';
  id: number;
  provider: ProviderName;
  /** The device the provider ran on, when known. */
  device?: string;
  attempts: ProviderAttempt[];
  cachedSession: boolean;
  ms: RunTimings;
  outputs: OutputTensor[];
}

export interface ErrorMessage {
  type: 'error';
  id: number;
  message: string;
  /** Provider attempts made before the failure, if any. */
  attempts?: ProviderAttempt[];
}

export interface MeasuredMessage {
  type: 'measured';
  id: number;
  result: MeasureResult;
}

/** A compiled probe the gate panel runs: fixed T, vocabulary V, gate output names; `sha256` of the file's bytes. */
export interface CompiledProbe {
  path: string;
  sha256: string;
  label: string;
  seq: number;
  vocab: number;
  gates: string[];
}

export interface ProbeCompiledMessage {
  type: 'probeCompiled';
  id: number;
  probe: CompiledProbe;
}

/** Sent once when the child has loaded and is ready for requests. */
export interface ReadyMessage {
  type: 'ready';
  pid: number;
}

export type ChildMessage = ProgressMessage | ResultMessage | MeasuredMessage | ProbeCompiledMessage | ErrorMessage | ReadyMessage;

export function isChildMessage(m: unknown): m is ChildMessage {
  const t = (m as { type?: unknown } | null)?.type;
  return t === 'progress' || t === 'result' || t === 'measured' || t === 'probeCompiled' || t === 'error' || t === 'ready';
}

export function isParentMessage(m: unknown): m is ParentMessage {
  const x = m as { type?: unknown; id?: unknown } | null;
  const known = x?.type === 'run' || x?.type === 'cancel' || x?.type === 'measure' || x?.type === 'compileProbe';
  return known && typeof x?.id === 'number';
}
