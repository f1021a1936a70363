/**
 * The calibrated serving estimate in the editor: the deployment chosen by the archlens.* settings (gpus, parallel,
 * framework, input, output, batch, hardware, dtype), overridden by the dashboard's Deployment controls; the
 * estimate, the same deployment as a bare roofline (`ideal`), memory per GPU and the batch sweep. Never throws:
 * an invalid layout becomes `error`, worded for the editor.
 */
import type { ModelInstance } from '../../semantic/instances';
import type { DeploymentParams, DeploymentView, ServingFigures } from '../../protocol/dashboard';
import { HARDWARE } from '../../cost/hardware';
import { FRAMEWORKS } from '../../serving/calibration';
import { deploymentFor } from '../../serving/deployment';
import { estimateServing, type ServingEstimate } from '../../serving/estimate';
import { servingSweep } from '../../serving/sweep';
import type { Deployment } from '../../serving/types';
import { parseParallel } from '../../settings/parallel';
import type { ArchSettings } from './settings';

/** The settings' deployment; a layout the settings reader let through but that cannot be parsed falls back to tp = gpus. */
export function deploymentParams(s: ArchSettings, over: Partial<DeploymentParams> = {}): DeploymentParams {
  const layout = parseParallel(s.parallel, s.gpus);
  const { tp, pp, ep } = 'error' in layout ? { tp: s.gpus, pp: 1, ep: 1 } : layout;
  return { hardware: s.hardware, gpus: s.gpus, tp, pp, ep, batch: s.batch, input: s.input, output: s.output, framework: s.framework, ...over };
}

/** What is wrong with a layout, in the dashboard's words (the engine's own check follows for the rest). */
export function layoutProblem(p: DeploymentParams): string | undefined {
  const ints = (['gpus', 'tp', 'pp', 'ep', 'batch'] as const).find((k) => !Number.isInteger(p[k]) || p[k] < 1);
  if (ints) return `${ints} must be a positive whole number (got ${p[ints]}).`;
  if (p.gpus % (p.tp * p.pp) !== 0) return `Invalid layout: tp × pp = ${p.tp} × ${p.pp} = ${p.tp * p.pp} does not divide ${p.gpus} GPU${p.gpus > 1 ? 's' : ''}. Choose tp and pp whose product divides the GPU count (the rest are data-parallel replicas).`;
  if (p.input + p.output === 0) return 'Input and output lengths cannot both be 0.';
  return undefined;
}

export function figures(e: ServingEstimate): ServingFigures {
  return {
    ttft: e.ttft, tpot: e.tpot, e2e: e.e2e, outputTokensPerS: e.outputTokensPerS, outputTokensPerSPerGpu: e.outputTokensPerSPerGpu,
    inputTokensPerS: e.inputTokensPerS, concurrency: e.concurrency, waves: e.waves,
  };
}

export interface ServingPair { readonly deployment: Deployment; readonly estimate: ServingEstimate; readonly ideal: ServingEstimate }

/** The estimate and its ideal roofline for `p`, or the reason there is none. */
export function servingPair(model: ModelInstance, s: ArchSettings, p: DeploymentParams): ServingPair | { error: string } {
  const problem = layoutProblem(p);
  if (problem) return { error: problem };
  try {
    const d = deploymentFor(model, { hardware: p.hardware, customHardware: s.customHardware, gpus: p.gpus, tp: p.tp, pp: p.pp, ep: p.ep, weights: s.dtype || undefined, framework: p.framework });
    const w = { batch: p.batch, input: p.input, output: p.output };
    return { deployment: d, estimate: estimateServing(model, d, w), ideal: estimateServing(model, { ...d, framework: 'ideal' }, w) };
  } catch (e) {
    return { error: (e as Error).message.replace(/--([a-z-]+)/g, '$1') };
  }
}

export function deploymentView(model: ModelInstance, s: ArchSettings, over: Partial<DeploymentParams> = {}): DeploymentView {
  const params = deploymentParams(s, over);
  const choices = { hardware: [...HARDWARE, ...s.customHardware].map((h) => ({ id: h.id, name: h.name })), frameworks: FRAMEWORKS };
  const r = servingPair(model, s, params);
  if ('error' in r) return { params, choices, error: r.error };
  const m = r.estimate.memory;
  return {
    params, choices, estimate: figures(r.estimate), ideal: figures(r.ideal),
    memory: { weights: m.weights, kv: m.kv, activations: m.activations, workspace: m.workspace, total: m.total, capacity: m.capacity, fits: m.fits, maxBatch: m.maxBatch },
    sweep: sweepOrNothing(model, r.deployment, params),
  };
}

/** The batch sweep; a model the engine cannot sweep (a hostile one) loses only the chart. */
function sweepOrNothing(model: ModelInstance, d: Deployment, p: DeploymentParams): DeploymentView['sweep'] {
  try {
    return servingSweep(model, d, { input: p.input, output: p.output });
  } catch {
    return undefined;
  }
}
