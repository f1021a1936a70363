/**
 * `archlens estimate FILE.arch [--model NAME] --hardware ID [--gpus N] [--tp N] [--pp N] [--ep N] [--dtype T]
 *   [--weights FORMAT] [--kv-dtype T] [--batch B] --input I --output O [--framework F] [--json]`:
 * the calibrated serving estimate (language-server/src/serving) of one model; JSON in docs/estimate-json.md.
 */
import { estimateServing } from '../serving/estimate';
import { deploymentFor } from '../serving/deployment';
import { estimateJson } from '../report/estimateJson';
import { renderEstimateText } from '../report/estimateText';
import { optionalInt, singleModel, type Io, type Parsed } from './common';
import { readHardwareFile } from './report';

export const estimateOptions = {
  model: { type: 'string' }, hardware: { type: 'string', default: 'h100' }, 'hardware-file': { type: 'string' },
  gpus: { type: 'string' }, tp: { type: 'string' }, pp: { type: 'string' }, ep: { type: 'string' },
  dtype: { type: 'string' }, weights: { type: 'string' }, 'kv-dtype': { type: 'string' },
  batch: { type: 'string', default: '1' }, input: { type: 'string' }, output: { type: 'string' },
  framework: { type: 'string', default: 'vllm' }, json: { type: 'boolean', default: false },
} as const;

/** A non-negative integer flag (`--input 0` is llama-bench tg, `--output 0` is pp). */
function count(v: string | boolean | undefined, flag: string): number {
  if (v === undefined) throw new Error(`${flag} is required`);
  if (String(v).trim() === '0') return 0;
  return optionalInt(v, flag)!;
}

export function runEstimate({ values, positionals }: Parsed, io: Io): number {
  const model = singleModel(values, positionals, io, 'estimate');
  if (!model) return 1;
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const int = (k: string): number | undefined => optionalInt(values[k], `--${k}`);
  const deployment = deploymentFor(model, {
    hardware: String(values.hardware), customHardware: str('hardware-file') ? readHardwareFile(str('hardware-file')!) : [],
    gpus: int('gpus'), tp: int('tp'), pp: int('pp'), ep: int('ep'),
    dtype: str('dtype'), weights: str('weights'), kvDtype: str('kv-dtype'), framework: str('framework'),
  });
  const workload = { batch: int('batch') ?? 1, input: count(values.input, '--input'), output: count(values.output, '--output') };
  if (workload.input + workload.output === 0) throw new Error('--input and --output cannot both be 0');
  const e = estimateServing(model, deployment, workload);
  if (values.json) io.out(`${JSON.stringify(estimateJson(model.name, e), null, 2)}\n`);
  else io.out(renderEstimateText(model.name, e, estimateServing(model, { ...deployment, framework: 'ideal' }, workload)));
  return 0;
}
