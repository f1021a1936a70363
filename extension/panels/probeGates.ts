/**
 * "Visualize Gates of a Compiled Probe": compiles a scaled probe of an .arch model (compile/) to a temporary
 * .onnx with seeded, untrained weights, for the gate panel. The graph's sequence length is fixed at compile time,
 * so the panel fits its byte tokens to it (fitIds: ids modulo the probe's vocabulary, truncated or padded).
 * No 'vscode' import (tests use it directly).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { parseProbe, probeModel } from '../../language-server/src/compile/probe';
import { compileModel } from '../../language-server/src/compile/compile';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';

/** A compiled probe the gate panel runs: fixed T, vocabulary V, gate output names. */
export interface ProbeModel { readonly path: string; readonly label: string; readonly seq: number; readonly vocab: number; readonly gates: readonly string[] }

/** Largest probe compiled on request (parameters); bigger ones would stall the editor and fill memory. */
export const MAX_PROBE_PARAMS = 50_000_000;
/** The pad id fills positions after the text (shown as ∅). */
export const PAD = 0;

export interface ProbeRequest { file: string; text?: string; model?: string; probe: string; seq: number; dir?: string }

export function compileProbeToFile(r: ProbeRequest): ProbeModel {
  const a = analyze(r.file, nodeHost(), r.text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`the model has errors: ${errors[0].message}`);
  const model = (r.model && a.models.find((m) => m.name === r.model)) || a.models[0];
  if (!model) throw new Error('the file declares no model');
  const probe = probeModel(model, { ...parseProbe(r.probe), seq: r.seq });
  const params = costModel(probe, { hardware: findHardware('h100')!, seq: r.seq, batch: 1 }).totals.params.total;
  if (params > MAX_PROBE_PARAMS) throw new Error(`probe '${r.probe}' of ${model.name} has ${params.toLocaleString('en-US')} parameters (more than ${MAX_PROBE_PARAMS.toLocaleString('en-US')}): choose fewer layers or a larger width divisor`);
  const c = compileModel(probe, { seq: r.seq });
  const hash = crypto.createHash('sha256').update(c.bytes).digest('hex').slice(0, 12);
  const dir = r.dir ?? path.join(os.tmpdir(), 'archlens-probes');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${model.name}-${hash}.onnx`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, c.bytes);
  return { path: file, label: `${model.name} probe ${r.probe || 'full'} (T ${r.seq})`, seq: r.seq, vocab: probe.dims.vocab ?? 256, gates: c.gates };
}

/** Byte ids → exactly `seq` ids below `vocab`: truncated, or padded with PAD; `real` = how many come from the text. */
export function fitIds(ids: readonly number[], seq: number, vocab: number): { ids: number[]; real: number } {
  const real = Math.min(ids.length, seq);
  const out = ids.slice(0, real).map((i) => ((i % vocab) + vocab) % vocab);
  while (out.length < seq) out.push(PAD % vocab);
  return { ids: out, real };
}

/** Display pieces for a fitted run: the text's pieces, then ∅ for each pad position. */
export function fitPieces(pieces: readonly string[], real: number, seq: number): string[] {
  return [...pieces.slice(0, real), ...Array.from({ length: seq - real }, () => '∅')];
}
