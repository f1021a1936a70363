// The inference child's `measure` request: analyze the .arch text, scale the probe, and run the measurement
// (language-server/src/measure/measure.ts) with the onnxruntime Timer. Runs in the child process only.
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { parseProbe, probeModel } from '../../language-server/src/compile/probe';
import { measureModel } from '../../language-server/src/measure/measure';
import type { MeasureResult } from '../../language-server/src/measure/types';
import { ortTimer, ortVersion } from '../../language-server/src/runtime/ortTimer';
import type { MeasureRequest } from '../../language-server/src/protocol/inference';

export async function handleMeasure(req: MeasureRequest): Promise<MeasureResult> {
  const a = analyze(req.file, nodeHost(), req.text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`the model has errors: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`);
  const model = req.model ? a.models.find((m) => m.name === req.model) : a.models[0];
  if (!model) throw new Error(req.model ? `no model named '${req.model}'` : 'the file declares no model');
  const seq = req.seq ?? 16;
  const probe = req.probe ? probeModel(model, { ...parseProbe(req.probe), seq }) : model;
  return measureModel(probe, ortTimer, { seq, runs: req.runs ?? 10, probe: req.probe, providers: req.providers, runtime: ortVersion() });
}
