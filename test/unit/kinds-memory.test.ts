/** Hand-computed checks of the engram, mhc, titans and custom kinds, and of the kind registry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLOCK_KINDS } from '../../language-server/src/kinds/index';
import type { Value } from '../../language-server/src/kinds/types';
import { dims, run } from '../helpers/kinds';



// ---- engram ----------------------------------------------------------------------------------------

const E27 = { slots: 2_262_400, dim: 1280, branches: 4 };

test('engram: Engram-27B layer in device memory, L 4096, B 8', () => {
  const { cost, issues } = run('engram', E27, dims(2560), { seq: 4096, batch: 8 });
  assert.deepEqual(issues, []);
  // tables 2,262,400·1280 = 2,895,872,000 (16 sub-tables × 80-dim rows); ×2 layers = 5,791,744,000 (reference A.3)
  // dense = 5·1280·2560 + 3·4·2560 + 4·2560·4 = 16,384,000 + 30,720 + 40,960 = 16,455,680
  assert.equal(cost.params, 2_912_327_680);
  assert.equal(cost.active, 16_455_680);
  // 2·5·1280·2560 + 2·4·2560 + 2·4·2560·4 = 32,768,000 + 20,480 + 81,920
  assert.equal(cost.prefillFlops, 32_870_400);
  assert.equal(cost.decodeFlops, 32_870_400);
  assert.equal(cost.cacheBytes, 184_320); // conv window 4·2560·(4−1)·dilation 3 = 92,160 elements · 2 B
  assert.equal(cost.weightBytes, 5_824_655_360); // all params · 2 B
  assert.equal(cost.hostWeightBytes, 0);
  // 16,455,680·2 + 8·(184,320 + 4·2560·2) + gathers 8·1280·2 = 32,911,360 + 1,638,400 + 20,480
  assert.equal(cost.decodeBytes, 34_570_240);
  assert.equal(cost.hostDecodeBytes, 0);
});

test('engram: tables offloaded to host memory', () => {
  const { cost } = run('engram', { ...E27, placement: 'host' }, dims(2560), { seq: 4096, batch: 8 });
  assert.equal(cost.weightBytes, 32_911_360); // dense only
  assert.equal(cost.hostWeightBytes, 5_791_744_000); // 2,895,872,000 · 2 B
  assert.equal(cost.hostDecodeBytes, 20_480); // B 8 · 1280 values · 2 B cross the host link
  assert.equal(cost.decodeBytes, 34_549_760);
});

test('engram: validation', () => {
  assert.deepEqual(run('engram', { slots: 10, dim: 1000 }, dims(2560)).issues.map((i) => i.message),
    ['dim (1000) must be divisible by orders × heads (2 × 8 = 16)']);
  assert.deepEqual(run('engram', { slots: 10, dim: 1280, orders: [] }, dims(2560)).issues.map((i) => i.message),
    ['orders must list at least one N-gram order']);
});

// ---- mhc -------------------------------------------------------------------------------------------

test('mhc: dynamic n 4, d 2560, B 2', () => {
  const { cost, issues } = run('mhc', {}, dims(2560), { seq: 4096, batch: 2 });
  assert.deepEqual(issues, []);
  assert.equal(cost.params, 245_787); // 4·2560·24 + 24 + 3 (reference B.3: 96C + 27)
  // 2·4·2560·24 + 2·16·20 + 2·16·2560 + 4·4·2560 = 491,520 + 640 + 81,920 + 40,960
  assert.equal(cost.prefillFlops, 615_040);
  assert.equal(cost.cacheBytes, 0);
  // read 21·2560 + 24 = 53,784, write 13·2560 + 24 = 33,304 elements → 174,176 B per sequence
  assert.equal(cost.decodeBytes, 245_787 * 2 + 2 * 174_176);
  assert.ok(cost.formula.some((f) => f.includes('4× wider')));
});

test('mhc: static HC and validation', () => {
  const s = run('mhc', { dynamic: false, sinkhorn_iters: 0 }, dims(2560));
  assert.deepEqual(s.issues, []);
  assert.equal(s.cost.params, 24); // n·(n+2)
  assert.equal(s.cost.decodeFlops, 122_880); // 2·16·2560 + 4·4·2560
  // sinkhorn_iters 0 with dynamic coefficients: the unconstrained dynamic HC baseline (Zhu et al.), same parameters as mHC.
  const hc = run('mhc', { sinkhorn_iters: 0 }, dims(2560));
  assert.deepEqual(hc.issues, []);
  assert.equal(hc.cost.params, run('mhc', {}, dims(2560)).cost.params);
  assert.equal(run('mhc', {}, dims(2560)).cost.decodeFlops - hc.cost.decodeFlops, 2 * 16 * 20);
});

// ---- titans ----------------------------------------------------------------------------------------

test('titans: 2-layer memory, d 1024, B 2', () => {
  const { cost } = run('titans', {}, dims(1024), { seq: 4096, batch: 2 });
  // P_mem = 1024·1024 + 0 + 1024·1024 = 2,097,152; trained = 4·1024² + 3·1024 + 3 + 3·1024·4 + P_mem
  assert.equal(cost.params, 6_306_819);
  assert.equal(cost.active, 4_209_667); // without M_0
  // 2·(4·1024² + 3·1024 + 12·1024) + 10·2,097,152 = 8,419,328 + 20,971,520
  assert.equal(cost.prefillFlops, 29_390_848);
  assert.equal(cost.decodeFlops, 29_390_848);
  assert.equal(cost.cacheBytes, 16_777_216); // 2·P_mem fp32
  assert.equal(cost.decodeBytes, 4_209_667 * 2 + 2 * 4 * 2_097_152 * 4); // 75,528,198
  const chunked = run('titans', { chunk: 16, persistent: 16 }, dims(1024), { seq: 4096, batch: 2 }).cost;
  assert.equal(chunked.params, 6_306_819 + 16 * 1024);
  assert.equal(chunked.decodeBytes, (4_209_667 + 16_384) * 2 + 67_108_864 / 16);
});

test('titans: memory depth 1 and a wide 3-layer memory', () => {
  assert.equal(run('titans', { memory_depth: 1 }, dims(1024)).cost.params, 4_209_667 + 1_048_576);
  // 1024·2048 + 2048² + 2048·1024 = 8,388,608
  assert.equal(run('titans', { memory_depth: 3, memory_width: 2048 }, dims(1024)).cost.params, 4_209_667 + 8_388_608);
});

// ---- custom ----------------------------------------------------------------------------------------

test('custom: defaults derive from params', () => {
  const { cost } = run('custom', { params: 1_000_000 }, { dtype: 'bf16', state_dtype: 'fp32', tied: false }, { seq: 100, batch: 2 });
  assert.equal(cost.active, 1_000_000);
  assert.equal(cost.prefillFlops, 2_000_000);
  assert.equal(cost.decodeFlops, 2_000_000);
  assert.equal(cost.cacheBytes, 0);
  assert.equal(cost.decodeBytes, 2_000_000); // 1e6 · 2 B
});

test('custom: stated costs and validation', () => {
  const args = { params: 1_000_000, active: 200_000, flops: 500_000, decode_flops: 700_000, cache_bytes_per_token: 1000, state_bytes: 500 };
  const { cost, issues } = run('custom', args, dims(64), { seq: 100, batch: 2 });
  assert.deepEqual(issues, []);
  assert.equal(cost.prefillFlops, 500_000);
  assert.equal(cost.decodeFlops, 700_000);
  assert.equal(cost.cacheBytes, 100_500); // 1000·100 + 500
  assert.equal(cost.decodeBytes, 604_000); // 200,000·2 + 2·(100,500 + 1000 + 500)
  assert.deepEqual(run('custom', { params: 1_000_000, active: 2_000_000 }, dims(64)).issues.map((i) => i.message),
    ['active (2000000) exceeds params (1000000)']);
});

// ---- registry --------------------------------------------------------------------------------------

test('registry: every kind is documented and costs finite numbers with its defaults', () => {
  const required: Record<string, Value> = { heads: 8, experts: 8, top_k: 2, d_ff: 256, slots: 1000, dim: 64, params: 10 };
  for (const kind of BLOCK_KINDS.values()) {
    for (const p of kind.params) assert.ok(p.doc.length > 0, `${kind.name}.${p.name} has no doc`);
    // Known values for common required arguments; any other required one gets a plain value of its type.
    const byType = (t: string): Value => (t === 'list' ? [16] : t === 'bool' ? true : 8);
    const args = Object.fromEntries(kind.params.filter((p) => p.required).map((p) => [p.name, required[p.name] ?? byType(p.type)]));
    const { cost, issues } = run(kind.name, args, dims(512, { vocab: 1000 }));
    assert.deepEqual(issues, [], kind.name);
    for (const [field, v] of Object.entries(cost)) {
      if (typeof v === 'number') assert.ok(Number.isFinite(v) && v >= 0, `${kind.name}.${field} = ${v}`);
    }
  }
});
