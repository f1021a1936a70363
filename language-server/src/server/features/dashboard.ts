/**
 * archlens/dashboard: everything the cost dashboard webview renders for one model of a document, as plain
 * JSON (no class instances, no AST): breakdown by kind, cost vs context, roofline, comparison, ρ sweep, and the
 * Deployment section (serving estimate and batch sweep; `deployment` overrides the settings' choices), the overlay of
 * the chosen and compared models with their crossovers, their layer maps, and the Training section (`training`).
 */
import type { DocState } from './docState';
import type { DashboardResult, DeploymentParams, TrainingParams } from '../../protocol/dashboard';
import { compareSweep } from '../../cost/crossover';
import { layerStrip } from './layerMap';
import { trainingView } from './training';
import { deploymentView } from './deployment';
import { costOptions } from './settings';
import { peakFlops } from '../../cost/hardware';
import { allocationSweep, breakdownByKind, compareModels, contextSweep, rooflinePoints } from '../../cost/sweeps';
import { warningText } from '../../format/warnings';

export function handleDashboard(doc: DocState, modelName?: string, compare: readonly string[] = [], deployment?: Partial<DeploymentParams>, training?: Partial<TrainingParams>): DashboardResult {
  const models = doc.analysis.models;
  const names = models.map((m) => m.name);
  const model = (modelName ? models.find((m) => m.name === modelName) : undefined) ?? models[0];
  if (!model) return { error: 'This file declares no model.', models: names };
  const opts = costOptions(doc.settings);
  const r = doc.report(model);
  const others = compare.filter((n) => n !== model.name).map((n) => models.find((m) => m.name === n)).filter((m) => m !== undefined);
  const t = r.totals;
  return {
    uri: doc.uri, model: model.name, models: names, compare: others.map((m) => m.name),
    hardware: { id: r.hardware.id, name: r.hardware.name, peak: peakFlops(r.hardware, r.dtype), bandwidth: r.hardware.bandwidth, memory: r.hardware.memory },
    seq: r.seq, batch: r.batch, dtype: r.dtype,
    totals: {
      paramsTotal: t.params.total, paramsActive: t.params.active, prefillFlopsPerToken: t.flops.prefillPerToken,
      decodeFlopsPerToken: t.flops.decodePerToken, weightBytes: t.weightBytes, hostWeightBytes: t.hostWeightBytes,
      cacheBytes: t.cacheBytesPerSequence, decodeSeconds: r.decode.seconds, prefillSeconds: r.prefill.seconds, deviceBytes: r.deviceBytes,
    },
    breakdown: breakdownByKind(r),
    context: contextSweep(model, { ...opts, seq: undefined }),
    roofline: rooflinePoints(r),
    comparison: others.length ? compareModels([r, ...others.map((m) => doc.report(m))]) : undefined,
    allocation: allocationSweep(model, opts),
    warnings: r.warnings.map(warningText),
    deployment: deploymentView(model, doc.settings, deployment),
    overlay: compareSweep([model, ...others], { ...opts, seq: undefined }, r.seq),
    layerMap: [model, ...others].map((m) => layerStrip(doc, doc.report(m))),
    training: trainingView(model, doc.settings, t.params.total, training),
  };
}
