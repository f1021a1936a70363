// The measurement Timer (language-server/src/measure/types.ts) on onnxruntime-node: sessions come from
// providers.ts createSession (the panels' provider order and fallback); feeds are built once per timing so only
// session.run is timed. Loaded by the CLI (`archlens run`), the report script and the inference child process.
import * as ort from 'onnxruntime-node';
import { createSession, resolveOrder } from './providers';
import { attemptView, type ProviderName } from '../protocol/inference';
import type { FeedSpec, TimedSession, Timer } from '../measure/types';

export const ortVersion = (): string => {
  try {
    return `onnxruntime-node ${(require('onnxruntime-node/package.json') as { version: string }).version}`;
  } catch {
    return 'onnxruntime-node';
  }
};

export function feedTensors(feeds: readonly FeedSpec[]): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const f of feeds) {
    const n = f.dims.reduce((a, b) => a * b, 1);
    if (f.type === 'int64') {
      const max = Math.max(1, Math.min(f.intMax ?? 50, 50));
      out[f.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt((i * 7 + 3) % max)), [...f.dims]);
    } else {
      out[f.name] = new ort.Tensor('float32', Float32Array.from({ length: n }, (_, i) => 0.05 * Math.sin(i * 0.37)), [...f.dims]);
    }
  }
  return out;
}

class OrtTimedSession implements TimedSession {
  constructor(private readonly session: ort.InferenceSession, readonly provider: string, readonly attempts: TimedSession['attempts']) {}

  async time(feeds: readonly FeedSpec[], runs: number, warmup: number): Promise<number[]> {
    const tensors = feedTensors(feeds);
    for (let i = 0; i < warmup; i++) await this.session.run(tensors);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await this.session.run(tensors);
      samples.push(performance.now() - t0);
    }
    return samples;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

export const ortTimer: Timer = {
  async load(bytes, providers) {
    const { order, auto } = resolveOrder(providers as ProviderName[] | undefined, undefined);
    const s = await createSession(bytes, order, undefined, { auto });
    return new OrtTimedSession(s.session, s.provider, s.attempts.map(attemptView));
  },
};
