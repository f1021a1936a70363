#!/usr/bin/env node
// Runs models/engram-moe-tiny.onnx with onnxruntime-node on CPU and compares every output with the torch
// outputs saved by models/export.py (engram-moe-tiny.reference.json). Exits 1 if any differs by more
// than 1e-4. Also checks dynamic axes (batch 2, another length) and prints timings.
//   node models/verify-onnx.mjs [model.onnx]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

const here = dirname(fileURLToPath(import.meta.url));
const modelPath = process.argv[2] ?? join(here, 'engram-moe-tiny.onnx');
const ref = JSON.parse(readFileSync(join(dirname(modelPath), 'engram-moe-tiny.reference.json'), 'utf8'));
ort.env.logLevel = 'error';

const t0 = performance.now();
const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
const t1 = performance.now();
const ids = BigInt64Array.from(ref.input_ids.map(BigInt));
const feeds = { input_ids: new ort.Tensor('int64', ids, [1, ids.length]) };
const out = await session.run(feeds);
const t2 = performance.now();
let worst = 0;
for (const [name, { dims, data }] of Object.entries(ref.outputs)) {
  const t = out[name];
  if (!t) throw new Error(`missing output ${name}`);
  if (t.dims.join() !== dims.join()) throw new Error(`${name}: dims ${t.dims} vs torch ${dims}`);
  let max = 0;
  for (let i = 0; i < data.length; i++) max = Math.max(max, Math.abs(t.data[i] - data[i]));
  worst = Math.max(worst, max);
  console.log(`${name.padEnd(18)} [${dims.join(', ')}] max |onnx - torch| = ${max.toExponential(2)}`);
}
console.log(`outputs: ${session.outputNames.join(', ')}`);
// dynamic axes: batch 2 × 5 tokens
const two = new ort.Tensor('int64', BigInt64Array.from([72n, 105n, 33n, 32n, 65n, 85n, 83n, 65n, 46n, 10n]), [2, 5]);
const o2 = await session.run({ input_ids: two });
for (const n of session.outputNames) console.log(`  batch 2, seq 5: ${n} [${o2[n].dims.join(', ')}]`);
console.log(`session create ${(t1 - t0).toFixed(1)} ms, first run (T=${ids.length}) ${(t2 - t1).toFixed(1)} ms`);
if (!(worst <= 1e-4)) {
  console.error(`FAIL: max difference ${worst}`);
  process.exit(1);
}
console.log(`OK: max difference ${worst.toExponential(2)} <= 1e-4`);
