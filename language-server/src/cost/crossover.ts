/**
 * Cost-vs-context curves of several models and their crossovers: the context length where one model becomes
 * cheaper than another (prefill FLOPs per token, decode step time, KV/state bytes per sequence), found by
 * bisecting exactly with the cost engine between the sweep points where the sign of the difference changes,
 * plus cost ratios at one context (raw, iso-parameters and iso-FLOPs). Pure: every number comes from costModel.
 */
import type { ModelInstance } from '../semantic/instances';
import { costModel, type CostOptions, type ModelReport } from './engine';

export type CurveMetric = 'prefillFlopsPerToken' | 'decodeSeconds' | 'cacheBytes';
export const CURVE_METRICS: readonly CurveMetric[] = ['prefillFlopsPerToken', 'decodeSeconds', 'cacheBytes'];
export const METRIC_LABELS: Readonly<Record<CurveMetric, string>> = {
  prefillFlopsPerToken: 'prefill FLOPs / token', decodeSeconds: 'decode step time', cacheBytes: 'KV / state per sequence',
};

/** 128 … 1Mi tokens, powers of two: short enough to catch crossovers near the training context. */
export const CROSSOVER_LENGTHS: readonly number[] = Array.from({ length: 14 }, (_, i) => 128 * 2 ** i);

export interface CurvePoint { readonly seq: number; readonly prefillFlopsPerToken: number; readonly decodeSeconds: number; readonly cacheBytes: number }

export interface ModelCurve {
  readonly model: string;
  readonly params: number;
  readonly points: readonly CurvePoint[];
}

export interface Crossover {
  readonly metric: CurveMetric;
  /** Cheaper at short contexts (below `seq`) and cheaper from `seq` on. */
  readonly before: string;
  readonly after: string;
  /** The first whole context length where `after` is strictly cheaper (exact, by bisection with the engine). */
  readonly seq: number;
  /** The metric's value (both models nearly equal) at `seq`. */
  readonly value: number;
}

export function curvePoint(r: ModelReport): CurvePoint {
  return { seq: r.seq, prefillFlopsPerToken: r.totals.flops.prefillPerToken, decodeSeconds: r.decode.seconds, cacheBytes: r.totals.cacheBytesPerSequence };
}

export function modelCurve(model: ModelInstance, opts: CostOptions, lengths: readonly number[] = CROSSOVER_LENGTHS): ModelCurve {
  const points = lengths.map((seq) => curvePoint(costModel(model, { ...opts, seq })));
  return { model: model.name, params: costModel(model, { ...opts, seq: lengths[0] }).totals.params.total, points };
}

/** metric(a) − metric(b) at context `seq`, from the engine. */
function gap(a: ModelInstance, b: ModelInstance, opts: CostOptions, metric: CurveMetric, seq: number): number {
  return curvePoint(costModel(a, { ...opts, seq }))[metric] - curvePoint(costModel(b, { ...opts, seq }))[metric];
}

/** Smallest integer L in (lo, hi] where gap(L) has the sign of gap(hi); gap(lo) has the other sign (or is 0). */
export function bisect(f: (seq: number) => number, lo: number, hi: number): number {
  const sign = Math.sign(f(hi));
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (Math.sign(f(mid)) === sign) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Every sign change of metric(a) − metric(b) between consecutive points of the two curves, located exactly. */
export function crossoversOf(a: ModelInstance, b: ModelInstance, ca: ModelCurve, cb: ModelCurve, opts: CostOptions, metric: CurveMetric): Crossover[] {
  const out: Crossover[] = [];
  const d = ca.points.map((p, i) => p[metric] - (cb.points[i]?.[metric] ?? p[metric]));
  const rel = (x: number, i: number): number => x / Math.max(Math.abs(ca.points[i][metric]), 1e-300);
  for (let i = 1; i < d.length; i++) {
    const s0 = Math.sign(Math.abs(rel(d[i - 1], i - 1)) < 1e-12 ? 0 : d[i - 1]), s1 = Math.sign(Math.abs(rel(d[i], i)) < 1e-12 ? 0 : d[i]);
    if (s1 === 0 || s0 === s1 || s0 === 0) continue;
    const seq = bisect((L) => gap(a, b, opts, metric, L), ca.points[i - 1].seq, ca.points[i].seq);
    const [before, after] = s1 < 0 ? [cb.model, ca.model] : [ca.model, cb.model];
    out.push({ metric, before, after, seq, value: curvePoint(costModel(a, { ...opts, seq }))[metric] });
  }
  return out;
}

/** Crossovers of every pair of models and every metric, in order of metric, then context. */
export function allCrossovers(models: readonly ModelInstance[], curves: readonly ModelCurve[], opts: CostOptions): Crossover[] {
  const out: Crossover[] = [];
  for (const metric of CURVE_METRICS) {
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) out.push(...crossoversOf(models[i], models[j], curves[i], curves[j], opts, metric));
    }
  }
  return out.sort((x, y) => CURVE_METRICS.indexOf(x.metric) - CURVE_METRICS.indexOf(y.metric) || x.seq - y.seq);
}

export interface CostRatio {
  readonly metric: CurveMetric;
  readonly model: string;
  readonly base: string;
  readonly seq: number;
  /** base / model: above 1 means `model` is that many times cheaper. */
  readonly raw: number;
  /** raw × params(model) / params(base): the same at equal parameter counts (cost taken as linear in parameters). */
  readonly isoParams: number;
  /** raw × prefill FLOPs/token(model) / (base), both at the shortest sweep length: at equal per-token compute. */
  readonly isoFlops: number;
}

/** Ratios of every model against the first at context `seq` (batch from `opts`). */
export function costRatios(models: readonly ModelInstance[], curves: readonly ModelCurve[], opts: CostOptions, seq: number): CostRatio[] {
  const at = models.map((m) => curvePoint(costModel(m, { ...opts, seq })));
  const short = curves.map((c) => c.points[0]?.prefillFlopsPerToken ?? 1);
  const out: CostRatio[] = [];
  for (let i = 1; i < models.length; i++) {
    for (const metric of CURVE_METRICS) {
      const raw = at[i][metric] > 0 ? at[0][metric] / at[i][metric] : Infinity;
      out.push({
        metric, model: curves[i].model, base: curves[0].model, seq, raw,
        isoParams: raw * (curves[i].params / curves[0].params), isoFlops: raw * (short[i] / short[0]),
      });
    }
  }
  return out;
}

export interface CompareSweep {
  readonly curves: readonly ModelCurve[];
  readonly crossovers: readonly Crossover[];
  readonly ratios: readonly CostRatio[];
}

export function compareSweep(models: readonly ModelInstance[], opts: CostOptions, ratioSeq = 131_072, lengths: readonly number[] = CROSSOVER_LENGTHS): CompareSweep {
  const curves = models.map((m) => modelCurve(m, opts, lengths));
  return { curves, crossovers: allCrossovers(models, curves, opts), ratios: costRatios(models, curves, opts, ratioSeq) };
}
