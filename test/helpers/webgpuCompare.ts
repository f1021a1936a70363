/**
 * Runs one ONNX graph on CPU and on the forced WebGPU provider and compares every float output element-wise:
 * |webgpu − cpu| ≤ ATOL + RTOL·|cpu| (fp32 WGSL kernels reorder sums and use their own exp/tanh). Shared by the
 * WebGPU equality test and `npm run gpu-check` (test/bench/gpuCheck.ts).
 */
import * as ort from 'onnxruntime-node';
import { createSession } from '../../language-server/src/runtime/providers';
import type { ProviderName } from '../../language-server/src/protocol/inference';

export const ATOL = 1e-4;
export const RTOL = 1e-3;

export interface OutputDiff { name: string; maxAbs: number; worstExcess: number; n: number }
export interface Comparison { provider: ProviderName; device?: string; outputs: OutputDiff[]; ok: boolean; cpuMs: number; otherMs: number }

export function idsFeed(T: number, vocab: number): Record<string, ort.Tensor> {
  const ids = BigInt64Array.from({ length: T }, (_, i) => BigInt((i * 7 + 3) % Math.min(50, vocab)));
  return { input_ids: new ort.Tensor('int64', ids, [1, T]) };
}

export function diff(name: string, a: ort.Tensor, b: ort.Tensor): OutputDiff {
  const x = a.data as Float32Array, y = b.data as Float32Array;
  if (x.length !== y.length) return { name, maxAbs: Infinity, worstExcess: Infinity, n: x.length };
  let maxAbs = 0, worstExcess = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    maxAbs = Math.max(maxAbs, Number.isNaN(d) ? Infinity : d);
    worstExcess = Math.max(worstExcess, d - (ATOL + RTOL * Math.abs(x[i])));
  }
  return { name, maxAbs, worstExcess, n: x.length };
}

async function timedRun(s: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<{ out: ort.InferenceSession.OnnxValueMapType; ms: number }> {
  const t0 = performance.now();
  const out = await s.run(feeds);
  return { out, ms: performance.now() - t0 };
}

/** CPU vs `provider` (forced, no fallback) on the same feeds. */
export async function compareWithCpu(model: Uint8Array, feeds: Record<string, ort.Tensor>, provider: ProviderName): Promise<Comparison> {
  const cpu = await createSession(model, ['cpu']);
  const other = await createSession(model, [provider]);
  try {
    const a = await timedRun(cpu.session, feeds);
    const b = await timedRun(other.session, feeds);
    const outputs = Object.keys(a.out).filter((n) => a.out[n].type === 'float32').map((n) => diff(n, a.out[n] as ort.Tensor, b.out[n] as ort.Tensor));
    return { provider: other.provider, device: other.device, outputs, ok: outputs.every((o) => o.worstExcess <= 0), cpuMs: a.ms, otherMs: b.ms };
  } finally {
    await cpu.session.release();
    await other.session.release();
  }
}
