/**
 * "Visualize Gates of a Compiled Probe", core part: load a model from a program snapshot (the fenced files the
 * language server loaded), scale the probe (size-guarded) and compile it to ONNX bytes with seeded, untrained
 * weights. The graph's sequence length is fixed at compile time. Writing the file is the caller's job.
 */
import { compileModel } from '../compile/compile';
import { loadModel, probeOf } from './loadModel';
import { snapshotHost, type ProgramSnapshot } from './snapshot';

export interface ProbeCompileInput {
  readonly snapshot: ProgramSnapshot;
  /** Model name; default: the document's first model. */
  readonly model?: string;
  /** Probe spec, e.g. `layers=2,width=8`. */
  readonly probe: string;
  readonly seq: number;
}

export interface ProbeBytes {
  readonly modelName: string;
  readonly label: string;
  readonly seq: number;
  /** The probe's vocabulary (byte ids are folded into it). */
  readonly vocab: number;
  readonly gates: readonly string[];
  readonly bytes: Uint8Array;
}

export function compileProbeBytes(r: ProbeCompileInput): ProbeBytes {
  const { model } = loadModel({ file: r.snapshot.file, host: snapshotHost(r.snapshot), model: r.model });
  const probe = probeOf(model, r.probe, r.seq);
  const c = compileModel(probe, { seq: r.seq });
  return {
    modelName: model.name, label: `${model.name} probe ${r.probe.trim() || 'full'} (T ${r.seq})`, seq: r.seq,
    vocab: probe.dims.vocab ?? 256, gates: c.gates, bytes: c.bytes,
  };
}
