/**
 * Measured vs estimated for one (probe) model: compile, time with onnxruntime through a Timer (provider
 * fallback as the panels), and compare with the cost engine's roofline for the device actually used.
 *   prefill: median time of a T-token prefill graph ÷ T;
 *   decode:  median time of a one-token decode-step graph fed a KV cache of L = T positions and the recurrent /
 *            conv state inputs (compile mode 'decode'); for a model with a kind that has no decode step, the
 *            approximation "one-token prefill graph": the step's weight reads and per-token work from a zero
 *            state, without attending to / convolving over the L context positions; flagged `approximate`.
 *            (A difference of prefill medians, t(L+k) − t(L), was tried first: at probe scale it is below the
 *            timing noise and came out ≤ 0; it also misses the weight reads that bound a real decode step.)
 * Estimate: costModel(probe, { seq: T, batch: 1, dtype: fp32 }) on the measured CPU (cpu.ts), or on the
 * catalogue GPU named by nvidia-smi when a GPU provider ran it; prefill seconds ÷ T, decode step seconds.
 */
import { execFileSync } from 'child_process';
import type { ModelInstance } from '../semantic/instances';
import { compileModel, decodeUnsupported, type Compiled } from '../compile/compile';
import { costModel } from '../cost/engine';
import { HARDWARE, peakFlops, type Hardware } from '../cost/hardware';
import { cpuFigures, cpuHardware } from './cpu';
import type { CpuFigures, FeedSpec, MeasureResult, PhaseResult, TimedSession, Timer } from './types';

export interface MeasureOptions {
  /** Prefill tokens T = decode context L (default 16). */
  readonly seq?: number;
  /** Timed runs per graph (default 10), after `warmup` (default 3) untimed ones. */
  readonly runs?: number;
  readonly warmup?: number;
  readonly seed?: number;
  /** Provider order (default: the panels' platform order). */
  readonly providers?: readonly string[];
  /** Label of the probe (`layers=2,width=8`). */
  readonly probe?: string;
  /** onnxruntime version (CPU cache key). */
  readonly runtime?: string;
  /** Environment for the cache directory (tests: ARCHLENS_CACHE_DIR). */
  readonly env?: NodeJS.ProcessEnv;
  /** GPU name for a GPU provider (default: nvidia-smi). */
  readonly gpuName?: () => string | undefined;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const feedsOf = (c: Compiled, vocab: number): FeedSpec[] => c.inputs.map((i) => ({ ...i, intMax: vocab }));

interface Timed { readonly ms: number; readonly samples: number[] }

async function timeGraph(s: TimedSession, c: Compiled, vocab: number, o: MeasureOptions): Promise<Timed> {
  const samples = await s.time(feedsOf(c, vocab), o.runs ?? 10, o.warmup ?? 3);
  return { ms: median(samples), samples };
}

export async function measureModel(model: ModelInstance, timer: Timer, o: MeasureOptions = {}): Promise<MeasureResult> {
  const T = o.seq ?? 16;
  const vocab = model.dims.vocab ?? 64;
  const prefillGraph = compileModel(model, { seq: T, seed: o.seed });
  const session = await timer.load(prefillGraph.bytes, o.providers);
  let prefill: Timed, decode: { t: Timed; method: string; approximate: boolean };
  try {
    prefill = await timeGraph(session, prefillGraph, vocab, o);
    decode = await measureDecode(model, timer, session.provider, o);
  } finally {
    await session.release();
  }
  const { hw, cpu, notes } = await deviceFor(session.provider, timer, o);
  const report = costModel(model, { hardware: hw, seq: T, batch: 1, dtype: 'fp32' });
  const phase = (estS: number, bound: 'compute' | 'memory', t: Timed, tokens: number, method: string, approximate: boolean): PhaseResult => {
    const measuredUs = (t.ms * 1e3) / tokens;
    const estimatedUs = estS * 1e6;
    return { estimatedUs, measuredUs, ratio: measuredUs / estimatedUs, bound, method, approximate, samplesMs: t.samples };
  };
  const unsupported = decodeUnsupported(model);
  if (unsupported.length) notes.push(`decode approximated: ${unsupported.join(', ')} ha${unsupported.length > 1 ? 've' : 's'} no decode-step graph yet (state inputs)`);
  if (model.blocks.some((b) => b.kind === 'mla')) notes.push('MLA decode caches expanded per-head keys/values (the engine counts the compressed latent cache)');
  return {
    model: model.name, probe: o.probe ?? '', params: report.totals.params.total, seq: T, runs: o.runs ?? 10,
    provider: session.provider, attempts: session.attempts,
    device: { id: hw.id, name: hw.name, peakFlops: peakFlops(hw, 'fp32'), bandwidth: hw.bandwidth, source: hw.source }, cpu,
    prefill: phase(report.prefill.seconds / T, report.prefill.bound, prefill, T, `prefill graph, T = ${T}, median ÷ T`, false),
    decode: phase(report.decode.seconds, report.decode.bound, decode.t, 1, decode.method, decode.approximate),
    notes,
  };
}

async function measureDecode(model: ModelInstance, timer: Timer, provider: string, o: MeasureOptions): Promise<{ t: Timed; method: string; approximate: boolean }> {
  const T = o.seq ?? 16;
  const exact = decodeUnsupported(model).length === 0;
  const graph = exact ? compileModel(model, { mode: 'decode', seq: T, seed: o.seed }) : compileModel(model, { seq: 1, seed: o.seed });
  const s = await timer.load(graph.bytes, [provider]);
  try {
    const t = await timeGraph(s, graph, model.dims.vocab ?? 64, o);
    return exact
      ? { t, method: `decode-step graph, 1 token after a KV cache / state of L = ${T}`, approximate: false }
      : { t, method: `≈ one-token prefill graph (zero state; no attention / convolution over the L = ${T} context)`, approximate: true };
  } finally {
    await s.release();
  }
}

async function deviceFor(provider: string, timer: Timer, o: MeasureOptions): Promise<{ hw: Hardware; cpu?: CpuFigures; notes: string[] }> {
  const notes: string[] = [];
  if (provider !== 'cpu') {
    const name = (o.gpuName ?? nvidiaSmiName)();
    const hw = name ? gpuHardware(name) : undefined;
    if (hw) return { hw, notes: [`${provider} on ${name}: estimate uses the catalogue entry ${hw.id} (fp32 at half the bf16 tensor rate)`] };
    notes.push(`${provider} ran it on ${name ?? 'an unidentified GPU'} with no catalogue entry: the estimate uses this machine's CPU figures`);
  }
  const { figures, cached } = await cpuFigures(timer, { runtime: o.runtime }, o.env);
  notes.push(`CPU figures ${cached ? `cached (measured ${figures.measuredAt})` : 'measured now'}`);
  return { hw: cpuHardware(figures), cpu: figures, notes };
}

/** The catalogue entry whose `gpuNameKey` appears in an nvidia-smi GPU name (e.g. "NVIDIA H100 80GB HBM3" → h100). */
export function gpuHardware(name: string): Hardware | undefined {
  const n = name.toLowerCase().replace(/[\s-]/g, '');
  // The longest key wins: "gb200" over "b200", "l40s" over "l4", "h200" over "h20".
  const hits = HARDWARE.filter((h) => h.gpuNameKey !== undefined && n.includes(h.gpuNameKey));
  return hits.sort((a, b) => b.gpuNameKey!.length - a.gpuNameKey!.length)[0];
}

function nvidiaSmiName(): string | undefined {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000 }).split('\n')[0].trim() || undefined;
  } catch {
    return undefined;
  }
}
