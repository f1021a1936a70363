/**
 * The stable `--json` report (schema in docs/report-json.md). Field names only ever get added;
 * version bumps when anything changes meaning. Numbers are plain JSON numbers.
 */
import type { ModelReport } from '../cost/engine';
import type { RooflineTime } from '../cost/roofline';
import type { Diagnostic } from '../semantic/diagnostics';
import { firstIndices, layerCount, type LayerSet } from '../semantic/expansion';
import { LineIndex } from '../syntax/lineIndex';
import { warningText } from '../format/warnings';

export const REPORT_JSON_VERSION = 1;

function time(t: RooflineTime): object {
  return { seconds: t.seconds, computeSeconds: t.computeSeconds, memorySeconds: t.memorySeconds, bound: t.bound, intensity: Number.isFinite(t.intensity) ? t.intensity : null };
}

/**
 * The error diagnostics that leave blocks out of this model's totals: those inside its declaration, and
 * those of the analysis outside every model (block definitions, imports), which any model may use.
 */
export function modelErrors(r: ModelReport, diagnostics: readonly Diagnostic[], models: readonly ModelReport['model'][]): Diagnostic[] {
  const inside = (d: Diagnostic, m: ModelReport['model']): boolean => d.file === m.file && d.start >= m.decl.start && d.end <= m.decl.end;
  return diagnostics.filter((d) => d.severity === 'error' && (inside(d, r.model) || !models.some((m) => inside(d, m))));
}

export function modelJson(r: ModelReport, text: (file: string) => string, errors: readonly Diagnostic[] = []): object {
  const lines = new Map<string, LineIndex>();
  const lineOf = (file: string, offset: number): number => {
    let li = lines.get(file);
    if (!li) { li = new LineIndex(text(file)); lines.set(file, li); }
    return li.position(offset).line + 1;
  };
  const t = r.totals;
  return {
    name: r.model.name,
    file: r.model.file,
    line: lineOf(r.model.file, r.model.decl.start),
    seq: r.seq, batch: r.batch, dtype: r.dtype, hardware: r.hardware.id,
    precise: r.precise, imprecise: r.imprecise,
    complete: errors.length === 0,
    leftOut: errors.map((d) => diagnosticJson(d, text(d.file))),
    totals: {
      params: { total: t.params.total, active: t.params.active },
      flops: { prefillPerToken: t.flops.prefillPerToken, decodePerToken: t.flops.decodePerToken, trainingPerToken: t.flops.trainingPerToken },
      bytes: {
        weights: t.weightBytes, hostWeights: t.hostWeightBytes, cachePerSequence: t.cacheBytesPerSequence,
        decodePerStep: t.decodeBytesPerStep, hostPerStep: t.hostBytesPerStep, expertsPerStep: t.expertBytesPerStep,
        device: r.deviceBytes,
      },
    },
    time: {
      prefill: time(r.prefill), decode: time(r.decode),
      hostLink: r.hostLink ? { ...r.hostLink } : null,
    },
    blocks: r.blocks.map((b) => ({
      kind: b.instance.kind,
      path: b.instance.path.join(' › '),
      count: b.instance.count,
      ...(b.instance.paramCount !== undefined && b.instance.paramCount < b.instance.count ? { paramCount: b.instance.paramCount } : {}),
      file: b.instance.file,
      line: lineOf(b.instance.file, b.instance.site.start),
      layers: b.instance.layers ? layersJson(b.instance.layers) : null,
      args: b.instance.args,
      params: { total: b.all.params, active: b.all.active, each: b.one.params },
      flops: { prefillPerToken: b.all.prefillFlops, decodePerToken: b.all.decodeFlops, ...(b.all.updateFlops !== undefined ? { memoryUpdatePerToken: b.all.updateFlops } : {}) },
      bytes: { weights: b.all.weightBytes, hostWeights: b.all.hostWeightBytes, cachePerSequence: b.all.cacheBytes, decodePerStep: b.all.decodeBytes, hostPerStep: b.all.hostDecodeBytes, expertsPerStep: b.all.expertBytesDecode ?? 0 },
      decode: time(b.decode),
      prefill: time(b.prefill),
      formula: b.one.formula,
    })),
    warnings: r.warnings.map(warningText),
  };
}

/** `lines`, when given, is the line index of `text` (reused across a file's diagnostics). */
export function diagnosticJson(d: Diagnostic, text: string, lines: LineIndex = new LineIndex(text)): object {
  const p = lines.position(d.start);
  return { file: d.file, line: p.line + 1, column: p.character + 1, severity: d.severity, code: d.code, message: d.message };
}

/** Index lists longer than this are cut in the JSON report (`count` then says how many there are). */
export const MAX_JSON_INDICES = 10_000;

function layersJson(l: LayerSet): object {
  const count = layerCount(l);
  if (count <= MAX_JSON_INDICES) return { indices: l.indices, of: l.of };
  return { indices: firstIndices(l, MAX_JSON_INDICES), of: l.of, count, truncated: true };
}
