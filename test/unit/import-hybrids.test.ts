/**
 * Importers of the Mamba-2 hybrids with shared or parallel blocks (issue 12): Zamba2 (shared attention + MLP
 * blocks with per-invocation LoRA adapters) and Falcon-H1 (attention and Mamba-2 in parallel in every layer),
 * with two shared blocks (Zamba2-2.7B). Each expected total is counted by hand from the transformers modeling file's parameter
 * list (what `model.parameters()` visits; tied weights once).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importConfig, importFixture } from '../helpers/importHf';
import { convertHfConfig } from '../../language-server/src/import/hf';

// Zyphra/Zamba2-1.2B. TRANSCRIBED fixture (not read from the released config.json): 38 layers, d 2048, hybrid
// layers 5, 11, …, 35 with one shared block and rank-128 adapters as described in llama.cpp PR #21412 (Zamba2
// support) and the Zamba2 report (arXiv 2411.15242); the remaining Zamba2Config fields as we recall the hub file.
// Hand count from transformers modeling_zamba2.py: embed 32000·2048 (tied) + 38 Mamba layers × 25,849,280 (in_proj
// 2048·(2·4096 + 2·128 + 64), conv1d 4352·4 + 4352, dt_bias/A_log/D 3·64, gated norm 4096, out_proj 4096·2048,
// input_layernorm 2048) + one shared Zamba2AttentionDecoderLayer 109,058,048 (input_layernorm 4096, q/k/v 3·4096·4096,
// o_proj 4096·2048, pre_ff_layernorm 2048, gate_up 2048·16384, down 8192·2048) + 6 hybrid layers × 9,699,328
// (gate_up adapter 2048·128 + 128·16384, q/k/v adapters 3·(4096·128 + 128·4096), linear 2048²) + final norm 2048.
test('Zyphra/Zamba2-1.2B: 1,215,064,704 (hand count from Zamba2ForCausalLM; shared block counted once)', () => {
  const r = importFixture('Zamba2-1.2B');
  const mamba = 2048 * 8512 + 4352 * 5 + 3 * 64 + 4096 + 4096 * 2048 + 2048;
  const shared = 4096 + 3 * 4096 * 4096 + 4096 * 2048 + 2048 + 2048 * 16_384 + 8192 * 2048;
  const perHybrid = 2048 * 128 + 128 * 16_384 + 3 * (4096 * 128 + 128 * 4096) + 2048 * 2048;
  assert.equal(mamba, 25_849_280);
  assert.equal(shared, 109_058_048);
  assert.equal(perHybrid, 9_699_328);
  assert.equal(r.total, 32_000 * 2048 + 38 * mamba + shared + 6 * perHybrid + 2048);
  assert.equal(r.total, 1_215_064_704);
  assert.equal(r.active, r.total);
  assert.match(r.text, /attention\(heads: 32, kv_heads: 32, head_dim: 128, rope_theta: 10_000\) shared at every 6 from 5/);
  assert.match(r.text, /linear\(d_in: 128, d_out: 4096\) x 3 at every 6 from 5/);
});

// Zyphra/Zamba2-2.7B. TRANSCRIBED fixture: the dimensions of the public config as a transformers audit tabulates them
// (find_string id 56932373594: d 2560, 54 layers = 45 mamba + 9 hybrid, 32 / 32 heads of 160, 80 Mamba heads of 64,
// 1 group, d_state 64, MLP 10240, no mem RoPE, no attention adapters, num_mem_blocks 2); the hybrid positions (every
// 6 from 5) are assumed — the count does not depend on them. Cross-check: the original implementation's released
// config (Zyphra/Zamba2 config.json @ 89a404b0, verbatim) has num_layers 54, hidden_size 2560, state_size 64,
// conv_dimension 4, expansion_factor 2, add_bias_linear false, lora_rank 128, 32 attention / mem heads,
// padded_vocab_size 32000, num_mem_blocks 2 and 9 'g' (shared block) entries in layer_mapping (at 6, 12, …, 42, 47,
// 51 in its own indexing, not read here). Checks the num_mem_blocks = 2 adapter count against
// transformers modeling_zamba2.py: Zamba2Model builds num_mem_blocks Zamba2AttentionDecoderLayer and cycles them over
// the hybrid layers; block b's Zamba2MLP holds a gate_up adapter only for the hybrid invocations i with
// i % num_mem_blocks == b (nn.Identity for the others), so the adapters are one set per hybrid layer, not per block.
// Hand count: 54 Mamba layers × 39,888,240 (in_proj 2560·(5120 + 5248 + 80), conv1d 5248·4 + 5248, dt_bias/A_log/D
// 3·80, gated norm 5120, out_proj 5120·2560, input_layernorm 2560) + 2 shared blocks × 170,401,280 (input_layernorm
// 5120, q/k/v 3·5120², o_proj 5120·2560, pre_ff_layernorm 2560, gate_up 2560·20480, down 10240·2560) + 9 hybrid layers
// × 9,502,720 (gate_up adapter 2560·128 + 128·20480, linear 2560²) + tied embedding 32000·2560 + final norm.
test('Zyphra/Zamba2-2.7B: 2,662,214,560 (hand count from Zamba2ForCausalLM; two shared blocks, 9 adapter sets)', () => {
  const r = importFixture('Zamba2-2.7B');
  const mamba = 2560 * 10_448 + 5248 * 5 + 3 * 80 + 5120 + 5120 * 2560 + 2560;
  const shared = 5120 + 3 * 5120 * 5120 + 5120 * 2560 + 2560 + 2560 * 20_480 + 10_240 * 2560;
  const perHybrid = 2560 * 128 + 128 * 20_480 + 2560 * 2560;
  assert.equal(mamba, 39_888_240);
  assert.equal(shared, 170_401_280);
  assert.equal(perHybrid, 9_502_720);
  assert.equal(r.total, 54 * mamba + 2 * shared + 9 * perHybrid + 32_000 * 2560 + 2560);
  assert.equal(r.total, 2_662_214_560);
  assert.match(r.text, /gated_mlp\(d_ff: 10_240, act: gelu\) shared at every 12 from 5/);
  assert.match(r.text, /linear\(d_out: 128\) at every 6 from 5/);
});

test('zamba2: two shared blocks used in turn count two weight sets; adapters stay one per hybrid layer', () => {
  const base = { model_type: 'zamba2', hidden_size: 64, num_hidden_layers: 4, num_attention_heads: 4, vocab_size: 100,
    intermediate_size: 96, n_mamba_heads: 4, mamba_d_state: 8, adapter_rank: 4, layers_block_type: ['hybrid', 'hybrid', 'mamba', 'hybrid'] };
  const one = importConfig({ ...base, num_mem_blocks: 1 });
  const two = importConfig({ ...base, num_mem_blocks: 2 });
  const block = 128 + 3 * 128 * 128 + 128 * 64 + 64 + 64 * 192 + 96 * 64;
  assert.equal(two.total - one.total, block);
  assert.match(two.text, /block 1: input_layernorm/);
  const withAttnAdapters = importConfig({ ...base, num_mem_blocks: 1, use_shared_attention_adapter: true });
  assert.equal(withAttnAdapters.total - one.total, 3 * 3 * (128 * 4 + 4 * 128));
});

// tiiuae/Falcon-H1-Tiny-90M-Base. TRANSCRIBED fixture, assembled from two public copies of the released config's
// fields: hidden/intermediate/layers/heads/kv heads/vocab/context/tie as a model contract pins them, and head_dim /
// mamba_d_conv / mamba_d_head / mamba_d_ssm / mamba_d_state / mamba_n_groups / mamba_n_heads as an MLX sizing test
// copies them. mamba_rms_norm and the bias flags are absent there: FalconH1Config's defaults (false) apply.
// Hand count from modeling_falcon_h1.py: embed 32768·512 (tied) + 24 layers × 3,098,056 (2 RMSNorms 2·512;
// attention q/o 2·512·512, k/v 2·512·128; FalconH1Mixer in_proj 512·(768 + 896 + 24), conv1d 896·4 + 896,
// dt_bias/A_log/D 3·24, out_proj 768·512, no gated norm; SwiGLU 3·512·768) + final norm 512 = 91,131,072 ("90M").
test('tiiuae/Falcon-H1-Tiny-90M: 91,131,072 (hand count from FalconH1ForCausalLM; mamba_d_ssm 768 ≠ 2·512)', () => {
  const r = importFixture('Falcon-H1-Tiny-90M-Base');
  const mixer = 512 * (768 + 896 + 24) + 896 * 5 + 3 * 24 + 768 * 512;
  const layer = 2 * 512 + 2 * 512 * 512 + 2 * 512 * 128 + mixer + 3 * 512 * 768;
  assert.equal(layer, 3_098_056);
  assert.equal(r.total, 32_768 * 512 + 24 * layer + 512);
  assert.equal(r.total, 91_131_072);
  assert.match(r.text, /mamba2\(d_state: 64, head_dim: 32, n_groups: 1, d_conv: 4, d_inner: 768, norm: false\)/);
  assert.match(r.text, /mamba_d_ssm 768 ≠ mamba_expand·hidden_size/);
});

test('falcon_h1: mamba_rms_norm adds the gated norm (d_ssm per layer); biases are refused by name', () => {
  const cfg = { model_type: 'falcon_h1', hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4,
    num_key_value_heads: 2, head_dim: 16, vocab_size: 100, mamba_d_ssm: 96, mamba_n_heads: 6, mamba_d_head: 16, mamba_d_state: 8 };
  const plain = importConfig(cfg);
  assert.equal(importConfig({ ...cfg, mamba_rms_norm: true }).total - plain.total, 2 * 96);
  assert.equal(importConfig({ ...cfg, mamba_d_head: 'auto' }).total, plain.total);
  assert.throws(() => convertHfConfig({ ...cfg, attention_bias: true }, 'M'), /'attention_bias' = true is not supported/);
});
