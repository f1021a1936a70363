/**
 * The published measured serving runs (test/fixtures/measured/measured-inference.json) as estimate cases:
 * which model, deployment and workload each row is, and which figure of the estimate it measured.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import type { ModelInstance } from '../../language-server/src/semantic/instances';
import { findHardware } from '../../language-server/src/cost/hardware';
import { findFormat } from '../../language-server/src/serving/formats';
import { estimateServing, type ServingTimes } from '../../language-server/src/serving/estimate';
import type { Calibration, Deployment, Workload } from '../../language-server/src/serving/types';

const ROOT = path.resolve(__dirname, '../..');
export const MEASURED_FILE = path.join(ROOT, 'test/fixtures/measured/measured-inference.json');

export interface MeasuredRow {
  id: string; desc: string; src: string; source_group: string; kind: 'e2e' | 'ttft' | 'tput' | 'tg' | 'pp';
  hw: string; dtype: string; weights: string; kv_dtype?: string; tp: number; gpus: number; B: number; I: number; O: number;
  meas: number; unit: string; framework: string; model: string;
  /** The profile the run's release needs where it is not the framework's current one (e.g. `trtllm-noxqa`). */
  framework_profile?: string;
}

export interface MeasuredCase { row: MeasuredRow; model: ModelInstance; deployment: Deployment; workload: Workload }

/** Row `model` text → (file, model name). */
const MODELS: [RegExp, string, string][] = [
  [/^Llama-3-8B/, 'language-server/stdlib/llama3.arch', 'Llama3_8B'],
  [/^Llama-2-7B|^LLaMA-7B/, 'test/fixtures/measured/models.arch', 'Llama2_7B'],
  [/^Llama-2-70B/, 'test/fixtures/measured/models.arch', 'Llama2_70B'],
  [/^Llama-3(\.3)?-70B/, 'language-server/stdlib/llama3.arch', 'Llama3_1_70B'],
  [/^Llama-3\.1-405B/, 'test/fixtures/measured/models.arch', 'Llama3_1_405B'],
  [/^Mixtral-8x7B/, 'language-server/stdlib/mistral.arch', 'Mixtral8x7B'],
  [/^DeepSeek-R1/, 'language-server/stdlib/deepseek_v3.arch', 'DeepSeekV3'],
];

/** Frameworks named in the rows → the profiles of serving/calibration.json. */
const FRAMEWORK: Record<string, string> = { nim: 'trtllm', 'vllm-rocm': 'vllm', 'gpt-fast': 'gptfast' };

const cache = new Map<string, ModelInstance[]>();
function modelOf(text: string): ModelInstance {
  const hit = MODELS.find(([re]) => re.test(text));
  if (!hit) throw new Error(`no .arch for measured model '${text}'`);
  const file = path.join(ROOT, hit[1]);
  if (!cache.has(file)) cache.set(file, [...analyze(file, nodeHost()).models]);
  const m = cache.get(file)!.find((x) => x.name === hit[2]);
  if (!m) throw new Error(`${hit[1]} has no model ${hit[2]}`);
  return m;
}

export function loadRows(): MeasuredRow[] {
  return (JSON.parse(fs.readFileSync(MEASURED_FILE, 'utf8')) as { rows: MeasuredRow[] }).rows;
}

/**
 * KV dtype where a row does not state it: TensorRT-LLM's published FP8 runs build with an FP8 KV cache (its
 * performance docs: "FP8 … with FP8 KV cache", W5 and the 0.6.1 methodology); other frameworks default to 16-bit.
 */
function defaultKv(row: MeasuredRow, activation: string): string {
  if (activation !== 'fp8') return activation;
  return row.framework === 'trtllm' ? 'fp8' : 'bf16';
}

/** The rows on catalogue devices, as cases; others are returned apart with the reason. */
export function measuredCases(rows = loadRows()): { cases: MeasuredCase[]; skipped: { row: MeasuredRow; reason: string }[] } {
  const cases: MeasuredCase[] = [];
  const skipped: { row: MeasuredRow; reason: string }[] = [];
  for (const row of rows) {
    const hardware = findHardware(row.hw);
    if (!hardware) { skipped.push({ row, reason: `device '${row.hw}' is not in the catalogue` }); continue; }
    const weights = findFormat(row.weights);
    if (!weights) { skipped.push({ row, reason: `weight format '${row.weights}' unknown` }); continue; }
    const activation = row.dtype === 'fp8' ? 'fp8' : row.dtype === 'fp16' ? 'fp16' : 'bf16';
    const deployment: Deployment = {
      hardware, gpus: row.gpus, tp: row.tp, pp: 1, ep: 1, activation, weights,
      kvDtype: row.kv_dtype ?? defaultKv(row, activation), framework: row.framework_profile ?? FRAMEWORK[row.framework] ?? row.framework,
    };
    cases.push({ row, model: modelOf(row.model), deployment, workload: { batch: row.B, input: row.I, output: row.O } });
  }
  return { cases, skipped };
}

/** The estimate's figure that the row measured, in the row's unit. */
export function predictedFigure(c: MeasuredCase, e: ServingTimes): number {
  const { row } = c;
  switch (row.unit) {
    case 'ms': return (row.kind === 'ttft' ? e.ttft : e.e2e) * 1e3;
    case 's': return row.kind === 'ttft' ? e.ttft : e.e2e;
    case 'tok/s/GPU': return e.outputTokensPerSPerGpu;
    case 'tok/s': return row.kind === 'pp' ? e.inputTokensPerS : e.outputTokensPerS;
    default: throw new Error(`${row.id}: unknown unit '${row.unit}'`);
  }
}

/** ln(predicted / measured) on a time axis (rates inverted), so positive = predicted slower than measured. */
export function timeLogRatio(row: MeasuredRow, predicted: number): number {
  const r = Math.log(predicted / row.meas);
  return row.unit.startsWith('tok/s') ? -r : r;
}

/** The prediction for a case under `calibration` and its time-axis log error. */
export function logError(c: MeasuredCase, calibration?: Calibration): { predicted: number; error: number } {
  const predicted = predictedFigure(c, estimateServing(c.model, c.deployment, c.workload, calibration));
  return { predicted, error: timeLogRatio(c.row, predicted) };
}
