/**
 * Hand-computed checks of attention's mixture of attention heads (JetMoE MoA, transformers modeling_jetmoe.py
 * JetMoeMoA + kv_proj) and linear_attention(style: lightning) (MiniMax-01, modeling_minimax.py
 * MiniMaxLightningAttention), on the released layer sizes, and of their argument checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dims, run } from '../helpers/kinds';
import { expectedExpertsTouched } from '../../language-server/src/kinds/formulas';

const JETMOE = { heads: 32, kv_heads: 16, head_dim: 128, experts: 8, top_k: 2, out_bias: true };

test('attention(experts): JetMoE-8B layer — params, active, FLOPs, KV cache and decode bytes, L 4096, B 8', () => {
  const { cost, issues } = run('attention', JETMOE, dims(2048), { seq: 4096, batch: 8 });
  assert.deepEqual(issues, []);
  const qo = 2 * 2048 * 16 * 128; // one expert's q (d → 16·128) and o (16·128 → d)
  const kv = 2 * 2048 * 16 * 128; // kv_proj d → 2·16·128
  const router = 2048 * 8;
  assert.equal(cost.params, 8 * qo + kv + router + 2048); // 75,515,904 (+ bias d)
  assert.equal(cost.params, 75_515_904);
  assert.equal(cost.active, 2 * qo + kv + router + 2048);
  // 2·(k·expert + kv + router) + scores and AV over 32 heads of 128 and (L+1)/2 keys
  assert.equal(cost.prefillFlops, 2 * (2 * qo + kv + router) + 4 * 32 * 128 * 4097 / 2);
  assert.equal(cost.decodeFlops, 2 * (2 * qo + kv + router) + 4 * 32 * 128 * 4096);
  assert.equal(cost.cacheBytes, 2 * 16 * 128 * 4096 * 2); // shared k/v of 16 heads, bf16
  const touched = expectedExpertsTouched(8, 2, 8);
  assert.equal(cost.expertBytesDecode, touched * qo * 2);
  assert.equal(cost.decodeBytes, (kv + router + 2048) * 2 + touched * qo * 2 + 8 * (cost.cacheBytes + 2 * 16 * 128 * 2));
});

test('attention(experts: 1, top_k: 1) is dense attention plus a d×1 router; checks name the argument', () => {
  const dense = run('attention', { heads: 8, kv_heads: 4 }, dims(512)).cost;
  const one = run('attention', { heads: 8, kv_heads: 4, experts: 1, top_k: 1 }, dims(512)).cost;
  assert.equal(one.params - dense.params, 512);
  assert.equal(one.prefillFlops - dense.prefillFlops, 2 * 512);
  const issue = (args: Record<string, number | boolean>): string[] => run('attention', { heads: 8, kv_heads: 4, ...args }, dims(512)).issues.map((i) => `${i.arg}: ${i.message}`);
  assert.match(issue({ experts: 4 }).join(), /experts: 'experts' and 'top_k' go together/);
  assert.match(issue({ experts: 2, top_k: 3 }).join(), /top_k: top_k \(3\) exceeds experts \(2\)/);
  assert.match(issue({ experts: 4, top_k: 4 }).join(), /heads: heads \(8\) must be top_k \(4\) × a multiple of kv_heads \(4\)/);
  assert.match(issue({ experts: 4, top_k: 2, qkv_bias: true }).join(), /qkv_bias: 'qkv_bias' is not supported with experts/);
});

test('linear_attention(style: lightning): MiniMax-Text-01 / M1 layer, L 4096, B 8', () => {
  const { cost } = run('linear_attention', { heads: 64, head_dim: 128, style: 'lightning' }, dims(6144), { seq: 4096, batch: 8 });
  // qkv_proj 6144·3·8192 + output_gate 6144·8192 + out_proj 8192·6144 + norm 8192
  assert.equal(cost.params, 5 * 6144 * 8192 + 8192);
  assert.equal(cost.params, 251_666_432);
  // 3 MACs per state element (decay, kᵀv, q·S): 6·H·hd² FLOPs; the state 64·128² in fp32, constant in L
  assert.equal(cost.prefillFlops, 2 * 5 * 6144 * 8192 + 6 * 64 * 128 * 128);
  assert.equal(cost.decodeFlops, cost.prefillFlops);
  assert.equal(cost.cacheBytes, 64 * 128 * 128 * 4);
  const plain = run('linear_attention', { heads: 64, head_dim: 128 }, dims(6144)).cost;
  assert.equal(cost.params - plain.params, 6144 * 8192 + 8192);
});
