/**
 * The serving-time engine (language-server/src/serving) on hand-computed cases: exact decode sums, collectives,
 * the pipeline schedule, weight formats, memory fit and waves, and the llama-bench pp/tg conventions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { findHardware } from '../../language-server/src/cost/hardware';
import { affinePieces, sumMax, type StepCost } from '../../language-server/src/serving/segments';
import { allReduceSeconds, pipelineSeconds } from '../../language-server/src/serving/parallel';
import { estimateServing } from '../../language-server/src/serving/estimate';
import { deploymentFor } from '../../language-server/src/serving/deployment';
import { prepare, sizedCost } from '../../language-server/src/serving/workload';
import { CALIBRATION } from '../../language-server/src/serving/calibration';

const root = path.resolve(__dirname, '../..');
const models = (rel: string) => analyze(path.join(root, rel), nodeHost()).models;
const llama2 = models('test/fixtures/measured/models.arch');
const llama3 = models('language-server/stdlib/llama3.arch');
const L7 = llama2.find((m) => m.name === 'Llama2_7B')!;
const L70 = llama3.find((m) => m.name === 'Llama3_1_70B')!;

test('affine pieces + closed-form max sums equal a step-by-step sum (kinks of min(L, W) included)', () => {
  const cost = (L: number): StepCost => ({ flops: 3e9 + 2e6 * Math.min(L, 700), bytes: 1e9, cacheBytes: 5e5 * Math.min(L, 1300) });
  for (const [kc, km] of [[1e-12, 1e-12], [1e-13, 4e-12], [5e-13, 2e-13]]) {
    let brute = 0;
    for (let L = 3; L <= 4001; L++) { const c = cost(L); brute += Math.max(kc * c.flops, km * (c.bytes + c.cacheBytes)); }
    const sum = affinePieces(cost, 3, 4001).reduce((s, p) => s + sumMax(p, kc, km).total, 0);
    assert.ok(Math.abs(sum - brute) <= 1e-9 * brute, `${sum} vs ${brute}`);
  }
});

test('ring all-reduce on 8 H100s: latency + 2·7/8 · bytes / (450 GB/s · 0.8) (Patarasuk & Yuan 2009)', () => {
  const h100 = findHardware('h100')!;
  const g = { ...CALIBRATION.global, linkEfficiency: 0.8, collectiveLatency: 10e-6 };
  const expected = 10e-6 + (2 * 7 / 8) * 64e6 / (450e9 * 0.8);
  assert.ok(Math.abs(allReduceSeconds(64e6, 8, h100, g) - expected) < 1e-15);
  assert.equal(allReduceSeconds(64e6, 1, h100, g), 0, 'no collective on one GPU');
});

test('pipeline bubble: 4 micro-batches through 4 stages take (4 + 4 − 1) stage times plus 3 hops', () => {
  assert.ok(Math.abs(pipelineSeconds(1e-3, 1e-4, 4, 4) - 7.3e-3) < 1e-15);
  assert.equal(pipelineSeconds(2e-3, 5e-4, 1, 1), 2e-3);
  // B = 1 cannot be split: PP = 2 runs both stages one after the other, so it is no faster than one GPU.
  const one = estimateServing(L70, deploymentFor(L70, { hardware: 'h200', weights: 'fp8', framework: 'ideal' }), { batch: 1, input: 128, output: 64 });
  const two = estimateServing(L70, deploymentFor(L70, { hardware: 'h200', weights: 'fp8', pp: 2, framework: 'ideal' }), { batch: 1, input: 128, output: 64 });
  assert.ok(two.tpot >= one.tpot * 0.999, `PP2 ${two.tpot} vs PP1 ${one.tpot}`);
});

test('q4_k_m weights: 4.84 bits per weight (llama.cpp quantize README, Llama 2 7B), exactly params × 4.84 / 8 bytes', () => {
  const d = deploymentFor(L7, { hardware: 'rtx4090', weights: 'q4_k_m', framework: 'llamacpp' });
  const e = estimateServing(L7, d, { batch: 1, input: 512, output: 0 });
  assert.ok(Math.abs(e.memory.weights - 6_738_415_616 * 4.84 / 8) < 1, `${e.memory.weights}`);
  assert.equal(d.weights.compute, 'activation', 'GGUF formats dequantise to the activation dtype');
});

test('a model that does not fit: Llama-3.1-70B in bf16 on one H100 (141 GB of weights > 80 GB)', () => {
  const e = estimateServing(L70, deploymentFor(L70, { hardware: 'h100' }), { batch: 1, input: 128, output: 128 });
  assert.equal(e.memory.fits, false);
  assert.equal(e.memory.maxBatch, 0);
  assert.ok(e.memory.weights > 140e9 && e.memory.weights < 142e9);
});

test('a batch larger than memory runs in waves of the largest batch that fits', () => {
  const d = deploymentFor(L7, { hardware: 'l40s', framework: 'vllm' });
  const e = estimateServing(L7, d, { batch: 4096, input: 2048, output: 2048 });
  assert.equal(e.memory.fits, false);
  assert.ok(e.memory.maxBatch >= 1 && e.concurrency === e.memory.maxBatch);
  assert.equal(e.waves, Math.ceil(4096 / e.concurrency));
  const fitting = estimateServing(L7, d, { batch: e.concurrency, input: 2048, output: 2048 });
  assert.ok(e.e2e > (e.waves - 1) * fitting.e2e, 'all waves are costed');
});

test('decode is summed exactly over the growing context (ideal roofline, checked step by step)', () => {
  const d = deploymentFor(L7, { hardware: 'h100', framework: 'ideal' });
  const w = { batch: 16, input: 300, output: 200 };
  const e = estimateServing(L7, d, w);
  const peak = 989e12, bw = 3350e9;
  let brute = 0;
  for (let L = 300; L <= 498; L++) {
    for (const b of L7.blocks) {
      const c = sizedCost(b, L, 16, 2, 'bf16');
      brute += Math.max((16 * c.decodeFlops * b.count) / peak, (c.decodeBytes * b.count) / bw);
    }
  }
  assert.equal(e.decodeSteps, 199, 'O − 1 steps after the prefill');
  assert.ok(Math.abs(e.decode.seconds - brute) <= 1e-9 * brute, `${e.decode.seconds} vs ${brute}`);
  assert.ok(Math.abs(e.e2e - (e.ttft + e.decode.seconds)) < 1e-15);
});

test('llama-bench conventions: --input 0 generates from an empty context; --output 0 is prompt processing only', () => {
  const d = deploymentFor(L7, { hardware: 'rtx4090', framework: 'llamacpp' });
  const tg = estimateServing(L7, d, { batch: 1, input: 0, output: 128 });
  assert.equal(tg.ttft, 0);
  assert.equal(tg.decodeSteps, 128);
  const pp = estimateServing(L7, d, { batch: 1, input: 512, output: 0 });
  assert.equal(pp.decodeSteps, 0);
  assert.equal(pp.e2e, pp.ttft);
  assert.ok(Math.abs(pp.inputTokensPerS - 512 / pp.ttft) < 1e-6);
});

test('tensor parallelism shards weights and KV and adds all-reduces; invalid layouts are clear errors', () => {
  const w = { batch: 8, input: 512, output: 32 };
  const one = estimateServing(L7, deploymentFor(L7, { hardware: 'h100', weights: 'fp8' }), w);
  const tp2 = estimateServing(L70, deploymentFor(L70, { hardware: 'h100', weights: 'fp8', tp: 2 }), w);
  const tp8 = estimateServing(L70, deploymentFor(L70, { hardware: 'h100', weights: 'fp8', tp: 8 }), w);
  assert.ok(Math.abs(tp2.memory.weights / tp8.memory.weights - 4) < 1e-9);
  assert.ok(Math.abs(tp2.memory.kv / tp8.memory.kv - 4) < 1e-9);
  assert.equal(one.decode.communication, 0);
  assert.ok(tp8.decode.communication > tp2.decode.communication && tp2.decode.communication > 0);
  assert.throws(() => estimateServing(L70, deploymentFor(L70, { hardware: 'h100', tp: 3, gpus: 8 }), { batch: 1, input: 1, output: 1 }), /not a multiple of tp·pp = 3/);
  assert.throws(() => estimateServing(L70, deploymentFor(L70, { hardware: 'h100', ep: 2, gpus: 2 }), { batch: 1, input: 1, output: 1 }), /has no moe block/);
  assert.throws(() => deploymentFor(L70, { hardware: 'h100', framework: 'tgi' }), /unknown framework 'tgi'/);
  assert.throws(() => deploymentFor(L70, { hardware: 'h100', weights: 'q3_xyz' }), /unknown weight format/);
});

test('preparation does not depend on the calibration (the fit reuses it)', () => {
  const d = deploymentFor(L7, { hardware: 'h100' });
  const a = prepare(L7, d, { batch: 4, input: 64, output: 64 });
  assert.deepEqual(a, prepare(L7, d, { batch: 4, input: 64, output: 64 }));
});
