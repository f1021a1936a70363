/**
 * Decode-step graphs (compileModel mode 'decode'): fed the KV cache a prefill of L + 1 tokens produced for its
 * first L positions, one step on token L gives the prefill's logits at position L (to 1e-4): causal attention,
 * GQA, a sliding window shorter than L (Gemma 2), MLA + MoE (DeepSeek), hyper-connections, learned positions (GPT-2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { probeModel } from '../../language-server/src/compile/probe';
import { compileModel, decodeUnsupported } from '../../language-server/src/compile/compile';
import type { ModelInstance } from '../../language-server/src/semantic/instances';

ort.env.logLevel = 'error';
const ROOT = path.join(__dirname, '..', '..');
const L = 12;
const model = (rel: string): ModelInstance => analyze(path.join(ROOT, rel), nodeHost()).models[0];

/** The first L of the T = L + 1 positions of a present_… tensor [B, KV, T, hd]. */
function firstPositions(t: ort.Tensor): ort.Tensor {
  const [B, KV, T, hd] = t.dims as number[];
  const src = t.data as Float32Array;
  const out = new Float32Array(B * KV * L * hd);
  for (let i = 0; i < B * KV; i++) out.set(src.subarray(i * T * hd, i * T * hd + L * hd), i * L * hd);
  return new ort.Tensor('float32', out, [B, KV, L, hd]);
}

for (const rel of ['examples/gemma2_local_global.arch', 'examples/deepseek_v2_lite.arch', 'examples/mhc_llama.arch', 'language-server/stdlib/gpt2.arch']) {
  test(`${rel}: decode step with the KV cache = prefill logits at the last position`, async () => {
    const probe = probeModel(model(rel), { layers: 2, d_model: 64, seq: L + 1 });
    const prefill = compileModel(probe, { seq: L + 1, exposeCache: true });
    const decode = compileModel(probe, { seq: L, mode: 'decode' });
    assert.equal(decode.past, L);
    assert.ok(decode.caches > 0 && decode.caches === prefill.caches);
    const ids = BigInt64Array.from({ length: L + 1 }, (_, i) => BigInt((i * 7 + 3) % 50));
    const pre = await (await ort.InferenceSession.create(prefill.bytes)).run({ input_ids: new ort.Tensor('int64', ids, [1, L + 1]) });
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids.slice(L), [1, 1]) };
    for (const input of decode.inputs.slice(1)) feeds[input.name] = firstPositions(pre[input.name.replace('past', 'present')]);
    assert.equal(Object.keys(feeds).length, 1 + 2 * decode.caches);
    const dec = await (await ort.InferenceSession.create(decode.bytes)).run(feeds);
    const V = probe.dims.vocab!;
    assert.deepEqual(dec.logits.dims, [1, 1, V]);
    assert.deepEqual(dec.present_key_0.dims.slice(2, 3), [L + 1]);
    const a = pre.logits.data as Float32Array, b = dec.logits.data as Float32Array;
    let worst = 0;
    for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(a[L * V + v] - b[v]));
    assert.ok(worst < 1e-4, `max |Δ logits| = ${worst}`);
  });
}

test('kinds with recurrent / convolution state have no decode step yet (measurement falls back, labelled)', () => {
  assert.deepEqual(decodeUnsupported(model('examples/retnet_1_3b.arch')), ['retnet']);
  assert.deepEqual(decodeUnsupported(model('examples/gemma2_local_global.arch')), []);
  assert.throws(() => compileModel(probeModel(model('examples/hyena_lm.arch'), { layers: 1, width: 16 }), { mode: 'decode' }), /no decode-step lowering yet.*hyena/);
});
