/**
 * Decode-step check: one decode step on token L, fed the KV cache and recurrent / conv state a prefill of the
 * first L tokens exposes (exposeCache), must give the logits of a prefill of L + 1 tokens at position L.
 * Cross-attention streams (`memory…`) get the same feed in all three graphs (a fixed kv_len keeps their shape).
 * Hyena histories `hist…` come from the (L + 1)-token prefill's first L positions instead: its implicit filters
 * are functions of t / T, so earlier long-conv outputs depend on the total length T.
 */
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { compileModel } from '../../language-server/src/compile/compile';
import type { ModelInstance } from '../../language-server/src/semantic/instances';
import { memoryFeeds } from './compile-harness';

ort.env.logLevel = 'error';

/** The first L positions along `axis` of t. */
export function firstPositions(t: ort.Tensor, axis: number, L: number): ort.Tensor {
  const dims = t.dims as number[];
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const src = t.data as Float32Array;
  const out = new Float32Array(outer * L * inner);
  const T = dims[axis];
  for (let i = 0; i < outer; i++) out.set(src.subarray(i * T * inner, i * T * inner + L * inner), i * L * inner);
  return new ort.Tensor('float32', out, [...dims.slice(0, axis), L, ...dims.slice(axis + 1)]);
}

async function runGraph(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
  return (await ort.InferenceSession.create(bytes)).run(feeds);
}

/** Runs the check; returns the decode graph's compile result and outputs for further assertions. */
export async function checkDecodeStep(probe: ModelInstance, L: number) {
  const full = compileModel(probe, { seq: L + 1, exposeCache: true });
  const prefix = compileModel(probe, { seq: L, exposeCache: true });
  const decode = compileModel(probe, { seq: L, mode: 'decode' });
  assert.equal(decode.past, L);
  assert.equal(decode.caches, prefix.caches);
  const ids = BigInt64Array.from({ length: L + 1 }, (_, i) => BigInt((i * 7 + 3) % 50));
  const pre = await runGraph(full.bytes, { input_ids: new ort.Tensor('int64', ids, [1, L + 1]), ...memoryFeeds(full) });
  const pfx = await runGraph(prefix.bytes, { input_ids: new ort.Tensor('int64', ids.slice(0, L), [1, L]), ...memoryFeeds(prefix) });
  const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids.slice(L), [1, 1]), ...memoryFeeds(decode) };
  for (const input of decode.inputs.slice(1).filter((i) => !feeds[i.name])) {
    const out = input.name.startsWith('past_') ? input.name.replace('past_', 'present_') : `new_${input.name}`;
    feeds[input.name] = /_hist\d+$/.test(input.name) ? firstPositions(pre[out], 1, L) : pfx[out];
    assert.ok(feeds[input.name], `prefix output ${out}`);
    assert.deepEqual(feeds[input.name].dims, input.dims, input.name);
  }
  const dec = await runGraph(decode.bytes, feeds);
  const V = probe.dims.vocab!;
  assert.deepEqual(dec.logits.dims, [1, 1, V]);
  const a = pre.logits.data as Float32Array, b = dec.logits.data as Float32Array;
  let worst = 0;
  for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(a[L * V + v] - b[v]));
  assert.ok(worst < 1e-4, `max |Δ logits| = ${worst}`);
  return { decode, dec };
}
