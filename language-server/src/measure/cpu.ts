/**
 * The CPU's roofline figures, measured (the hardware catalogue has no CPU entries: a CPU's figures depend on the
 * machine). A short onnxruntime micro-benchmark, run once per machine and cached:
 *   peak FLOP/s = 2·n³ / best time of an fp32 n×n MatMul (n = 1024, all intra-op threads);
 *   bandwidth   = bytes / best time of a ReduceSum over a 64 MiB fp32 tensor (a read stream, like the weight reads
 *                 the roofline's memory term counts; an elementwise op with a 64 MiB graph output would also time
 *                 onnxruntime-node's copy of the output into a fresh JavaScript buffer).
 * Cache: $ARCHLENS_CACHE_DIR, else $XDG_CACHE_HOME/archlens, else ~/.cache/archlens; file cpu-<key>.json,
 * key = hash of CPU model, logical cores, arch and runtime version (another machine or runtime re-measures).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GraphBuilder } from '../compile/graph';
import type { Hardware } from '../cost/hardware';
import type { CpuFigures, FeedSpec, Timer } from './types';

export interface BenchOptions {
  readonly matmulN?: number;
  readonly streamBytes?: number;
  readonly runs?: number;
  /** onnxruntime version (part of the cache key). */
  readonly runtime?: string;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ARCHLENS_CACHE_DIR) return env.ARCHLENS_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'archlens');
}

export function machine(): { model: string; cores: number; arch: string; memory: number } {
  const cpus = os.cpus();
  return { model: (cpus[0]?.model ?? 'unknown CPU').trim(), cores: cpus.length, arch: process.arch, memory: os.totalmem() };
}

export function cpuKey(runtime: string, m = machine()): string {
  return crypto.createHash('sha256').update(`${m.model}|${m.cores}|${m.arch}|${runtime}`).digest('hex').slice(0, 16);
}

export const cpuCachePath = (key: string, env?: NodeJS.ProcessEnv): string => path.join(cacheDir(env), `cpu-${key}.json`);

export function isCpuFigures(v: unknown): v is CpuFigures {
  const o = v as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return false;
  const pos = (k: string): boolean => typeof o[k] === 'number' && Number.isFinite(o[k]) && (o[k] as number) > 0;
  return ['key', 'model', 'arch', 'runtime', 'measuredAt'].every((k) => typeof o[k] === 'string')
    && ['cores', 'memory', 'flops', 'bandwidth', 'matmulN', 'streamBytes'].every(pos);
}

export function readCachedCpu(key: string, env?: NodeJS.ProcessEnv): CpuFigures | undefined {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(cpuCachePath(key, env), 'utf8'));
    return isCpuFigures(v) && v.key === key ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The cached figures of this CPU, else measures them (with `timer`, on the CPU provider) and caches them. */
export async function cpuFigures(timer: Timer, opts: BenchOptions = {}, env?: NodeJS.ProcessEnv): Promise<{ figures: CpuFigures; cached: boolean }> {
  const key = cpuKey(opts.runtime ?? 'onnxruntime');
  const hit = readCachedCpu(key, env);
  if (hit) return { figures: hit, cached: true };
  const figures = await benchCpu(timer, key, opts);
  const file = cpuCachePath(key, env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(figures, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return { figures, cached: false };
}

export async function benchCpu(timer: Timer, key: string, opts: BenchOptions = {}): Promise<CpuFigures> {
  const n = opts.matmulN ?? 1024;
  const bytes = opts.streamBytes ?? 64 * 2 ** 20;
  const runs = opts.runs ?? 5;
  const mm = await bestMs(timer, matmulGraph(n), [{ name: 'a', type: 'float32', dims: [n, n] }, { name: 'b', type: 'float32', dims: [n, n] }], runs);
  const len = Math.floor(bytes / 4);
  const st = await bestMs(timer, streamGraph(len), [{ name: 'x', type: 'float32', dims: [len] }], runs);
  return {
    key, ...machine(), flops: (2 * n ** 3) / (mm / 1e3), bandwidth: (len * 4) / (st / 1e3),
    matmulN: n, streamBytes: len * 4, runtime: opts.runtime ?? 'onnxruntime', measuredAt: new Date().toISOString(),
  };
}

async function bestMs(timer: Timer, bytes: Uint8Array, feeds: readonly FeedSpec[], runs: number): Promise<number> {
  const s = await timer.load(bytes, ['cpu']);
  try {
    return Math.min(...(await s.time(feeds, runs, 2)));
  } finally {
    await s.release();
  }
}

export function matmulGraph(n: number): Uint8Array {
  const g = new GraphBuilder(1);
  const y = g.op('MatMul', [g.input('a', [n, n]), g.input('b', [n, n])], [n, n]);
  g.output(y, 'y');
  return g.serialize('archlens-bench-matmul');
}

export function streamGraph(len: number): Uint8Array {
  const g = new GraphBuilder(1);
  const y = g.op('ReduceSum', [g.input('x', [len])], [1], { keepdims: { int: 1 } });
  g.output(y, 'y');
  return g.serialize('archlens-bench-stream');
}

/** A Hardware record for the measured CPU (fp32 peak used for every dtype: onnxruntime runs the probe in fp32). */
export function cpuHardware(f: CpuFigures): Hardware {
  return {
    id: 'cpu', short: 'CPU', memoryKind: 'host memory', name: `${f.model} (${f.cores} logical cores)`, bf16: f.flops, fp32: f.flops, fp8: null, fp4: null, int8: null,
    bandwidth: f.bandwidth, memory: f.memory, hostLink: f.bandwidth, hostLinkName: 'host memory',
    interconnect: { name: 'none (single device)', bandwidth: 0, source: 'the measuring host' }, gpusPerNode: 1,
    source: `measured ${f.measuredAt.slice(0, 10)} with ${f.runtime}: fp32 ${f.matmulN}×${f.matmulN} MatMul, ${Math.round(f.streamBytes / 2 ** 20)} MiB ReduceSum (read stream)`,
  };
}
