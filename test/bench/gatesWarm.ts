/**
 * The gate panel's run latency at the runner level (after `npm run build`): `node --import tsx test/bench/gatesWarm.ts`.
 * cold  — no warm-up: fork the inference process, create the session, run (what the first Run click cost before);
 * first — the panel warmed up on open (process + session), the user's first Run: a cached-session run;
 * later — further runs. The bundled model on the automatic order (CPU here), a 60-byte text.
 * The webview's drawing is not included (see `npm run bench`, figure `heatmap`).
 */
import * as path from 'node:path';
import { InferenceRunner } from '../../extension/inference/runner';
import { encode } from '../../models/tokenizer';

const ROOT = path.join(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'dist', 'inference.js');
const MODEL = path.join(ROOT, 'models', 'engram-moe-tiny.onnx');
const ids = encode('The Congress of the United States and the American people.');

async function timed(r: InferenceRunner): Promise<number> {
  const t0 = performance.now();
  await r.run({ modelPath: MODEL, inputIds: ids });
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const cold = new InferenceRunner(WORKER);
  const coldMs = await timed(cold);
  cold.dispose();
  const warm = new InferenceRunner(WORKER);
  const t0 = performance.now();
  warm.start();
  await warm.run({ modelPath: MODEL, inputIds: [32] }); // what the panel does when it opens
  const warmUpMs = performance.now() - t0;
  const firstMs = await timed(warm);
  const later: number[] = [];
  for (let i = 0; i < 10; i++) later.push(await timed(warm));
  warm.dispose();
  later.sort((a, b) => a - b);
  console.log(`cold first run (no warm-up): ${coldMs.toFixed(0)} ms`);
  console.log(`warm-up on panel open (in the background): ${warmUpMs.toFixed(0)} ms`);
  console.log(`first run after warm-up: ${firstMs.toFixed(1)} ms`);
  console.log(`later runs: median ${later[5].toFixed(1)} ms, max ${later[9].toFixed(1)} ms`);
}

void main();
