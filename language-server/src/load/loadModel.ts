/**
 * The one loading pipeline every user shares (CLI, language server, inference worker): analyse an .arch file
 * through a FileHost, refuse a program with errors, pick the model, scale a probe of it and refuse graphs too
 * large to build. Whoever passes the host decides the fence: the worker passes snapshotHost (the files the
 * server loaded through its fenced, overlaid workspace host), the CLI passes nodeHost.
 */
import { analyze, type Analysis } from '../semantic/analyze';
import type { FileHost } from '../semantic/program';
import type { ModelInstance } from '../semantic/instances';
import { parseProbe, probeModel } from '../compile/probe';
import { costModel } from '../cost/engine';
import { findHardware } from '../cost/hardware';

import { MAX_PROBE_PARAMS } from '../compile/limits';

export { MAX_PROBE_PARAMS };

export interface LoadRequest {
  /** Absolute path (identity) of the .arch file. */
  readonly file: string;
  readonly host: FileHost;
  /** Text of `file` (an editor buffer); default: host.read(file). */
  readonly text?: string;
  /** Model to pick; default: the file's first model. */
  readonly model?: string;
}

export interface LoadedModel {
  readonly analysis: Analysis;
  readonly model: ModelInstance;
}

/** Why a model could not be loaded; `analysis` is set when the program was analysed (for located diagnostics). */
export class ModelLoadError extends Error {
  constructor(message: string, readonly analysis?: Analysis) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

/** Analyses `file` and picks the model; throws ModelLoadError when the program has errors or the model is missing. */
export function loadModel(r: LoadRequest): LoadedModel {
  const analysis = analyze(r.file, r.host, r.text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new ModelLoadError(`the model has errors: ${errors[0].message}${more}`, analysis);
  }
  const model = r.model === undefined ? analysis.models[0] : analysis.models.find((m) => m.name === r.model);
  if (!model) throw new ModelLoadError(r.model === undefined ? 'the file declares no model' : `no model named '${r.model}'`, analysis);
  return { analysis, model };
}

/**
 * The model scaled by `spec` (`layers=2,width=8`; '' = the full model) at sequence length `seq`, refused when
 * it has more than MAX_PROBE_PARAMS parameters (a full model without a probe usually does).
 */
export function probeOf(model: ModelInstance, spec: string, seq: number): ModelInstance {
  const probe = spec.trim() ? probeModel(model, { ...parseProbe(spec), seq }) : model;
  const problem = probeSizeProblem(probe, spec, seq);
  if (problem) throw new Error(problem);
  return probe;
}

/** A sentence saying why `probe` is too large to build, or undefined when it fits. */
export function probeSizeProblem(probe: ModelInstance, spec: string, seq: number): string | undefined {
  const params = costModel(probe, { hardware: findHardware('h100')!, seq, batch: 1 }).totals.params.total;
  if (Number.isFinite(params) && params <= MAX_PROBE_PARAMS) return undefined;
  const count = Number.isFinite(params) ? params.toLocaleString('en-US') : 'too many';
  const limit = MAX_PROBE_PARAMS.toLocaleString('en-US');
  const what = spec.trim() ? `probe '${spec.trim()}' of ${probe.name}` : `${probe.name} without a probe`;
  return `${what} has ${count} parameters (more than ${limit}): choose a probe with fewer layers or a larger width divisor, e.g. layers=2,width=8`;
}
