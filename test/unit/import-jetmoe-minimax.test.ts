/**
 * Importers of JetMoE (mixture of attention heads + MoE MLP) and MiniMax (lightning / softmax attention hybrid with
 * MoE). Each expected total is counted by hand from the transformers modeling file's parameter list (what
 * `model.parameters()` visits; tied weights once, buffers not at all), then checked against the model card.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, importConfig, importFixture } from '../helpers/importHf';
import { convertHfConfig, ImportError } from '../../language-server/src/import/hf';
import { probeModel } from '../../language-server/src/compile/probe';
import { analyzeText } from '../helpers/memoryHost';
import { compileRunCheck } from './compile-harness';

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

// MiniMax-M1 (MiniMaxAI/MiniMax-M1-40k / -80k share it). VERBATIM fixture: the config.json of the MiniMax-M1 release
// repository as a public snapshot of that repository prints it (find_string id 54036155376), written back with
// json.dumps(indent=2, sort_keys=True) as transformers saves configs. Hand count from transformers modeling_minimax.py
// (MiniMaxConfig reads the same fields; attn_type_list 0 = lightning, 1 = softmax, every 8th layer): 70 lightning layers
// × (qkv_proj 6144·3·8192 + output_gate 6144·8192 + out_proj 8192·6144 + norm 8192); 10 softmax layers × (q/o
// 2·6144·8192, k/v 2·6144·1024); every layer router 32·6144, 32 experts × 3·6144·9216, two RMSNorms; untied embed +
// lm_head 2·200064·6144; final norm. Model card (MiniMax-M1, MiniMax-Text-01): "456 billion parameters with 45.9
// billion activated per token" — the 45.9B is the layers' 45,944,913,920 active below (without embed and lm_head).
test('MiniMax-M1: 456,089,655,296 total, 48,403,306,496 active (hand count from MiniMaxForCausalLM)', () => {
  const r = importFixture('MiniMax-M1');
  const d = 6144;
  const lightning = 5 * d * 8192 + 8192;
  const softmax = 2 * d * 8192 + 2 * d * 1024;
  const expert = 3 * d * 9216;
  const router = 32 * d;
  assert.equal(lightning, 251_666_432);
  assert.equal(softmax, 113_246_208);
  const layers = 70 * lightning + 10 * softmax + 80 * (router + 32 * expert + 2 * d);
  const layersActive = 70 * lightning + 10 * softmax + 80 * (router + 2 * expert + 2 * d);
  assert.equal(r.total, layers + 2 * 200_064 * d + d);
  assert.equal(r.total, 456_089_655_296);
  assert.equal(r.active, layersActive + 2 * 200_064 * d + d);
  assert.equal(r.active, 48_403_306_496);
  assert.equal(layersActive, 45_944_913_920);
  assert.match(r.text, /attention\(heads: 64, kv_heads: 8, head_dim: 128, rope_theta: 10_000_000\) at every 8 from 7/);
  assert.match(r.text, /linear_attention\(heads: 64, head_dim: 128, style: lightning\) at not every 8 from 7/);
});

test('minimax: layer_types (transformers) = attn_type_list; the class default alternates; a shared expert is refused', () => {
  const m1 = fixture('MiniMax-M1');
  const { attn_type_list: list, ...rest } = m1;
  const types = (list as number[]).map((t) => (t === 1 ? 'full_attention' : 'linear_attention'));
  const hf = importConfig({ ...rest, model_type: 'minimax', architectures: ['MiniMaxForCausalLM'], layer_types: types });
  assert.equal(hf.total, importFixture('MiniMax-M1').total);
  const small = { model_type: 'minimax', hidden_size: 64, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 32, vocab_size: 100 };
  const alt = importConfig(small);
  const moe = 8 * 3 * 64 * 32 + 8 * 64;
  assert.equal(alt.total, 2 * (2 * 64 * 64 + 2 * 64 * 32) + 2 * (5 * 64 * 64 + 64) + 4 * (moe + 2 * 64) + 2 * 100 * 64 + 64);
  assert.match(alt.text, /MiniMaxConfig default: full attention on even layers/);
  assert.throws(() => convertHfConfig({ ...m1, shared_intermediate_size: 512 }, 'M'), (e: unknown) => e instanceof ImportError && /shared_intermediate_size/.test((e as Error).message));
  assert.throws(() => convertHfConfig({ ...m1, attn_type_list: [0, 1] }, 'M'), /2 entries but the model has 80 layers/);
});

// The imported models compile: a probe (layers 8 so MiniMax keeps a softmax layer, widths ÷ 64) runs on onnxruntime
// with initializer parameters = the engine's and FLOPs within 1 % (compile-harness.ts).
test('imported JetMoE-8B and MiniMax-M1 probes compile, run and count as the engine does', async () => {
  for (const name of ['jetmoe-8b', 'MiniMax-M1']) {
    const a = analyzeText(convertHfConfig(fixture(name), 'M'));
    const probe = probeModel(a.models[0], { layers: 8, width: 64, seq: 16 });
    assert.ok(probe.blocks.some((b) => b.kind === 'attention'), name);
    await compileRunCheck(probe, 16);
  }
});
