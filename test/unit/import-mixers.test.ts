/**
 * Importers of the recurrent-mixer families (issue 12): each expected total is counted by hand from the reference
 * implementation's own parameter list (transformers `modeling_<family>.py`: what `model.parameters()` visits).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costs, importConfig, importFixture } from '../helpers/importHf';

// google/recurrentgemma-2b config.json (the fields that set counts; the released file spells the cycle
// `_block_types`, so RecurrentGemmaConfig keeps its default recurrent, recurrent, attention). Hand count from
// RecurrentGemmaModel: embed 256000·2560 (tied) + 26 × (2 RMSNorms 2·2560 + MLP 2·(2560·7680 + 7680) + 7680·2560
// + 2560) + 18 RecurrentBlocks × 20,999,680 (linear_x, linear_y 2·(2560² + 2560), linear_out 2560² + 2560, conv1d
// 2560·4 + 2560, RG-LRU 2560 + 2·(10·256² + 10·256)) + 8 attention layers × 14,420,480 (q, o 2560², k, v
// 2560·256, o_proj bias 2560) + final_norm 2560 = 2,682,862,080. The often-quoted 2,683,192,320 is 330,240 =
// 129·2560 more: a 256,128-row embedding plus one more d-vector, which the released config does not describe.
test('google/recurrentgemma-2b: 2,682,862,080 (hand count from RecurrentGemmaModel; 2.7B)', () => {
  const r = importFixture('recurrentgemma-2b');
  const layer = 2 * 2560 + 2 * (2560 * 7680 + 7680) + 7680 * 2560 + 2560;
  const recurrent = 2 * (2560 * 2560 + 2560) + 2560 * 2560 + 2560 + 2560 * 4 + 2560 + 2560 + 2 * (10 * 256 * 256 + 2560);
  const attention = 2 * 2560 * 2560 + 2 * 2560 * 256 + 2560;
  assert.equal(recurrent, 20_999_680);
  assert.equal(attention, 14_420_480);
  assert.equal(r.total, 256_000 * 2560 + 26 * layer + 18 * recurrent + 8 * attention + 2560);
  assert.equal(r.total, 2_682_862_080);
  assert.equal(r.active, r.total);
  assert.match(r.text, /rg_lru\(heads: 10, d_conv: 4\) at not every 3 from 2/);
  assert.match(r.text, /attention\(heads: 10, kv_heads: 1, head_dim: 256, window: 2048, out_bias: true.*\) at every 3 from 2/);
  assert.match(r.text, /gated_mlp\(d_ff: 7680, act: gelu, bias: true\)/);
});

test('recurrent_gemma: a block_types cycle of its own and lru_width ≠ hidden_size', () => {
  const r = importConfig({ model_type: 'recurrent_gemma', hidden_size: 64, num_hidden_layers: 4, num_attention_heads: 4,
    num_key_value_heads: 2, lru_width: 96, intermediate_size: 256, vocab_size: 100, block_types: ['attention', 'recurrent'] });
  const rec = 2 * (64 * 96 + 96) + 96 * 64 + 64 + 96 * 4 + 96 + 96 + 2 * (4 * 24 * 24 + 96);
  const att = 2 * 64 * 64 + 2 * 64 * 32 + 64;
  const layer = 2 * 64 + 2 * (64 * 128 + 128) + 128 * 64 + 64;
  assert.equal(r.total, 100 * 64 + 4 * layer + 2 * rec + 2 * att + 64);
  assert.match(r.text, /rg_lru\(heads: 4, width: 96, d_conv: 4\) at every 2 from 1/);
});

// Qwen/Qwen3-Next-80B-A3B-Instruct config.json. Hand count from Qwen3NextForCausalLM: embed + lm_head 2·151936·2048
// + 36 Gated DeltaNet layers × 33,718,464 (in_proj_qkvz 2048·(2·16·128 + 2·32·128), in_proj_ba 2048·64, conv
// 8192·4, dt_bias + A_log 64, norm 128, out_proj 4096·2048) + 12 attention layers × 27,263,488 (q_proj 2048·2·16·256
// with the output gate, k/v 2048·512 each, o_proj 4096·2048, q/k norms 2·256) + 48 MoE blocks × 1,614,809,088
// (router 2048·512, 512 experts 3·2048·512, shared expert 3·2048·512, shared_expert_gate 2048) + 97 RMSNorms of 2048
// = 79,674,391,296; active (10 experts of 512) 3,874,929,408. The MTP layer of the checkpoint is not in the model.
test('Qwen/Qwen3-Next-80B-A3B: 79,674,391,296 total, 3,874,929,408 active (80B / 3B; hand count)', () => {
  const r = importFixture('Qwen3-Next-80B-A3B-Instruct');
  const gdn = 2048 * (2 * 16 * 128 + 2 * 32 * 128) + 2048 * 64 + 8192 * 4 + 64 + 128 + 4096 * 2048;
  const attn = 2048 * 2 * 16 * 256 + 2 * 2048 * 512 + 4096 * 2048 + 2 * 256;
  const moe = (k: number): number => 2048 * 512 + k * 3 * 2048 * 512 + 3 * 2048 * 512 + 2048;
  const rest = 2 * 151_936 * 2048 + 36 * gdn + 12 * attn + 97 * 2048;
  assert.equal(gdn, 33_718_464);
  assert.equal(r.total, rest + 48 * moe(512));
  assert.equal(r.total, 79_674_391_296);
  assert.equal(r.active, rest + 48 * moe(10));
  assert.equal(r.active, 3_874_929_408);
  assert.match(r.text, /gated_deltanet\(heads: 32, key_heads: 16, head_dim: 128, value_head_dim: 128, d_conv: 4\) at not every 4 from 3/);
  assert.match(r.text, /attention\(heads: 16, kv_heads: 2, head_dim: 256, qk_norm: true, gate: true.*\) at every 4 from 3/);
});

// fla GatedLinearAttention (fla/layers/gla.py) at the GLA paper's 1.3B width: q, k 2048·1024; v, g 2048·2048;
// gk_proj 2048·16 + 16·1024 + 1024; o_proj 2048·2048; g_norm 512 (head_v_dim).
test('gla: GLA 1.3B layer 16,827,904 (fla GatedLinearAttention parameter list)', () => {
  const c = costs('model M {\n  d_model = 2048\n  gla(heads: 4)\n}\n').get('M')!;
  assert.equal(c.total, 2 * 2048 * 1024 + 2 * 2048 * 2048 + 2048 * 16 + 16 * 1024 + 1024 + 2048 * 2048 + 512);
  assert.equal(c.total, 16_827_904);
});
