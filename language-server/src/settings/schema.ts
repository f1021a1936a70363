/**
 * The `archlens.*` settings, defined once. package.json's `contributes.configuration` is generated from
 * this table (`npm run gen`, checked by test/unit/settings-schema.test.ts); the server's reader
 * (server/features/settings.ts) takes its defaults and enums from it. Hardware ids and descriptions come
 * from the catalogue (cost/hardware.ts), dtypes from kinds/dtypes.ts.
 */
import { HARDWARE, type Hardware } from '../cost/hardware';
import { CUSTOM_FIELDS, ID_PATTERN, type CustomField } from '../cost/customHardware';
import { DTYPE_BYTES, DTYPE_NOTES, DTYPES } from '../kinds/dtypes';
import { FRAMEWORKS, frameworkSetup } from '../serving/calibration';
import { PARALLEL_PATTERN } from './parallel';

/** The configuration section: every key below is `archlens.<key>`. */
export const SECTION = 'archlens';
export const TITLE = 'Archlens';

/** The part of JSON schema the settings use (VS Code reads it from package.json). */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly markdownDescription?: string;
  readonly enum?: readonly string[];
  readonly enumDescriptions?: readonly string[];
  readonly pattern?: string;
  readonly patternErrorMessage?: string;
  readonly exclusiveMinimum?: number;
  readonly minimum?: number;
  readonly anyOf?: readonly JsonSchema[];
  readonly items?: JsonSchema;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

export interface SettingSpec {
  readonly type: 'string' | 'number' | 'boolean' | 'array';
  readonly default: string | number | boolean | readonly unknown[];
  readonly minimum?: number;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly patternErrorMessage?: string;
  /** Catalogue ids or any other id (a custom device): see `hardware` below. */
  readonly anyOf?: readonly JsonSchema[];
  readonly items?: JsonSchema;
  readonly scope?: 'window' | 'machine';
  readonly enumDescriptions?: readonly string[];
  readonly markdownDescription?: string;
  readonly description?: string;
}

/** 3 significant digits in the largest unit that keeps the number ≥ 1 (989 TFLOP/s, 2.25 PFLOP/s, 1.01 TB/s). */
export function siFigure(value: number, units: readonly [string, number][]): string {
  const [unit, scale] = units.find(([, s]) => value >= s) ?? units[units.length - 1];
  return `${Number((value / scale).toPrecision(3))} ${unit}`;
}

const FLOPS_UNITS: [string, number][] = [['PFLOP/s', 1e15], ['TFLOP/s', 1e12], ['GFLOP/s', 1e9]];
const BANDWIDTH_UNITS: [string, number][] = [['TB/s', 1e12], ['GB/s', 1e9], ['MB/s', 1e6]];

/** "NVIDIA H100 SXM5 80GB — 989 TFLOP/s bf16, 3.35 TB/s HBM3" (+ memory when the name lacks it, + "no fp8"). */
export function hardwareDescription(h: Hardware): string {
  const gb = Math.round(h.memory / 1e9);
  const flops = `${h.estimated ? '~' : ''}${siFigure(h.bf16, FLOPS_UNITS)} bf16${h.estimated ? ' (estimate)' : ''}`;
  const parts = [flops, `${siFigure(h.bandwidth, BANDWIDTH_UNITS)} ${h.memoryKind}`];
  if (!h.name.includes(`${gb}GB`)) parts.push(`${gb} GB`);
  if (h.fp8 === null) parts.push('no fp8');
  return `${h.name} — ${parts.join(', ')}`;
}

/** "2 bytes", "0.5 byte (NormalFloat4)". */
export function dtypeDescription(dtype: string): string {
  const bytes = DTYPE_BYTES[dtype];
  const note = DTYPE_NOTES[dtype];
  return `${bytes} ${bytes > 1 ? 'bytes' : 'byte'}${note ? ` (${note})` : ''}`;
}

export const SETTINGS = {
  // Not a top-level enum: VS Code flags values outside an enum, and custom device ids are valid too. The
  // first branch lists the catalogue (completions with descriptions in settings.json), the second accepts
  // any id; the server checks that it names a catalogue or `archlens.customHardware` device.
  hardware: {
    type: 'string', default: 'h100',
    anyOf: [
      { enum: HARDWARE.map((h) => h.id), enumDescriptions: HARDWARE.map(hardwareDescription) },
      { pattern: ID_PATTERN, description: 'The id of an `archlens.customHardware` device' },
    ],
    markdownDescription: 'Device used for roofline estimates (prefill / decode time, memory fit) in hovers, code lenses, inlay hints and the status bar: a catalogue id (see docs/costs.md) or the `id` of an `archlens.customHardware` entry. Peak figures are dense vendor datasheet numbers.',
  },
  customHardware: {
    type: 'array', default: [],
    items: customHardwareSchema(),
    markdownDescription: 'User-defined devices, in friendly units: `{ "id": "my-gpu", "bf16": 400, "fp8": 800, "bandwidth": 2000, "memory": 64, "interconnect": 100, "gpusPerNode": 4 }` — peaks in **TFLOP/s** (int8 in TOPS), `bandwidth` in **GB/s**, `memory` in **GB**, `interconnect` (GPU-to-GPU inside a node) and `hostLink` in **GB/s per direction**. Choose one with `archlens.hardware`. Entries with a missing or invalid figure, or an id that is already a catalogue device, are reported and ignored. The CLI takes the same objects with `--hardware-file FILE.json`.',
  },
  seq: {
    type: 'number', default: 0, minimum: 0,
    markdownDescription: 'Context length `L` used for KV-cache size and decode cost. `0` uses each model\'s own `context` setting.',
  },
  batch: {
    type: 'number', default: 1, minimum: 1,
    markdownDescription: 'Batch size `B` (sequences decoded together) for the roofline estimates.',
  },
  dtype: {
    type: 'string', default: '',
    enum: ['', ...DTYPES],
    enumDescriptions: ['The model\'s own `dtype` setting', ...DTYPES.map(dtypeDescription)],
    markdownDescription: 'Weight data type for byte and time estimates. Empty uses each model\'s own `dtype`.',
  },
  gpus: {
    type: 'number', default: 1, minimum: 1,
    markdownDescription: 'GPUs of the deployment for the serving estimate (hover cards and the dashboard\'s Deployment section): `tp · pp · dp` (data-parallel replicas each serve `batch / dp`).',
  },
  parallel: {
    type: 'string', default: '', pattern: PARALLEL_PATTERN,
    patternErrorMessage: 'comma-separated tp=N, pp=N, ep=N, e.g. "tp=4,pp=2" (empty: tp = archlens.gpus)',
    markdownDescription: 'Parallel layout of the serving estimate: comma-separated `tp=N`, `pp=N`, `ep=N` (e.g. `tp=4,pp=2`, `tp=8,ep=8`); missing parts are 1. Empty: tensor parallel over all `archlens.gpus`. `tp · pp` must divide `archlens.gpus`.',
  },
  framework: {
    type: 'string', default: 'vllm', enum: FRAMEWORKS,
    enumDescriptions: FRAMEWORKS.map((f) => (f === 'ideal' ? 'Pure roofline: datasheet peaks, no overheads' : `${frameworkSetup(f).fw.name}: fitted overheads and efficiencies (docs/accuracy.md)`)),
    markdownDescription: 'Serving framework profile of the calibrated estimate (fixed per-step costs, achievable efficiencies, reserved memory). `ideal` is the bare roofline.',
  },
  input: {
    type: 'number', default: 1024, minimum: 0,
    markdownDescription: 'Prompt length (tokens per request) of the serving estimate: TTFT is the prefill of `batch` such prompts.',
  },
  output: {
    type: 'number', default: 256, minimum: 0,
    markdownDescription: 'Generated tokens per request of the serving estimate (TPOT is the mean decode step over them).',
  },
  'inlayHints.enabled': {
    type: 'boolean', default: true,
    description: 'Show parameter counts as inlay hints after block uses.',
  },
  'codeLens.enabled': {
    type: 'boolean', default: true,
    description: 'Show the totals code lens (params, decode time) above each model, with links to the dashboard and gate views.',
  },
  // Read by the extension (extension/config.ts) for the inference process, not by the server.
  'inference.provider': {
    type: 'string', default: 'auto', enum: ['auto', 'cuda', 'webgpu', 'cpu', 'directml', 'coreml'],
    enumDescriptions: [
      'The platform order (Linux: CUDA, WebGPU, CPU; Windows: DirectML, CPU; macOS: CoreML, CPU), skipping a WebGPU adapter that is a CPU in disguise (llvmpipe/lavapipe, SwiftShader)',
      'CUDA only (needs onnxruntime-node\'s CUDA provider libraries, CUDA 12 and cuDNN 9)',
      'WebGPU only, on whatever adapter Dawn finds, software adapters included',
      'The CPU provider only',
      'DirectML only (Windows builds that include it)',
      'CoreML only (macOS builds that include it)',
    ],
    markdownDescription: 'Execution provider for the gate panel and measurements. `auto` tries GPU providers first and falls back to CPU; any other value forces that provider (no fallback: its error is shown). The panel shows the provider with its device, e.g. `webgpu (llvmpipe …)`. See docs/gpu.md.',
  },
  // Machine scope: a workspace cannot set it (a library folder is native code the inference process loads).
  'inference.cudaLibraryPath': {
    type: 'string', default: '', scope: 'machine',
    markdownDescription: 'Folders (separated by `:` on Linux, `;` on Windows) holding the CUDA 12 runtime, cuBLAS, cuFFT and cuDNN 9 libraries the CUDA provider loads; put first on the inference process\'s library path. Empty: the system\'s. See docs/gpu.md.',
  },
  // Read by vscode-languageclient itself (CLIENT_ID `archlens`), not by the server.
  'trace.server': {
    type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'], scope: 'window',
    enumDescriptions: ['No tracing', 'Trace message names', 'Trace messages with their parameters and results'],
    markdownDescription: 'Traces the LSP communication with the Archlens language server into the "Archlens Language Server" output channel (with vscode-languageclient 10 the trace is written when that channel\'s log level is Trace; this setting picks how much).',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

function fieldSchema(f: CustomField): JsonSchema {
  const description = f.description;
  if (f.type !== 'number') return { type: f.type, description };
  return { type: f.nullable ? ['number', 'null'] : 'number', minimum: 0, description };
}

/** The JSON schema of one `archlens.customHardware` entry, from the parser's field table. */
export function customHardwareSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, f] of Object.entries(CUSTOM_FIELDS)) properties[key] = fieldSchema(f);
  const id = properties.id;
  properties.id = { ...id, pattern: ID_PATTERN, patternErrorMessage: 'letters, digits, ., _ and - (starting with a letter or digit)' };
  const required = Object.entries(CUSTOM_FIELDS).filter(([, f]) => (f as CustomField).required).map(([k]) => k);
  return { type: 'object', required, properties, additionalProperties: false };
}

/** The value of package.json's `contributes.configuration`. */
export function configurationContribution(): { title: string; properties: Record<string, SettingSpec> } {
  const properties: Record<string, SettingSpec> = {};
  for (const [key, spec] of Object.entries(SETTINGS)) properties[`${SECTION}.${key}`] = spec;
  return { title: TITLE, properties };
}
