// Benchmark: the shipped model's forward pass on CPU with onnxruntime-node vs plain TypeScript
// (extension/inference/forwardTs.ts), same input, after warm-up. Call benchForward() from test/bench/run.ts,
// or run alone:  node --import tsx test/bench/forward.ts [model.onnx] [tokens]
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TsModel } from '../helpers/forwardTs';

export interface ForwardBench {
  tokens: number;
  ortCreateMs: number;
  ortRunMs: number;
  tsLoadMs: number;
  tsForwardMs: number;
  /** Largest |TS − ORT| over all outputs. */
  maxAbsDiff: number;
}

const TEXT = 'In the name of the people of the United States of America, the State of the Union is strong. ';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchForward(modelPath = resolve(__dirname, '../../models/engram-moe-tiny.onnx'), tokens = 64, iterations = 20): Promise<ForwardBench> {
  const bytes = new Uint8Array(readFileSync(modelPath));
  const ids = Array.from(new TextEncoder().encode(TEXT.repeat(Math.ceil(tokens / TEXT.length)))).slice(0, tokens);
  ort.env.logLevel = 'error';
  let t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  const ortCreateMs = performance.now() - t0;
  const feeds = { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) };
  t0 = performance.now();
  const model = TsModel.fromOnnx(bytes);
  const tsLoadMs = performance.now() - t0;
  const ortTimes: number[] = [];
  const tsTimes: number[] = [];
  let ortOut: ort.InferenceSession.ReturnType = await session.run(feeds);
  let tsOut = model.forward(ids);
  for (let i = 0; i < iterations; i++) {
    t0 = performance.now();
    ortOut = await session.run(feeds);
    ortTimes.push(performance.now() - t0);
    t0 = performance.now();
    tsOut = model.forward(ids);
    tsTimes.push(performance.now() - t0);
  }
  let maxAbsDiff = 0;
  for (const t of tsOut) {
    const o = ortOut[t.name].data as Float32Array;
    for (let i = 0; i < t.data.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(t.data[i] - o[i]));
  }
  await session.release();
  return { tokens: ids.length, ortCreateMs, ortRunMs: median(ortTimes), tsLoadMs, tsForwardMs: median(tsTimes), maxAbsDiff };
}

if (require.main === module) {
  const [model, tokens] = process.argv.slice(2);
  benchForward(model ? resolve(model) : undefined, tokens ? Number(tokens) : undefined).then(
    (r) => console.log(JSON.stringify(r, null, 1)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
