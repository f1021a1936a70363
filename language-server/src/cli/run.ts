/**
 * `archlens run <file.arch> [--model NAME] [--probe layers=2,width=8] [--seq 16] [--runs 10] [--providers cuda,cpu] [--json]`:
 * compiles the model (or a scaled probe), runs it with onnxruntime-node (the panels' provider order unless
 * --providers), and prints the estimated vs measured prefill and decode time per token on the device used
 * (measure/measure.ts). --json prints the MeasureResult (docs/run-json.md).
 * The only CLI module that loads onnxruntime-node (through runtime/ortTimer.ts).
 */
import { isProviderName, PROVIDER_NAMES } from '../protocol/inference';
import { probeOf } from '../load/loadModel';
import { measureModel } from '../measure/measure';
import { formatRunTable } from '../format/measure';
import { ortTimer, ortVersion } from '../runtime/ortTimer';
import { positiveInt, singleModel, type Io, type Parsed } from './common';


export const runOptions = {
  model: { type: 'string' }, probe: { type: 'string' }, seq: { type: 'string', default: '16' }, runs: { type: 'string', default: '10' },
  providers: { type: 'string' }, seed: { type: 'string', default: '1234' }, json: { type: 'boolean', default: false },
} as const;

export async function runRun({ values, positionals }: Parsed, io: Io): Promise<number> {
  const model = singleModel(values, positionals, io, 'run');
  if (!model) return 1;
  const seq = positiveInt(values.seq, '--seq');
  const probe = probeOf(model, typeof values.probe === 'string' ? values.probe : '', seq);
  const providers = typeof values.providers === 'string' ? values.providers.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const unknown = providers?.filter((p) => !isProviderName(p)) ?? [];
  if (unknown.length) throw new Error(`unknown provider${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `'${p}'`).join(', ')}; known: ${PROVIDER_NAMES.join(', ')}`);
  const r = await measureModel(probe, ortTimer, {
    seq, runs: positiveInt(values.runs, '--runs'), seed: positiveInt(values.seed, '--seed'), providers,
    probe: typeof values.probe === 'string' ? values.probe : '', runtime: ortVersion(),
  });
  io.out(values.json ? `${JSON.stringify(r, null, 2)}\n` : formatRunTable(r));
  return 0;
}
