/** Hand-computed checks of the embedding, lm_head, norm, MLP, linear and attention kinds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dims, run } from '../helpers/kinds';


const GPT2 = dims(768, { vocab: 50257, tied: true });

test('embedding: GPT-2 tokens + learned positions', () => {
  const { cost } = run('embedding', { positions: 1024 }, GPT2, { seq: 1024, batch: 4 });
  assert.equal(cost.params, 39_383_808); // (50257 + 1024)·768
  assert.equal(cost.prefillFlops, 0);
  assert.equal(cost.decodeBytes, 12_288); // B 4 · 2 rows · 768 · 2 B
});

test('lm_head: tied costs FLOPs but no params; untied with bias', () => {
  const tied = run('lm_head', {}, GPT2, { seq: 1, batch: 4 }).cost;
  assert.equal(tied.params, 0);
  assert.equal(tied.decodeFlops, 77_194_752); // 2·50257·768
  assert.equal(tied.decodeBytes, 77_194_752); // 50257·768·2 B, read once whatever B
  const untied = run('lm_head', { bias: true }, { ...GPT2, tied: false }).cost;
  assert.equal(untied.params, 38_647_633); // 50257·768 + 50257
});

test('norms: LayerNorm has a bias by default, RMSNorm not', () => {
  assert.equal(run('layernorm', {}, GPT2).cost.params, 1536); // 2·768
  assert.equal(run('rmsnorm', {}, GPT2).cost.params, 768);
  assert.equal(run('rmsnorm', { dim: 128 }, GPT2).cost.params, 128);
});

test('mlp: GPT-2 MLP with biases', () => {
  const { cost } = run('mlp', { d_ff: 3072, bias: true }, GPT2);
  assert.equal(cost.params, 4_722_432); // 2·768·3072 + 3072 + 768
  assert.equal(cost.prefillFlops, 9_437_184); // 4·768·3072
});

test('gated_mlp: Llama-3-8B SwiGLU', () => {
  const { cost } = run('gated_mlp', { d_ff: 14336 }, dims(4096), { seq: 1, batch: 4 });
  assert.equal(cost.params, 176_160_768); // 3·4096·14336
  assert.equal(cost.decodeFlops, 352_321_536); // 6·4096·14336
  assert.equal(cost.decodeBytes, 352_321_536); // params · 2 B, no cache
});

test('linear: d_in 2d → d (DeepSeek MTP eh_proj shape)', () => {
  const { cost } = run('linear', { d_in: 8192 }, dims(4096));
  assert.equal(cost.params, 33_554_432); // 8192·4096
  assert.equal(cost.prefillFlops, 67_108_864);
});

test('attention: Llama-3-8B GQA layer at L 1024, B 4', () => {
  const { cost, issues } = run('attention', { heads: 32, kv_heads: 8 }, dims(4096), { seq: 1024, batch: 4 });
  assert.deepEqual(issues, []);
  assert.equal(cost.params, 41_943_040); // 2·4096·4096 + 2·4096·8·128
  assert.equal(cost.prefillFlops, 92_282_880); // 2·41,943,040 + 4·32·128·(1025/2) = 83,886,080 + 8,396,800
  assert.equal(cost.decodeFlops, 100_663_296); // 83,886,080 + 16384·1024
  assert.equal(cost.cacheBytes, 4_194_304); // 2·8·128·2 B = 4096 B/token · 1024
  assert.equal(cost.decodeBytes, 100_679_680); // 41,943,040·2 + 4·(4,194,304 + 4096)
});

test('attention: sliding window, qk-norm, sinks, biases', () => {
  const { cost } = run('attention', { heads: 32, kv_heads: 8, window: 256 }, dims(4096), { seq: 1024, batch: 1 });
  // keys averaged: (256·257/2 + 768·256)/1024 = 229,504/1024 = 224.125
  assert.equal(cost.prefillFlops, 83_886_080 + 16384 * 224.125);
  assert.equal(cost.decodeFlops, 83_886_080 + 16384 * 256);
  assert.equal(cost.cacheBytes, 4096 * 256);
  const extras = run('attention', { heads: 32, kv_heads: 8, qk_norm: true, sinks: true, qkv_bias: true, out_bias: true }, dims(4096)).cost;
  // + 2·128 (qk-norm) + 32 (sinks) + (32 + 16)·128 (qkv bias) + 4096 (out bias)
  assert.equal(extras.params, 41_943_040 + 256 + 32 + 6144 + 4096);
});

test('attention: validation messages', () => {
  assert.deepEqual(run('attention', { heads: 32, kv_heads: 6 }, dims(4096)).issues.map((i) => i.message),
    ['kv_heads (6) must divide heads (32)']);
  assert.deepEqual(run('attention', { heads: 48 }, dims(4096)).issues.map((i) => i.message),
    ['heads (48) must divide d_model (4096) unless head_dim is given']);
  assert.deepEqual(run('attention', { heads: 48, head_dim: 128 }, dims(4096)).issues, []);
});

test('GPT-2 small totals 124,439,808 from the kinds', () => {
  const layer = 2 * run('layernorm', {}, GPT2).cost.params
    + run('attention', { heads: 12, qkv_bias: true, out_bias: true }, GPT2).cost.params
    + run('mlp', { d_ff: 3072, bias: true }, GPT2).cost.params; // 3072 + 2,362,368 + 4,722,432
  const total = run('embedding', { positions: 1024 }, GPT2).cost.params + 12 * layer
    + run('layernorm', {}, GPT2).cost.params + run('lm_head', {}, GPT2).cost.params;
  assert.equal(total, 124_439_808);
});
