/**
 * Issue 13, the recurrent mixers written as examples: each example's parameter count against its paper or released
 * config (cited in the example's header and below), its decode state per sequence (hand computed), and a probe
 * that compiles, runs and whose initializer count equals the engine's (compile-harness).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { probeModel } from '../../language-server/src/compile/probe';
import { compileRunCheck } from './compile-harness';

const ROOT = path.join(__dirname, '..', '..');
const H100 = findHardware('h100')!;
const FP32 = 4;

function example(file: string, seq = 4096) {
  const a = analyze(path.join(ROOT, 'examples', file), nodeHost());
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const [m] = a.models;
  const r = costModel(m, { hardware: H100, seq });
  return { m, params: r.totals.params.total, state: r.totals.cacheBytesPerSequence, at: (s: number) => costModel(m, { hardware: H100, seq: s }).totals.cacheBytesPerSequence };
}

const probeChecks = (m: ReturnType<typeof example>['m']) => compileRunCheck(probeModel(m, { layers: 2, d_model: 64, seq: 16 }), 16);

// Beck et al. 2024 (arXiv 2405.04517), "125M" class; block parameter lists of NX-AI/xlstm (kinds-rnn.test.ts).
test('xLSTM[7:1] 125M: 124,999,848 parameters (paper: 125M); constant decode state 50,126,160 B', async () => {
  const x = example('xlstm_7_1_125m.arch');
  const mBlock = 3_605_000 + 768;
  const sBlock = 1_187_328 + 768 + 768 + 3 * 768 * 1024;
  assert.equal(sBlock, 3_548_160);
  assert.equal(x.params, 21 * mBlock + 3 * sBlock + 50_304 * 768 + 768);
  assert.equal(x.params, 124_999_848);
  assert.ok(Math.abs(x.params / 125e6 - 1) < 0.001);
  // mLSTM: conv window 1536·3 + 4 heads × (C 384² + n 384 + m 1); sLSTM: conv window 768·3 + c, n, m, h 4·768; fp32
  const state = 21 * (1536 * 3 + 4 * (384 * 384 + 384 + 1)) * FP32 + 3 * (768 * 3 + 4 * 768) * FP32;
  assert.equal(x.state, state);
  assert.equal(x.state, 50_126_160);
  assert.equal(x.at(131_072), state, 'constant in the context length');
  await probeChecks(x.m);
});

// Yang et al. 2024 (arXiv 2312.06635) "1.3B"; fla GLAConfig defaults = fla-hub/gla-1.3B-100B.
test('GLA 1.3B: 1,365,514,240 parameters (paper: 1.3B); decode state 24 × 4 × 256×512 fp32', async () => {
  const g = example('gla_1_3b.arch');
  const layer = 16_827_904 + 3 * 2048 * 5632 + 2 * 2048;
  assert.equal(g.params, 24 * layer + 2 * 32_000 * 2048 + 2048);
  assert.equal(g.params, 1_365_514_240);
  assert.equal(g.state, 24 * 4 * (1024 / 4) * (2048 / 4) * FP32);
  assert.equal(g.state, 50_331_648);
  assert.equal(g.at(131_072), g.state);
  await probeChecks(g.m);
});

// Yang et al. 2024 (arXiv 2406.06484); fla-hub/delta_net-1.3B-100B config.json with fla's DeltaNet layer (kinds-mixers.test.ts).
// The released model.safetensors is 2.73 GB in bf16 (≈ 1.365 B parameters).
test('DeltaNet 1.3B: 1,365,677,056 parameters; decode state 24 × (conv window 6144·3 + 16 × 128×128) fp32', async () => {
  const n = example('deltanet_1_3b.arch');
  const layer = 16_834_688 + 3 * 2048 * 5632 + 2 * 2048;
  assert.equal(n.params, 24 * layer + 2 * 32_000 * 2048 + 2048);
  assert.equal(n.params, 1_365_677_056);
  assert.ok(Math.abs((n.params * 2) / 2.73e9 - 1) < 0.002, 'bf16 bytes ≈ the released 2.73 GB');
  assert.equal(n.state, 24 * (6144 * 3 + 16 * 128 * 128) * FP32);
  assert.equal(n.state, 26_935_296);
  assert.equal(n.at(131_072), n.state);
  await probeChecks(n.m);
});

// De et al. 2024 (arXiv 2402.19427); google/recurrentgemma-2b config.json, hand count in import-mixers.test.ts.
test('RecurrentGemma-2B: 2,682,862,080 parameters; state = RG-LRU (conv window + h) fp32 + local-MQA window bf16', async () => {
  const r = example('recurrentgemma_2b.arch', 4096);
  assert.equal(r.params, 2_682_862_080);
  const rglru = 18 * (2560 * 3 + 2560) * FP32;
  const window = 8 * 2 * 1 * 256 * 2048 * 2; // 8 attention layers, K and V, 1 KV head, head_dim 256, 2048 tokens, bf16
  assert.equal(r.state, rglru + window);
  assert.equal(r.state, 17_514_496);
  assert.equal(r.at(131_072), r.state, 'the window bounds the cache: constant beyond 2048 tokens');
  await probeChecks(r.m);
});

// Gu et al. 2022 (arXiv 2206.11893); state-spaces/s4 example.py defaults, models/s4/s4d.py parameter list.
test('S4D stack: 265,216 parameters; decode state 4 × 128·64 fp32', async () => {
  const s = example('s4d_stack.arch');
  const layer = 128 + 128 * 32 * 2 + 2 * 128 * 32 + 128 + 256 * 128 + 256;
  assert.equal(layer, 49_664);
  assert.equal(s.params, 4 * (layer + 2 * 128) + 2 * 256 * 128);
  assert.equal(s.params, 265_216);
  assert.equal(s.state, 4 * 128 * 64 * FP32);
  await probeChecks(s.m);
});

// Zaremba et al. 2014 (arXiv 1409.2329) large PTB LSTM: "66M" (e.g. Merity et al. 2017, AWD-LSTM, Table 1).
test('LSTM LM (Zaremba large): 66,034,000 parameters (66M); decode state 2 layers × (h, c) × 1500 fp32', async () => {
  const l = example('lstm_lm.arch', 35);
  assert.equal(l.params, 10_000 * 1500 + 2 * 4 * (1500 * 1500 + 1500 * 1500 + 2 * 1500) + 1500 * 10_000 + 10_000);
  assert.equal(l.params, 66_034_000);
  assert.equal(l.state, 2 * 2 * 1500 * FP32);
  await probeChecks(l.m);
});
