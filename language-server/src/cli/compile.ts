/**
 * `archlens compile <file.arch> [--model NAME] [--probe layers=2,width=8] [--seq 16] [-o out.onnx]`:
 * compiles a model (or a scaled probe of it) to ONNX with seeded random weights and prints the independent
 * check: parameters and FLOPs per token counted on the graph vs the cost engine at the probe's seq, and the graph
 * inputs when there is more than input_ids (a cross-attention's `memory`).
 */
import * as fs from 'fs';
import { checkModel } from '../compile/check';
import { probeOf } from '../load/loadModel';
import { positiveInt, singleModel, type Io, type Parsed } from './common';


export const compileOptions = {
  model: { type: 'string' }, probe: { type: 'string' }, seq: { type: 'string', default: '16' },
  o: { type: 'string', short: 'o' }, output: { type: 'string' }, seed: { type: 'string', default: '1234' },
} as const;

export function runCompile({ values, positionals }: Parsed, io: Io): number {
  const model = singleModel(values, positionals, io, 'compile');
  if (!model) return 1;
  const seq = positiveInt(values.seq, '--seq');
  const probe = probeOf(model, typeof values.probe === 'string' ? values.probe : '', seq);
  const r = checkModel(probe, { seq, seed: positiveInt(values.seed, '--seed') });
  const out = (values.o ?? values.output) as string | undefined;
  if (out) fs.writeFileSync(out, r.compiled.bytes);
  const pct = (r.flopsError * 100).toFixed(3);
  io.out(`${model.name}${values.probe ? ` (probe ${values.probe})` : ''}: d_model ${probe.dims.d_model}, vocab ${probe.dims.vocab}, T ${seq}\n` +
    `  params   graph ${r.graph.params}  engine ${r.engine.params}  ${r.paramsEqual ? 'equal' : 'DIFFERENT'}\n` +
    `  FLOPs/token (prefill)  graph ${r.graph.flopsPerToken.toFixed(0)}  engine ${r.engine.flopsPerToken.toFixed(0)}  (${pct} %)\n` +
    `  gates    ${r.compiled.gates.join(', ') || '(none)'}\n` +
    (r.compiled.inputs.length > 1 ? `  inputs   ${r.compiled.inputs.map((i) => `${i.name} ${i.type} [${i.dims.join(', ')}]`).join(', ')}\n` : '') +
    (out ? `  wrote ${out} (${r.compiled.bytes.length} bytes, untrained seeded weights)\n` : ''));
  return r.paramsEqual && Math.abs(r.flopsError) <= 0.01 ? 0 : 1;
}
