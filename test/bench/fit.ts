/**
 * Fitting the serving constants (serving/calibration.json) to measured runs: log-space parameters, a mean squared
 * log error with a weak pull towards the priors (so a framework absent from the training rows keeps its prior),
 * minimised by Nelder–Mead. Leave-one-source-out: fit without a source, predict its rows.
 */
import { planServing, preparePlan, servingTimes, type PreparedPlan } from '../../language-server/src/serving/estimate';
import type { Calibration, FrameworkProfile, GlobalConstants } from '../../language-server/src/serving/types';
import { predictedFigure, timeLogRatio, type MeasuredCase } from './measured';
import { nelderMead } from './nelderMead';
import { baseFramework } from '../../language-server/src/serving/calibration';

/** Fitted global constants; `linkEfficiency` and `cacheBandwidthEfficiency` are not fitted (calibration.json notFitted). */
const GLOBAL_KEYS = ['bandwidthEfficiency', 'gemmEfficiency', 'gemmHalfTokens', 'collectiveLatency', 'groupedGemmEfficiency'] as const;
const FW_KEYS = ['stepOverhead', 'blockOverhead', 'gemmScale', 'bandwidthScale'] as const;
/** Weight of the pull towards the prior, per log-parameter (a prior "worth" a few rows). */
const PRIOR_WEIGHT = 0.01;

export interface PreparedCase { c: MeasuredCase; p: PreparedPlan }

/** Preparation does not depend on the fitted constants (the memory plan uses only the framework's workspace). */
export function prepareCases(cases: readonly MeasuredCase[], cal: Calibration): PreparedCase[] {
  return cases.map((c) => {
    const plan = planServing(c.model, c.deployment, c.workload, cal);
    return { c, p: preparePlan(c.model, c.deployment, plan) };
  });
}

/** ln(predicted/measured) on a time axis (positive = predicted slower than measured). */
export function caseError(pc: PreparedCase, cal: Calibration): { predicted: number; error: number } {
  const { c } = pc;
  const predicted = predictedFigure(c, servingTimes(pc.p, c.deployment, c.workload, cal));
  return { predicted, error: timeLogRatio(c.row, predicted) };
}

interface Layout { frameworks: string[] }

function pack(cal: Calibration, l: Layout): number[] {
  return [...GLOBAL_KEYS.map((k) => Math.log(cal.global[k])), ...l.frameworks.flatMap((f) => FW_KEYS.map((k) => Math.log(cal.frameworks[f][k])))];
}

function unpack(x: readonly number[], base: Calibration, l: Layout): Calibration {
  const global = { ...base.global, ...Object.fromEntries(GLOBAL_KEYS.map((k, i) => [k, Math.exp(x[i])])) } as GlobalConstants;
  const frameworks: Record<string, FrameworkProfile> = { ...base.frameworks };
  l.frameworks.forEach((f, j) => {
    const o = GLOBAL_KEYS.length + j * FW_KEYS.length;
    frameworks[f] = { ...base.frameworks[f], ...Object.fromEntries(FW_KEYS.map((k, i) => [k, Math.exp(x[o + i])])) };
  });
  return { global, frameworks };
}

/** Fits the constants to `cases`, starting from (and pulled towards) `prior`. */
export function fit(cases: readonly PreparedCase[], prior: Calibration): Calibration {
  const layout = { frameworks: [...new Set(cases.map((pc) => baseFramework(pc.c.deployment.framework)))].filter((f) => f in prior.frameworks).sort() };
  const x0 = pack(prior, layout);
  // Each independent source weighs the same in total, so one publisher's many rows cannot set the constants alone.
  const perSource = new Map<string, number>();
  for (const pc of cases) perSource.set(pc.c.row.source_group, (perSource.get(pc.c.row.source_group) ?? 0) + 1);
  const weight = (pc: PreparedCase): number => 1 / (perSource.size * perSource.get(pc.c.row.source_group)!);
  const loss = (x: number[]): number => {
    const cal = unpack(x, prior, layout);
    let s = 0;
    for (const pc of cases) { const e = caseError(pc, cal).error; s += weight(pc) * (Number.isFinite(e) ? e * e : 100); }
    const pull = x.reduce((a, v, i) => a + (v - x0[i]) ** 2, 0);
    return s + PRIOR_WEIGHT * pull;
  };
  let best = nelderMead(loss, x0, { step: 0.5, maxEvaluations: 4000 });
  if (process.env.FIT_DEBUG) console.log("evaluations", best.evaluations, best.value);
  for (let restart = 0; restart < 2; restart++) best = nelderMead(loss, best.x, { step: 0.2, maxEvaluations: 3000 });
  return unpack(best.x, prior, layout);
}
