/**
 * Importers of JetMoE (mixture of attention heads + MoE MLP) and MiniMax (lightning / softmax attention hybrid with
 * MoE). Each expected total is counted by hand from the transformers modeling file's parameter list (what
 * `model.parameters()` visits; tied weights once, buffers not at all), then checked against the model card.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, importConfig, importFixture } from '../helpers/importHf';
import { convertHfConfig, ImportError } from '../../language-server/src/import/hf';

// jetmoe/jetmoe-8b. TRANSCRIBED fixture (the released config.json was not found in the public index): the fields of
// the original jetmoe package's JetMoEConfig (moe_num_experts, moe_top_k, ffn_hidden_size, kv_channels) with the
// model card's sizes (24 blocks, 8 experts per MoA and MoE layer, top-2) and the JetMoeConfig docstring's widths.
// Hand count from transformers modeling_jetmoe.py, per layer: JetMoeMoA input_linear 8·2048·(16·128) + output_linear
// 8·(16·128)·2048 + router 8·2048 + bias 2048; kv_proj 2048·2·16·128; JetMoeMoE input_linear 8·(2·5632)·2048 +
// output_linear 8·5632·2048 + router 8·2048 + bias 2048; two RMSNorms 2·2048. Tied embedding 32000·2048, final norm.
// Model card: "8 billion parameters in total and 2.2B active"; the brief's 8.52B total = 8,522,237,952 below;
// the card's 2.2B active is the layers' 2,265,907,200 (without the embedding).
test('jetmoe/jetmoe-8b: 8,522,237,952 total, 2,331,445,248 active (hand count from JetMoeForCausalLM)', () => {
  const r = importFixture('jetmoe-8b');
  const d = 2048;
  const qo = 2 * d * 16 * 128;
  const moa = 8 * qo + 8 * d + d + 2 * d * 16 * 128;
  const moaActive = 2 * qo + 8 * d + d + 2 * d * 16 * 128;
  const expert = 3 * 5632 * d;
  const mlp = 8 * expert + 8 * d + d;
  const mlpActive = 2 * expert + 8 * d + d;
  assert.equal(moa, 75_515_904);
  assert.equal(mlp, 276_842_496);
  assert.equal(r.total, 24 * (moa + mlp + 2 * d) + 32_000 * d + d);
  assert.equal(r.total, 8_522_237_952);
  assert.equal(r.active, 24 * (moaActive + mlpActive + 2 * d) + 32_000 * d + d);
  assert.equal(r.active, 2_331_445_248);
  assert.equal(24 * (moaActive + mlpActive + 2 * d), 2_265_907_200);
  assert.match(r.text, /attention\(heads: 32, kv_heads: 16, head_dim: 128, experts: 8, top_k: 2, out_bias: true/);
  assert.match(r.text, /read the jetmoe package's 'moe_num_experts' = 8/);
});

test('jetmoe: transformers field names give the same model; heads follow KV·top_k; top_k > experts is refused', () => {
  const legacy = importFixture('jetmoe-8b');
  const { moe_num_experts: _e, moe_top_k: _k, ffn_hidden_size: _f, ...rest } = fixture('jetmoe-8b');
  const hf = importConfig({ ...rest, num_local_experts: 8, num_experts_per_tok: 2, intermediate_size: 5632, num_attention_heads: 7 });
  assert.equal(hf.total, legacy.total);
  assert.equal(hf.active, legacy.active);
  assert.match(hf.text, /num_attention_heads 7 is ignored/);
  const top4 = importConfig({ ...rest, num_local_experts: 8, num_experts_per_tok: 4, intermediate_size: 5632 });
  assert.match(top4.text, /attention\(heads: 64, kv_heads: 16/);
  assert.equal(top4.active - hf.active, 24 * 2 * (2 * 2048 * 2048 + 3 * 5632 * 2048));
  assert.throws(() => convertHfConfig({ ...rest, num_local_experts: 2, num_experts_per_tok: 3 }, 'M'), (e: unknown) => e instanceof ImportError && /exceeds the 2 experts/.test((e as Error).message));
});
