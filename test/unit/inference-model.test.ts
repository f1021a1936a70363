// The shipped model (models/engram-moe-tiny.onnx): validation, gate outputs through the real child process,
// and the plain-TypeScript forward pass (extension/inference/forwardTs.ts) against onnxruntime.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readOnnxInfo, validateModel } from '../../language-server/src/onnx/info';
import { engramHashes, GraphIndex } from '../helpers/onnxGraph';
import { TsModel } from '../helpers/forwardTs';
import { InferenceRunner } from '../../extension/inference/runner';
import type { OutputTensor } from '../../language-server/src/protocol/inference';

const MODEL = resolve(__dirname, '../../models/engram-moe-tiny.onnx');
const WORKER = resolve(__dirname, '../../dist/inference.js');
const skip = existsSync(MODEL) ? false : 'models/engram-moe-tiny.onnx is not there yet';
const bytes = skip ? new Uint8Array(0) : new Uint8Array(readFileSync(MODEL));
const SENTENCE = 'God bless the United States of America.';
const ids = Array.from(new TextEncoder().encode(SENTENCE));
const GATES = ['engram_alpha_l1', 'engram_alpha_l2', 'moe_probs_l1', 'moe_probs_l3', 'attn_probs_l0', 'attn_probs_l1', 'attn_probs_l2', 'attn_probs_l3'];

const runner = new InferenceRunner(WORKER);
after(() => runner.dispose());

test('the shipped model validates and follows the gate naming convention', { skip }, () => {
  const v = validateModel(bytes);
  assert.ok(v.ok, v.ok ? '' : v.message);
  assert.deepEqual(v.gates.map((g) => g.name), GATES);
  assert.deepEqual(v.info.inputs.map((i) => [i.name, i.elemTypeName, i.dims]), [['input_ids', 'int64', ['batch', 'seq']]]);
  assert.deepEqual(v.info.outputs[0].dims, ['batch', 'seq', 256]);
  assert.ok(v.info.initializers.every((t) => t.dataTypeName === 'float32'));
});

test('Engram hashes recovered from the graph equal the ones in the model card', { skip }, () => {
  const info = readOnnxInfo(bytes);
  const card = info.metadata['archlens.model_card'];
  const g = new GraphIndex(info);
  for (const layer of [1, 2]) {
    const hashes = engramHashes(g, layer);
    assert.equal(hashes.length, 4);
    hashes.forEach((h, s) => assert.equal(h.offset, s * h.slots));
    if (!card) continue;
    const subs = (JSON.parse(card) as { engram_hash: { subtables: Record<string, { order: number; mult: number[]; add: number }[]> } }).engram_hash.subtables[`l${layer}`];
    assert.deepEqual(hashes.map((h) => ({ order: h.order, mult: h.mult, add: h.add })), subs.map((s) => ({ order: s.order, mult: s.mult, add: s.add })));
  }
});

function byName(outputs: OutputTensor[]): Map<string, OutputTensor> {
  return new Map(outputs.map((o) => [o.name, o]));
}

function rowSums(data: ArrayLike<number>, width: number): number[] {
  return Array.from({ length: data.length / width }, (_, r) => Array.from({ length: width }, (_, c) => data[r * width + c]).reduce((a, b) => a + b, 0));
}

test('a sentence through the child process: gate names, shapes and values (CPU)', { skip }, async () => {
  const r = await runner.run({ modelPath: MODEL, inputIds: ids, providers: ['cpu'] });
  const T = ids.length;
  const out = byName(r.outputs);
  assert.deepEqual(r.outputs.map((o) => o.name), ['logits', ...GATES]);
  assert.deepEqual(out.get('logits')!.dims, [1, T, 256]);
  for (const n of ['engram_alpha_l1', 'engram_alpha_l2']) {
    assert.deepEqual(out.get(n)!.dims, [1, T]);
    assert.ok(Array.from(out.get(n)!.data).every((a) => a > 0 && a < 1), `${n} in (0, 1)`);
  }
  for (const n of ['moe_probs_l1', 'moe_probs_l3']) {
    assert.deepEqual(out.get(n)!.dims, [1, T, 4]);
    for (const s of rowSums(out.get(n)!.data, 4)) assert.ok(Math.abs(s - 1) < 1e-5);
  }
  const attn = out.get('attn_probs_l2')!;
  assert.deepEqual(attn.dims, [1, 4, T, T]);
  for (const s of rowSums(attn.data, T)) assert.ok(Math.abs(s - 1) < 1e-5);
  assert.equal(attn.data[0 * T + 1], 0, 'causal: token 0 does not see token 1');
  console.log(`  ORT ${r.provider}: load ${r.ms.loadMs.toFixed(1)} ms, create ${r.ms.createMs.toFixed(1)} ms, run ${r.ms.runMs.toFixed(2)} ms (T=${T})`);
  const twice = await runner.run({ modelPath: MODEL, inputIds: ids, batch: 2, providers: ['cpu'], outputs: ['engram_alpha_l1'] });
  assert.deepEqual(twice.outputs[0].dims, [2, T]);
  assert.deepEqual(Array.from(twice.outputs[0].data.slice(T)), Array.from(out.get('engram_alpha_l1')!.data));
});

test('the plain-TypeScript forward pass matches onnxruntime to 1e-4', { skip }, async () => {
  const model = TsModel.fromOnnx(bytes);
  const t0 = performance.now();
  const ts = model.forward(ids);
  const tsMs = performance.now() - t0;
  const ort = byName((await runner.run({ modelPath: MODEL, inputIds: ids, providers: ['cpu'] })).outputs);
  assert.deepEqual(ts.map((t) => t.name), ['logits', ...GATES]);
  for (const t of ts) {
    const o = ort.get(t.name)!;
    assert.deepEqual(t.dims, o.dims, t.name);
    let worst = 0;
    for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs(t.data[i] - o.data[i]));
    assert.ok(worst < 1e-4, `${t.name}: max |TS − ORT| = ${worst}`);
  }
  console.log(`  TS forward (first call, cold JIT): ${tsMs.toFixed(1)} ms`);
});
