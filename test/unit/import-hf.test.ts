/**
 * `archlens import`: Hugging Face config.json → .arch text → semantic analysis → cost engine.
 * Fixtures under test/fixtures/hf/<model>/config.json copy the published config.json fields.
 * Exact counts: /work/shared/reference/models.md §D.2 ([C] computed from the config fields) unless
 * another source is cited; approximate counts use the precision of the publisher's statement.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { convertHfConfig, ImportError } from '../../language-server/src/import/hf';
import { main } from '../../language-server/src/cli/main';
import { costs, fixture, FIXTURES, importFixture } from '../helpers/importHf';

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toLocaleString()} not within ±${tolerance.toLocaleString()} of ${expected.toLocaleString()}`);
}

test('gpt2: 124,439,808 (models.md D.2; tied, learned positions, LayerNorm + biases)', () => {
  const r = importFixture('gpt2');
  assert.equal(r.total, 124_439_808);
  assert.match(r.text, /embedding\(positions: 1024\)/);
  assert.match(r.text, /# note: 'tie_word_embeddings' is not in the config; using the GPT2Config default/);
  assert.match(r.text, /# note: 'n_inner' is null or absent/);
});

test('Meta-Llama-3-8B: 8,030,261,248 (models.md D.2), non-embedding 6,979,588,096', () => {
  const r = importFixture('Meta-Llama-3-8B');
  assert.equal(r.total, 8_030_261_248);
  assert.equal(r.total - 2 * r.embedding, 6_979_588_096); // untied: embedding and lm_head both vocab·d
  assert.equal(r.active, r.total);
  assert.match(r.text, /attention\(heads: 32, kv_heads: 8, head_dim: 128, rope_theta: 500_000\)/);
});

test('Llama-3.1-70B: 70,553,706,496 (models.md D.2)', () => {
  assert.equal(importFixture('Llama-3.1-70B').total, 70_553_706_496);
});

test('Mistral-7B-v0.1: 7,241,732,096 (models.md D.2), sliding window 4096 on every layer', () => {
  const r = importFixture('Mistral-7B-v0.1');
  assert.equal(r.total, 7_241_732_096);
  assert.match(r.text, /attention\(heads: 32, kv_heads: 8, head_dim: 128, window: 4096, rope_theta: 10_000\)\n/);
});

test('Mixtral-8x7B: 46,702,792,704 total / 12,879,925,248 active (models.md D.2)', () => {
  const r = importFixture('Mixtral-8x7B-v0.1');
  assert.equal(r.total, 46_702_792_704);
  assert.equal(r.active, 12_879_925_248);
  assert.doesNotMatch(r.text, /window/); // sliding_window: null
});

test('DeepSeek-V3: main 671,026,404,352; with MTP 684,489,830,400 (models.md D.2 less the router buffer)', () => {
  const r = importFixture('DeepSeek-V3');
  // models.md D.2 counts e_score_correction_bias (671,026,419,200), but transformers' DeepseekV3TopkRouter
  // registers it as a buffer, so the class's parameter list has 58 MoE layers × 256 = 14,848 fewer.
  assert.equal(r.total, 671_026_419_200 - 58 * 256);
  assert.doesNotMatch(r.text, /router_bias/);
  assert.match(r.text, /e_score_correction_bias is a buffer, not a parameter/);
  // models.md: active 37.55B including embedding + head.
  near(r.active, 37.55e9, 0.005e9, 'DeepSeek-V3 active');
  assert.match(r.text, /gated_mlp\(d_ff: 18_432, act: silu\) at first 3/);
  assert.match(r.text, /moe\(.*\) at not first 3/);
  assert.match(r.text, /model M_MTP extends M \{/);
  assert.match(r.text, /linear\(d_in: 2 \* d_model, d_out: d_model\)/);
  assert.equal(r.all.get('M_MTP')!.total, 684_489_845_504 - 59 * 256); // the MTP layer is MoE too
});

test('Qwen3-8B: 8,190,735,360 (models.md D.2), non-embedding 6,946,075,648, qk-norm', () => {
  const r = importFixture('Qwen3-8B');
  assert.equal(r.total, 8_190_735_360);
  assert.equal(r.total - 2 * r.embedding, 6_946_075_648);
  assert.match(r.text, /qk_norm: true/);
});

test('mamba-2.8b-hf: 2,768,345,600 (models.md D.2; vocab 50280, tied by the MambaConfig default)', () => {
  const r = importFixture('mamba-2.8b-hf');
  assert.equal(r.total, 2_768_345_600);
  assert.match(r.text, /vocab = 50_280/);
  assert.match(r.text, /# note: 'tie_word_embeddings' is not in the config; using the MambaConfig default tie_word_embeddings = true/);
});

test('mamba2-2.7b (state-spaces config): 2,702,599,680 (models.md D.2; vocab 50277 → 50288)', () => {
  const r = importFixture('mamba2-2.7b');
  assert.equal(r.total, 2_702_599_680);
  assert.match(r.text, /vocab = 50_288/);
  assert.match(r.text, /# note: vocab_size 50277 padded to a multiple of pad_vocab_size_multiple 16: 50288/);
  assert.match(r.text, /# note: 'headdim' is not in the config; using the mamba_ssm Mamba2 default headdim = 64/);
});

test('mamba2 in the transformers Mamba2Config style gives the same 2,702,599,680', () => {
  // The same model expressed with Mamba2Config fields (what a transformers conversion would write).
  const hf = {
    architectures: ['Mamba2ForCausalLM'], model_type: 'mamba2', hidden_size: 2560, num_hidden_layers: 64, vocab_size: 50288,
    state_size: 128, head_dim: 64, num_heads: 80, n_groups: 1, expand: 2, conv_kernel: 4, use_bias: false,
    use_conv_bias: true, tie_word_embeddings: true, torch_dtype: 'bfloat16',
  };
  const text = convertHfConfig(hf, 'M');
  assert.equal(costs(text).get('M')!.total, 2_702_599_680);
});

test('Jamba-v0.1: 51,570,323,328 total / 12,110,311,296 active (models.md D.2)', () => {
  const r = importFixture('Jamba-v0.1');
  assert.equal(r.total, 51_570_323_328);
  assert.equal(r.active, 12_110_311_296);
  assert.match(r.text, /attention\(.*\) at every 8 from 4/);
  assert.match(r.text, /mamba\(.*dt_norms: true\) at not every 8 from 4/);
  assert.match(r.text, /moe\(experts: 16, top_k: 2, d_ff: 14_336\) at every 2 from 1/);
});

test('Qwen2-7B: 7,615,616,512 (safetensors total of Qwen/Qwen2-7B, "7.62B"; q/k/v biases)', () => {
  const r = importFixture('Qwen2-7B');
  assert.equal(r.total, 7_615_616_512);
  assert.match(r.text, /qkv_bias: true/);
  assert.doesNotMatch(r.text, /attention\([^)]*(out_bias|window)/); // o_proj has no bias; use_sliding_window: false
});

test('Qwen3-30B-A3B: 30.5B total, 3.3B active "as stated" on the model card', () => {
  const r = importFixture('Qwen3-30B-A3B');
  // Hand count from the config: 30,532,122,624 total; 3,353,032,704 active (router + 8 of 128 experts).
  assert.equal(r.total, 30_532_122_624);
  near(r.total, 30.5e9, 0.05e9, 'Qwen3-30B-A3B total');
  // Card: "Number of Activated Parameters: 3.3B"; the count is 3.35B, so ±0.06B.
  near(r.active, 3.3e9, 0.06e9, 'Qwen3-30B-A3B active');
});

test('gemma-2-9b: 9,241,705,984 (safetensors "9.24B"); sandwich norms, tied, alternating local/global', () => {
  const r = importFixture('gemma-2-9b');
  assert.equal(r.total, 9_241_705_984);
  near(r.total, 9.24e9, 0.005e9, 'gemma-2-9b');
  assert.match(r.text, /window: 4096.*\) at every 2 {2}# local/);
  assert.match(r.text, /\) at every 2 from 1 {2}# global/);
  assert.match(r.text, /rmsnorm {2}# pre_feedforward_layernorm/);
  assert.match(r.text, /rmsnorm {2}# post_feedforward_layernorm/);
  assert.match(r.text, /tied = true/);
  assert.match(r.text, /# note: 'tie_word_embeddings' is not in the config; using the Gemma2Config default/);
});

test('gemma-3-4b-it text decoder: 3,880,263,168 = 4,300,079,472 (safetensors) − SigLIP tower − projector', () => {
  const r = importFixture('gemma-3-4b-it');
  // Safetensors total 4,300,079,472 ("4.3B") includes the SigLIP vision tower (27 layers, d 1152,
  // 4304 MLP, 896/14 = 64² patches: 416,866,032) and the projector (1152·2560 + 1152 = 2,950,272).
  assert.equal(r.total, 4_300_079_472 - 416_866_032 - 2_950_272);
  assert.match(r.text, /window: 1024, qk_norm: true, rope_theta: 10_000\) at not every 6 from 5/);
  assert.match(r.text, /qk_norm: true, rope_theta: 1_000_000\) at every 6 from 5 {2}# global/);
  assert.match(r.text, /# note: 'num_key_value_heads' is not in the config; using the Gemma3TextConfig default num_key_value_heads = 4/);
  assert.match(r.text, /# note: vision tower/);
});

test('gemma-3-1b-it (gemma3_text): 999,885,952 ("1B"), 5 local : 1 global', () => {
  const r = importFixture('gemma-3-1b-it');
  // Embedding 262144·1152 + 26 layers · 26,842,112 + final norm 1152.
  assert.equal(r.total, 999_885_952);
  assert.match(r.text, /window: 512.*at not every 6 from 5/);
});

test('Phi-3-mini-4k-instruct: 3,821,079,552 ("3.8B"; fused qkv counts as separate)', () => {
  const r = importFixture('Phi-3-mini-4k-instruct');
  assert.equal(r.total, 3_821_079_552);
  near(r.total, 3.82e9, 0.005e9, 'Phi-3-mini');
  assert.match(r.text, /window: 2047/);
});

test('gpt-oss-20b: 20.9B total, 3.6B active (model card: 20.91B / 3.61B active excl. the embedding)', () => {
  const r = importFixture('gpt-oss-20b');
  assert.equal(r.total, 20_914_757_184);
  near(r.total, 20.91e9, 0.005e9, 'gpt-oss-20b total');
  // The card counts the unembedding but not the embedding among active parameters.
  near(r.active - r.embedding, 3.61e9, 0.005e9, 'gpt-oss-20b active');
  assert.match(r.text, /window: 128, qkv_bias: true, out_bias: true, sinks: true.*at every 2 {2}# local/);
  assert.match(r.text, /expert_bias: true, router_bias: true/);
});

test('falcon-mamba-7b: 7.27B (model card / safetensors 7,272,665,088); intermediate_size wins over expand', () => {
  const r = importFixture('falcon-mamba-7b');
  assert.equal(r.total, 7_272_665_088);
  near(r.total, 7.27e9, 0.005e9, 'falcon-mamba-7b');
  assert.match(r.text, /d_inner: 8192/);
});

test('unknown model_type that cannot be mapped: ImportError naming it and the supported list (more in import-fallback)', () => {
  assert.throws(() => convertHfConfig({ model_type: 'bert', hidden_size: 768 }, 'M'),
    (e: Error) => e instanceof ImportError && /unsupported model_type 'bert'/.test(e.message) && /llama/.test(e.message));
  assert.throws(() => convertHfConfig({ architectures: ['BertModel'] }, 'M'), /unsupported model_type 'BertModel'/);
  assert.throws(() => convertHfConfig({ hidden_size: 1 }, 'M'), /'model_type' is missing/);
  assert.throws(() => convertHfConfig([1, 2], 'M'), ImportError);
});

test('missing fields: the message names the field; documented defaults add notes', () => {
  const mistral = { ...(fixture('Mistral-7B-v0.1') as object) } as Record<string, unknown>;
  delete mistral.num_key_value_heads;
  assert.throws(() => convertHfConfig(mistral, 'M'), (e: Error) => e instanceof ImportError
    && e.message === "config field 'num_key_value_heads' is missing (needed for mistral attention)");
  const llama = { ...(fixture('Meta-Llama-3-8B') as object) } as Record<string, unknown>;
  delete llama.num_key_value_heads;
  const text = convertHfConfig(llama, 'M');
  assert.match(text, /# note: 'num_key_value_heads' is not in the config; using the LlamaConfig default num_key_value_heads = num_attention_heads = 32/);
  assert.match(text, /kv_heads: 32/);
  const ds = { ...(fixture('DeepSeek-V3') as object) } as Record<string, unknown>;
  delete ds.kv_lora_rank;
  assert.throws(() => convertHfConfig(ds, 'M'), /config field 'kv_lora_rank' is missing \(needed for deepseek_v3 MLA attention\)/);
  assert.throws(() => convertHfConfig({ model_type: 'llama', hidden_size: 'big' }, 'M'), /config field 'hidden_size' must be a positive integer, found "big"/);
});

test('the caller\'s config object is not modified; model names become identifiers', () => {
  const cfg = fixture('Mistral-7B-v0.1') as Record<string, unknown>;
  delete cfg.sliding_window;
  const text = convertHfConfig(cfg, 'Mistral-7B v0.1');
  assert.equal('sliding_window' in cfg, false);
  assert.match(text, /# note: 'sliding_window' is not in the config; using the MistralConfig default sliding_window = 4096/);
  assert.match(text, /^model Mistral_7B_v0_1 \{$/m);
});

test('CLI: archlens import <config.json> prints .arch text; errors exit 1 with file:1:1', () => {
  let out = '';
  let err = '';
  // main()'s io type is inferred from process.stdout.write, which returns a boolean.
  const io = { out: (s: string) => { out += s; return true; }, err: (s: string) => { err += s; return true; } };
  const file = path.join(FIXTURES, 'Meta-Llama-3-8B', 'config.json');
  assert.equal(main(['import', file], io), 0);
  assert.equal(err, '');
  assert.match(out, /^model Meta_Llama_3_8B \{$/m);
  assert.equal(costs(out).get('Meta_Llama_3_8B')!.total, 8_030_261_248);
  out = '';
  assert.equal(main(['import', file, '--name', 'Llama3'], io), 0);
  assert.match(out, /^model Llama3 \{$/m);
  err = '';
  // A readable config of an unsupported family: ImportError → `file:1:1: error: …`, exit 1.
  const tmp = path.join(os.tmpdir(), `archlens-import-${process.pid}.json`);
  fs.writeFileSync(tmp, JSON.stringify({ model_type: 'bert' }));
  try {
    assert.equal(main(['import', tmp], io), 1);
    assert.match(err, /:1:1: error: unsupported model_type 'bert'/);
  } finally { fs.unlinkSync(tmp); }
});
