/**
 * `archlens train-estimate FILE.arch [--model NAME] --hardware ID --gpus N --tokens D [--seq L] [--global-batch TOKENS]
 *   [--micro-batch B] [--tp N --pp N --dp N --cp N --ep N --vpp N] [--zero 0|1|2|3|fsdp] [--recompute none|selective|full]
 *   [--dtype bf16|fp8] [--capacity-factor C] [--network-gbps G] [--json]`: the training estimate (language-server/src/training);
 * JSON in docs/training-json.md.
 */
import { estimateTraining } from '../training/estimate';
import { trainingSetupFor } from '../training/layout';
import { chinchillaFor } from '../training/chinchilla';
import { costModel } from '../cost/engine';
import { trainingJson } from '../report/trainingJson';
import { renderTrainingText } from '../report/trainingText';
import { optionalInt, singleModel, type Io, type Parsed } from './common';
import { readHardwareFile } from './report';

export const trainingOptions = {
  model: { type: 'string' }, hardware: { type: 'string', default: 'h100' }, 'hardware-file': { type: 'string' },
  gpus: { type: 'string' }, tp: { type: 'string' }, pp: { type: 'string' }, dp: { type: 'string' }, cp: { type: 'string' },
  ep: { type: 'string' }, vpp: { type: 'string' }, tokens: { type: 'string' }, seq: { type: 'string' },
  'global-batch': { type: 'string' }, 'micro-batch': { type: 'string' }, zero: { type: 'string' }, recompute: { type: 'string' },
  dtype: { type: 'string' }, 'capacity-factor': { type: 'string' }, 'network-gbps': { type: 'string' }, json: { type: 'boolean', default: false },
} as const;

function positiveNumber(v: string | boolean | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(String(v).replace(/_/g, ''));
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${flag} must be a positive number, got '${v}'`);
  return n;
}

export function runTraining({ values, positionals }: Parsed, io: Io): number {
  const model = singleModel(values, positionals, io, 'train-estimate');
  if (!model) return 1;
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const int = (k: string): number | undefined => optionalInt(values[k], `--${k}`);
  const tokens = positiveNumber(values.tokens, '--tokens');
  if (tokens === undefined) throw new Error('--tokens is required (training tokens D, e.g. 2e12)');
  const setup = trainingSetupFor(model, {
    hardware: String(values.hardware), customHardware: str('hardware-file') ? readHardwareFile(str('hardware-file')!) : [],
    gpus: int('gpus'), tp: int('tp'), pp: int('pp'), dp: int('dp'), cp: int('cp'), ep: int('ep'), vpp: int('vpp'),
    zero: str('zero'), recompute: str('recompute'), dtype: str('dtype'), seq: int('seq'),
    globalBatchTokens: int('global-batch'), microBatch: int('micro-batch'), tokens,
    capacityFactor: positiveNumber(values['capacity-factor'], '--capacity-factor'), networkGbps: positiveNumber(values['network-gbps'], '--network-gbps'),
  });
  const e = estimateTraining(model, setup);
  const params = costModel(model, { hardware: setup.hardware, seq: setup.seq }).totals.params.total;
  const chinchilla = chinchillaFor(model, params, tokens);
  if (values.json) io.out(`${JSON.stringify(trainingJson(model.name, e, chinchilla), null, 2)}\n`);
  else io.out(renderTrainingText(model.name, e, chinchilla));
  return 0;
}
