/** Issue 13: architectures of the research, costed against their papers and released configs (sources cited). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { dims, run } from '../helpers/kinds';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { contextPoint } from '../../language-server/src/cost/sweeps';

const ROOT = path.join(__dirname, '..', '..');
const H100 = findHardware('h100')!;
const models = (rel: string) => analyze(path.join(ROOT, rel), nodeHost()).models;

// ---- hyena decode modes ----------------------------------------------------------------------------

test('hyena modal (StripedHyena block), d 4096: params, recurrent decode constant in L', () => {
  const args = { order: 2, style: 'safari', filter: 'modal', state_size: 2 };
  const at = (seq: number) => run('hyena', args, dims(4096), { seq, batch: 1 }).cost;
  const c = at(1024);
  // proj 3·4096² + 4096² = 67,108,864; biases 4·4096; short FIR 3·4096·4 = 49,152; modal 4096·(4·2 + 1) = 36,864
  assert.equal(c.params, 67_108_864 + 16_384 + 49_152 + 36_864);
  // 2·proj + 2·3·4096·3 + modal taps and skip 2·4096·(2·2 + 1) + one FFT conv 4096·15·log2(2048)
  assert.equal(c.prefillFlops, 134_217_728 + 73_728 + 40_960 + 4096 * 15 * 11);
  // the step: 2·proj + short conv + 4096·(12·2 + 2) (complex state update, readout, skip)
  assert.equal(c.decodeFlops, 134_217_728 + 73_728 + 4096 * 26);
  // state: 4096·2·2 fp32 + short-conv window 3·4096·2 bf16
  assert.equal(c.cacheBytes, 4096 * 4 * 4 + 3 * 4096 * 2 * 2);
  assert.equal(at(131_072).cacheBytes, c.cacheBytes);
  assert.equal(at(131_072).decodeFlops, c.decodeFlops);
});

test('hyena decode forms: direct and fft grow with L; recurrent is refused for implicit filters', () => {
  const direct = run('hyena', { filter: 'modal', decode: 'direct' }, dims(64), { seq: 100, batch: 1 }).cost;
  const fft = run('hyena', { filter: 'modal', decode: 'fft' }, dims(64), { seq: 100, batch: 1 }).cost;
  assert.equal(direct.cacheBytes, fft.cacheBytes);
  assert.equal(direct.cacheBytes, (2 * 64 * 100 + 3 * 64 * 2) * 2);
  assert.ok(fft.decodeFlops > direct.decodeFlops); // 3 FFTs of 2(L+1) points vs 2·L MACs per channel
  assert.deepEqual(run('hyena', { decode: 'recurrent' }, dims(64)).issues.map((i) => i.arg), ['decode']);
  assert.deepEqual(run('hyena', { order: 1, style: 'safari' }, dims(64)).issues.map((i) => i.arg), ['order']);
});

// StripedHyena-7B: configs/7b-sh-32k-v1.yml of togethercomputer/stripedhyena; Together's "7.65B".
test('StripedHyena-7B: 7,646,023,680 parameters; at 128K it decodes cheaper and smaller than its all-attention twin', () => {
  const [sh, twin] = models('examples/stripedhyena_7b.arch');
  const r = costModel(sh, { hardware: H100, seq: 131_072 });
  const t = costModel(twin, { hardware: H100, seq: 131_072 });
  assert.equal(r.totals.params.total, 7_646_023_680);
  assert.equal(t.totals.params.total, 7_241_732_096);
  assert.ok(r.decode.seconds < t.decode.seconds && r.totals.cacheBytesPerSequence < t.totals.cacheBytesPerSequence);
  // Hyena layers carry a constant state: the dashboard's "recurrent (constant state)" class holds exactly them
  const p = contextPoint(r);
  const hyenaBytes = r.blocks.filter((b) => b.instance.kind === 'hyena').reduce((s, b) => s + b.all.cacheBytes, 0);
  assert.equal(p.byClass.recurrent.cacheBytes, hyenaBytes);
  assert.equal(hyenaBytes, 16 * (4096 * 4 * 4 + 3 * 4096 * 2 * 2));
});

test('a Hyena with implicit filters and a growing cache is not classed as constant state', () => {
  const [m] = models('examples/hyena_lm.arch');
  const p = contextPoint(costModel(m, { hardware: H100, seq: 8192 }));
  assert.equal(p.byClass.recurrent.cacheBytes, 0);
  assert.ok(p.byClass.attention.cacheBytes > 0);
});

// ---- DiT: bidirectional attention, adaLN-Zero per image ----------------------------------------------

// DiT-XL/2: Peebles & Xie 2023 (arXiv 2212.09748) "675M", Table 4: 118.6 Gflops (multiply-adds) per 256² image.
test('DiT-XL/2: 674,834,720 trainable parameters; ≈ 237 GFLOP (2 × 118.6 G multiply-adds) per image', () => {
  const [m] = models('examples/dit_xl_2.arch');
  const r = costModel(m, { hardware: H100 });
  assert.equal(r.seq, 256);
  assert.equal(r.totals.params.total, 674_834_720);
  const perImage = r.totals.flops.prefillPerToken * 256;
  assert.equal(Math.round(perImage), 237_239_599_104);
  assert.ok(Math.abs(perImage / (2 * 118.6e9) - 1) < 0.001);
});

test('adaln is charged once per sequence; bidirectional attention scores all L keys', () => {
  const a = (seq: number) => run('adaln', { chunks: 6 }, dims(1152), { seq, batch: 1 }).cost;
  assert.equal(a(256).params, 1152 * 6912 + 6912);
  assert.equal(a(256).prefillFlops * 256, 2 * 1152 * 6912);
  assert.equal(a(512).prefillFlops * 512, 2 * 1152 * 6912);
  const att = (mask: string) => run('attention', { heads: 16, mask }, dims(1152), { seq: 256, batch: 1 }).cost.prefillFlops;
  assert.equal(att('bidirectional') - att('causal'), 4 * 1152 * (256 - 257 / 2));
  assert.deepEqual(run('attention', { heads: 16, mask: 'bidirectional', window: 8 }, dims(1152)).issues.map((i) => i.arg), ['window']);
});
