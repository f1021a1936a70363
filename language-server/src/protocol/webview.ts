/**
 * Messages between the extension host and the Archlens webviews (dashboard, gates), with runtime validators.
 * The webview is a separate, less-trusted context and the host's data comes from workspace files, so BOTH
 * directions are validated before use (`isHostMessage` in the webview, `isWebviewMessage` in the host).
 * No 'vscode' import: the host panels and the browser bundle share this file.
 */
import type { DashboardData, DeploymentParams, SourceRange, TrainingParams } from './dashboard';
import type { MeasureResult } from '../measure/types';
import type { ProviderAttemptView } from './inference';
import { arr, bool, dict, intIn, isRec, lit, num, nums, obj, opt, str, type Check } from './checks';
import { layerStrip, overlay, sourceRange, trainingParams, trainingView } from './viewChecks';

export type { MeasureResult };

export type PanelKind = 'dashboard' | 'gates';

/** One gate output of an ONNX run (docs: `engram_alpha_l{i}`, `moe_probs_l{i}`, `attn_probs_l{i}`, `hc_res_l{i}`). */
export interface GateTensor { name: string; dims: number[]; data: number[] }

export interface GateRun {
  /** Label of the model that ran (file name). */
  model: string;
  /** Execution provider that actually ran (cpu, cuda, webgpu, …) and the attempts before it. */
  provider: string;
  /** The device behind the provider (WebGPU adapter name, GPU, CPU model), shown next to it. */
  device?: string;
  attempts: ProviderAttemptView[];
  ms: number;
  /** Timing breakdown, e.g. `load 3 ms · session 40 ms · run 2 ms`. */
  detail?: string;
  text: string;
  /** One display piece per input id. */
  tokens: string[];
  outputs: GateTensor[];
  /** The model's weights are not trained: gate values carry no meaning. */
  untrained: boolean;
  /** Problems with the outputs the panel shows as warnings (NaN values drawn as 0, gates it cannot draw). */
  notes?: string[];
}

export interface GatesModelInfo { label: string; bundled: boolean; untrained: boolean; trusted: boolean }

export type HostMessage =
  | { type: 'dashboard'; data: DashboardData }
  | { type: 'dashboardError'; message: string; models: string[] }
  | { type: 'gatesModel'; model: GatesModelInfo }
  | { type: 'gatesStatus'; state: 'running' | 'idle'; message: string; elapsedMs: number }
  | { type: 'gates'; run: GateRun }
  | { type: 'gatesError'; message: string }
  | { type: 'setText'; text: string }
  | { type: 'measured'; result: MeasureResult }
  | { type: 'measureStatus'; state: 'running' | 'idle'; message: string }
  | { type: 'measureError'; message: string };

/** Measured vs estimated settings the dashboard sends (limits: measure.ts runs them in the inference process). */
export interface MeasureSettings { probe: string; seq: number; runs: number }

export type WebviewMessage =
  | { type: 'ready'; panel: PanelKind }
  | { type: 'dashboardOptions'; model: string; compare: string[] }
  /** The Deployment section's controls changed: recompute with these choices. */
  | { type: 'deploymentOptions'; deployment: DeploymentParams }
  /** The Training section's controls changed. */
  | { type: 'trainingOptions'; training: TrainingParams }
  /** A layer map cell was clicked: show where its block is written. */
  | { type: 'revealSource'; range: SourceRange }
  | { type: 'selectHardware' }
  | { type: 'runGates'; text: string }
  | { type: 'cancelGates' }
  /** Save a heatmap: CSV text, or a PNG data URL (`data:image/png;base64,…`); `name` is a file-name stem. */
  | { type: 'exportHeatmap'; name: string; format: 'png' | 'csv'; data: string }
  | { type: 'chooseModel' }
  | { type: 'useBundledModel' }
  | ({ type: 'measure' } & MeasureSettings)
  | { type: 'cancelMeasure' };

/** What a webview keeps through vscode.setState (and what the serializer receives after a restart). */
export interface WebviewState {
  panel: PanelKind;
  uri?: string;
  model?: string;
  compare?: string[];
  dashboard?: DashboardData;
  gates?: GateRun;
  /** The last measured vs estimated result of the dashboard. */
  measured?: MeasureResult;
  text?: string;
  /** UI selections (layer, head, branch filter …) by control id. */
  selections?: Record<string, string>;
}

// ─── Validators (combinators in checks.ts; the dashboard's overlay, layer map and training in viewChecks.ts) ───

const slice = obj(nums('prefillFlopsPerToken', 'decodeFlopsPerToken', 'cacheBytes'));
const contextPoint = obj({
  ...nums('seq', 'prefillFlopsPerToken', 'decodeFlopsPerToken', 'cacheBytes', 'decodeSeconds', 'prefillSeconds'),
  byClass: obj({ attention: slice, recurrent: slice, 'position-free': slice }), byKind: dict(slice),
});
const rooflinePoint = obj({ label: str, kind: str, phase: lit('prefill', 'decode'), ...nums('intensity', 'attainable', 'seconds'), bound: lit('compute', 'memory') });
const compareRow = obj({
  model: str, decodeBound: lit('compute', 'memory'),
  ...nums('paramsTotal', 'paramsActive', 'prefillFlopsPerToken', 'decodeFlopsPerToken', 'weightBytes', 'hostWeightBytes', 'cacheBytes', 'decodeSeconds', 'prefillSeconds', 'deviceBytes'),
});
const allocationPoint = obj({
  ...nums('rho', 'rhoActual', 'pTot', 'pAct', 'prefillFlopsPerToken', 'decodeFlopsPerToken', 'decodeBytesPerStep', 'hostBytesPerStep',
    'deviceWeightBytes', 'hostWeightBytes', 'engramTableBytes', 'deviceBytes', 'decodeSeconds'),
  experts: arr(num), slots: arr(num),
});

const DEPLOY_LIMIT = 1 << 20;
const deploymentParams = obj({
  hardware: (v) => typeof v === 'string' && v.length <= 100, framework: (v) => typeof v === 'string' && v.length <= 40,
  gpus: intIn(1, 4096), tp: intIn(1, 4096), pp: intIn(1, 4096), ep: intIn(1, 4096), batch: intIn(1, DEPLOY_LIMIT), input: intIn(0, DEPLOY_LIMIT * 16), output: intIn(0, DEPLOY_LIMIT),
});
const servingFigures = obj(nums('ttft', 'tpot', 'e2e', 'outputTokensPerS', 'outputTokensPerSPerGpu', 'inputTokensPerS', 'concurrency', 'waves'));
const paretoPoint = obj({ ...nums('batch', 'ttft', 'tpot', 'e2e', 'outputTokensPerSPerGpu'), fits: bool });
const deploymentView = obj({
  params: deploymentParams, choices: obj({ hardware: arr(obj({ id: str, name: str }), 1000), frameworks: arr(str, 64) }), error: opt(str),
  estimate: opt(servingFigures), ideal: opt(servingFigures),
  memory: opt(obj({ ...nums('weights', 'kv', 'activations', 'workspace', 'total', 'capacity', 'maxBatch'), fits: bool })),
  sweep: opt(obj({ points: arr(paretoPoint, 256), limit: opt(paretoPoint) })),
});

export const isDashboardData: Check = obj({
  uri: str, model: str, models: arr(str), compare: arr(str), dtype: str, ...nums('seq', 'batch'),
  hardware: obj({ id: str, name: str, ...nums('peak', 'bandwidth', 'memory') }),
  totals: obj(nums('paramsTotal', 'paramsActive', 'prefillFlopsPerToken', 'decodeFlopsPerToken', 'weightBytes', 'hostWeightBytes', 'cacheBytes', 'decodeSeconds', 'prefillSeconds', 'deviceBytes')),
  breakdown: arr(obj({ kind: str, ...nums('paramsTotal', 'paramsActive', 'prefillFlops', 'decodeFlops', 'cacheBytes', 'count') })),
  context: arr(contextPoint),
  roofline: obj({ hardware: str, ...nums('peak', 'bandwidth', 'ridge'), points: arr(rooflinePoint), model: arr(rooflinePoint) }),
  comparison: opt(obj({ rows: arr(compareRow), relative: arr(dict(num)) })),
  allocation: opt(obj({ base: obj(nums('pTot', 'pAct', 'pSparse', 'moeSparse', 'engramSparse', 'rho')), points: arr(allocationPoint), lossComputable: lit(false), note: str })),
  warnings: arr(str), deployment: deploymentView, overlay, layerMap: arr(layerStrip, 64), training: trainingView,
});

/** dims are non-negative integers and the data holds exactly their product of numbers. */
const gateTensor: Check = (v) => obj({ name: str, dims: arr((d) => Number.isInteger(d) && (d as number) >= 0, 8), data: arr(num) })(v)
  && (v as GateTensor).dims.reduce((a, b) => a * b, 1) === (v as GateTensor).data.length;

export const isGateRun: Check = obj({
  model: str, provider: str, device: opt(str), ms: num, detail: opt(str), text: str, untrained: bool, notes: opt(arr(str)),
  attempts: arr(obj({ provider: str, ok: bool, error: opt(str), device: opt(str) })), tokens: arr(str), outputs: arr(gateTensor, 4096),
});

const phase = obj({ ...nums('estimatedUs', 'measuredUs', 'ratio'), bound: lit('compute', 'memory'), method: str, approximate: bool, samplesMs: arr(num, 10_000) });
const cpuFigures = obj({ key: str, model: str, arch: str, runtime: str, measuredAt: str, ...nums('cores', 'memory', 'flops', 'bandwidth', 'matmulN', 'streamBytes') });

export const isMeasureResult: Check = obj({
  model: str, probe: str, provider: str, ...nums('params', 'seq', 'runs'),
  attempts: arr(obj({ provider: str, ok: bool, error: opt(str) }), 16),
  device: obj({ id: str, name: str, source: str, ...nums('peakFlops', 'bandwidth') }),
  cpu: opt(cpuFigures), prefill: phase, decode: phase, notes: arr(str, 64),
});

const HOST: Record<HostMessage['type'], Check> = {
  dashboard: obj({ data: isDashboardData }),
  dashboardError: obj({ message: str, models: arr(str) }),
  gatesModel: obj({ model: obj({ label: str, bundled: bool, untrained: bool, trusted: bool }) }),
  gatesStatus: obj({ state: lit('running', 'idle'), message: str, elapsedMs: num }),
  gates: obj({ run: isGateRun }),
  gatesError: obj({ message: str }),
  setText: obj({ text: str }),
  measured: obj({ result: isMeasureResult }),
  measureStatus: obj({ state: lit('running', 'idle'), message: str }),
  measureError: obj({ message: str }),
};

/** A probe spec as parseProbe reads it: `key=number` pairs, or '' for the full model. */
const probeSpec: Check = (v) => typeof v === 'string' && v.length <= 200 && /^(\s*[a-z_]+\s*=\s*[0-9.]+\s*(,|$))*$/.test(v);

const TEXT_LIMIT = 100_000;
const EXPORT_LIMIT = 32_000_000;
const WEBVIEW: Record<WebviewMessage['type'], Check> = {
  ready: obj({ panel: lit('dashboard', 'gates') }),
  dashboardOptions: obj({ model: str, compare: arr(str, 64) }),
  deploymentOptions: obj({ deployment: deploymentParams }),
  trainingOptions: obj({ training: trainingParams }),
  revealSource: obj({ range: sourceRange }),
  selectHardware: () => true,
  runGates: obj({ text: (v) => typeof v === 'string' && v.length <= TEXT_LIMIT }),
  cancelGates: () => true,
  exportHeatmap: (v) => obj({ name: (n) => typeof n === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(n), format: lit('png', 'csv'), data: (d) => typeof d === 'string' && d.length <= EXPORT_LIMIT })(v)
    && ((v as { format: string }).format === 'csv' || (v as { data: string }).data.startsWith('data:image/png;base64,')),
  chooseModel: () => true,
  useBundledModel: () => true,
  measure: obj({ probe: probeSpec, seq: intIn(1, 4096), runs: intIn(1, 200) }),
  cancelMeasure: () => true,
};

function dispatch(table: Record<string, Check>, v: unknown): boolean {
  if (!isRec(v) || typeof v.type !== 'string' || !Object.hasOwn(table, v.type)) return false;
  return table[v.type](v);
}

export function isHostMessage(v: unknown): v is HostMessage {
  return dispatch(HOST, v);
}

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  return dispatch(WEBVIEW, v);
}

export function isWebviewState(v: unknown): v is WebviewState {
  return obj({
    panel: lit('dashboard', 'gates'), uri: opt(str), model: opt(str), compare: opt(arr(str, 64)), text: opt(str),
    dashboard: opt(isDashboardData), gates: opt(isGateRun), measured: opt(isMeasureResult), selections: opt(dict(str)),
  })(v);
}
