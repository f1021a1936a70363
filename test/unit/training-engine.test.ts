/**
 * The training engine (language-server/src/training) on hand-computed cases: ZeRO-3 memory of a 70B model on 64
 * GPUs, the 1F1B bubble, an EP all-to-all, Korthikanti's per-layer activation formula on GPT-3 175B, layout errors,
 * the Chinchilla fit, and MFU vs HFU under recomputation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { allToAllSeconds } from '../../language-server/src/serving/parallel';
import { trainingSetupFor } from '../../language-server/src/training/layout';
import { estimateTraining } from '../../language-server/src/training/estimate';
import { activationPerToken, stateBytes, trainingMemory } from '../../language-server/src/training/memory';
import { epSeconds } from '../../language-server/src/training/comm';
import { TRAINING_CONSTANTS, trainingGlobal } from '../../language-server/src/training/calibration';
import { chinchillaFor, computeOptimal, CHINCHILLA } from '../../language-server/src/training/chinchilla';
import { TRAINING_KINDS } from '../../language-server/src/training/kinds';
import { KIND_NAMES } from '../../language-server/src/kinds';
import { main } from '../../language-server/src/cli/main';

const root = path.resolve(__dirname, '../..');
const models = (rel: string) => analyze(path.join(root, rel), nodeHost()).models;
const L70 = models('language-server/stdlib/llama3.arch').find((m) => m.name === 'Llama3_1_70B')!;
const GPT3 = models('test/fixtures/measured/training-models.arch').find((m) => m.name === 'GPT3_175B')!;
const DSV3 = models('language-server/stdlib/deepseek_v3.arch')[0];
const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);

test('ZeRO-3 on 64 GPUs: a 70B model keeps (2 + 2 + 12)·N / 64 bytes of weights, gradients and Adam states per GPU', () => {
  const s = stateBytes(70e9, 3, 64);
  close(s.weights + s.gradients + s.optimizer, 17.5e9);
  const N = costModel(L70, { hardware: findHardware('h100')! }).totals.params.total;
  const setup = trainingSetupFor(L70, { hardware: 'h100', gpus: 64, zero: '3', seq: 4096, tokens: 1e12 });
  const m = trainingMemory(L70, setup);
  close(m.weights + m.gradients + m.optimizer, (16 * N) / 64);
  const z0 = trainingMemory(L70, trainingSetupFor(L70, { hardware: 'h100', gpus: 64, zero: '0', seq: 4096, tokens: 1e12 }));
  close(z0.weights + z0.gradients + z0.optimizer, 16 * N);
  assert.equal(z0.fits, false, '1.1 TB of states on one 80 GB GPU does not fit');
});

test('Korthikanti et al. 2022: GPT-3 175B stores s·b·h·(34 + 5·a·s/h) bytes per layer without recompute, 34·s·b·h selective', () => {
  const s = 2048, h = 12288, a = 96, L = 96, V = 50_257;
  const extras = h /* embedding dropout mask */ + 2 * h /* final LayerNorm */ + 4 * V /* fp32 logits */;
  close(activationPerToken(GPT3, s, 'none'), L * h * (34 + (5 * a * s) / h) + extras);
  close(activationPerToken(GPT3, s, 'selective'), L * 34 * h + extras);
  // Full recompute keeps each layer's input (2·s·b·h) plus one layer being recomputed.
  close(activationPerToken(GPT3, s, 'full'), L * 2 * h + (L * 34 * h + extras) / L);
  // With TP 8 (sequence parallel) the per-GPU figure is divided by t.
  const one = trainingMemory(GPT3, trainingSetupFor(GPT3, { hardware: 'a100', gpus: 8, tp: 8, recompute: 'none', seq: s, tokens: 1e9 }));
  close(one.activations, (activationPerToken(GPT3, s, 'none') * s) / 8);
});

test('1F1B bubble: m = 8 micro-batches through p = 4 stages idle (p − 1)/(m + p − 1) = 3/11 of the pipeline', () => {
  const setup = trainingSetupFor(L70, { hardware: 'h100', gpus: 32, tp: 8, pp: 4, seq: 4096, globalBatchTokens: 8 * 4096, tokens: 1e12 });
  const e = estimateTraining(L70, setup);
  assert.equal(e.microBatches, 8);
  const stage = (e.step.compute + e.step.tp + e.step.ep) / 8;
  const hops = e.step.bubble - 3 * stage;
  assert.ok(hops > 0 && hops < 0.01 * e.step.bubble, `hops ${hops}`);
  close((e.step.bubble - hops) / (e.step.bubble - hops + 8 * stage), 3 / 11);
});

test('EP all-to-all: DeepSeek-V3 on EP 8 moves top_k copies of each token, dispatch + combine in forward and backward', () => {
  const setup = trainingSetupFor(DSV3, { hardware: 'h100', gpus: 64, pp: 8, ep: 8, seq: 4096, tokens: 1e12, zero: '1' });
  const moeLayers = DSV3.blocks.filter((b) => b.kind === 'moe').reduce((n, b) => n + b.count, 0);
  const bytes = 4096 * 7168 * 2 * 8; // tokens · d · bf16 · top_k 8
  const g = trainingGlobal(TRAINING_CONSTANTS);
  const one = g.collectiveLatency + (7 / 8) * bytes / (450e9 * g.linkEfficiency);
  close(allToAllSeconds(bytes, 8, setup.hardware, g), one);
  // Recompute 'selective' (default): 4 all-to-alls per MoE layer of a stage.
  close(epSeconds(DSV3, setup, g, TRAINING_CONSTANTS), (moeLayers / 8) * 4 * one);
});

test('invalid layouts get clear errors', () => {
  assert.throws(() => trainingSetupFor(L70, { hardware: 'h100', gpus: 64, tp: 8, pp: 2, dp: 8, tokens: 1e12 }), /tp·cp·pp·dp = 8·1·2·8 = 128 ≠ --gpus 64/);
  assert.throws(() => trainingSetupFor(L70, { hardware: 'h100', gpus: 48, tp: 3, tokens: 1e12 }), /--tp 3 does not divide the 64 heads/);
  assert.throws(() => trainingSetupFor(L70, { hardware: 'h100', gpus: 30, tp: 4, tokens: 1e12 }), /not a multiple of tp·cp·pp = 4/);
  assert.throws(() => trainingSetupFor(L70, { hardware: 'h100', gpus: 8, ep: 2, tokens: 1e12 }), /has no moe block/);
  assert.throws(() => trainingSetupFor(L70, { hardware: 'h100', gpus: 8, seq: 4096, globalBatchTokens: 4096 * 12, tokens: 1e12 }), /not a whole number of micro-batches/);
  assert.throws(() => trainingSetupFor(L70, { hardware: 'h100', gpus: 8, zero: '4', tokens: 1e12 }), /--zero must be one of/);
});

test('recompute: full adds one forward pass (HFU ≈ 4/3 MFU for a dense model), selective only the attention scores', () => {
  const at = (recompute: string) => estimateTraining(L70, trainingSetupFor(L70, { hardware: 'h100', gpus: 64, tp: 8, recompute, seq: 4096, tokens: 1e12 }));
  const none = at('none'), sel = at('selective'), full = at('full');
  close(none.flops.model, full.flops.model);
  assert.ok(Math.abs(full.flops.hardware / full.flops.model - 4 / 3) < 0.02, `${full.flops.hardware / full.flops.model}`);
  assert.ok(sel.flops.hardware > none.flops.hardware && sel.flops.hardware < full.flops.hardware);
  assert.ok(full.memory.activations < sel.memory.activations && sel.memory.activations < none.memory.activations);
  assert.ok(full.hfu > full.mfu && full.tokensPerS < none.tokensPerS);
});

test('Chinchilla approach 3: exponents β/(α+β) ≈ 0.45 and α/(α+β) ≈ 0.55, shown only for dense Transformers', () => {
  const c = 1e24, o = computeOptimal(c);
  close(6 * o.params * o.tokens, c, 1e-9);
  const k = CHINCHILLA.beta / (CHINCHILLA.alpha + CHINCHILLA.beta);
  close(computeOptimal(1e25).params / o.params, 10 ** k, 1e-9);
  assert.ok(chinchillaFor(L70, 70e9, 15e12));
  assert.equal(chinchillaFor(DSV3, 671e9, 15e12), undefined, 'MoE: the fit does not apply');
});

test('every kind of the registry has a training row', () => {
  assert.deepEqual(Object.keys(TRAINING_KINDS).sort(), [...KIND_NAMES].sort());
});

test('archlens train-estimate --json prints the documented fields', () => {
  let out = '';
  const code = main(['train-estimate', path.join(root, 'language-server/stdlib/llama3.arch'), '--model', 'Llama3_1_70B', '--hardware', 'h100', '--gpus', '64', '--tp', '8', '--zero', '3', '--seq', '4096', '--tokens', '2e12', '--json'], { out: (s: string) => { out += s; return true; }, err: () => true });
  assert.equal(code, 0);
  const j = JSON.parse(out);
  for (const k of ['version', 'step_time_s', 'tokens_per_s', 'model_tflops_per_gpu', 'mfu', 'hfu', 'gpu_hours', 'days', 'memory_per_gpu_bytes', 'fits', 'breakdown', 'energy_kwh', 'chinchilla']) assert.ok(k in j, k);
  assert.ok(j.mfu > 0.2 && j.mfu < 0.7, `${j.mfu}`);
  let err = '';
  assert.equal(main(['train-estimate', path.join(root, 'language-server/stdlib/llama3.arch'), '--hardware', 'h100', '--gpus', '12', '--tp', '5', '--tokens', '1e12'], { out: () => true, err: (s: string) => { err += s; return true; } }), 2);
  assert.match(err, /--tp 5 does not divide|not a multiple/);
});
