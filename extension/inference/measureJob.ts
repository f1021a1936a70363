// The inference child's `measure` request: load the model from the program snapshot the language server sent
// (fenced, unsaved buffers included; core load/), scale the probe (size-guarded) and run the measurement
// (language-server/src/measure/measure.ts) with the onnxruntime Timer. Runs in the child process only.
import { loadModel, probeOf } from '../../language-server/src/load/loadModel';
import { isProgramSnapshot, snapshotHost } from '../../language-server/src/load/snapshot';
import { measureModel } from '../../language-server/src/measure/measure';
import type { MeasureResult } from '../../language-server/src/measure/types';
import { ortTimer, ortVersion } from '../../language-server/src/runtime/ortTimer';
import type { MeasureRequest } from '../../language-server/src/protocol/inference';
import { providerOrder } from '../../language-server/src/runtime/providers';

export async function handleMeasure(req: Omit<MeasureRequest, 'type' | 'id'>): Promise<MeasureResult> {
  if (!isProgramSnapshot(req.snapshot)) throw new Error('the measure request carries no program snapshot');
  const { model } = loadModel({ file: req.snapshot.file, host: snapshotHost(req.snapshot), model: req.model });
  const seq = req.seq ?? 16;
  const probe = probeOf(model, req.probe, seq);
  // A forced provider setting becomes an explicit list (tried as given); `auto` leaves the timer's automatic order.
  const providers = req.providers ?? (req.provider && req.provider !== 'auto' ? providerOrder(req.provider) : undefined);
  return measureModel(probe, ortTimer, { seq, runs: req.runs ?? 10, probe: req.probe, providers, runtime: ortVersion() });
}
