/**
 * Issue 12 families: each fixture is the released config.json of the Hugging Face repository named in
 * the row (huggingface.co/<repo>/blob/main/config.json). The expected totals are counted by hand from the
 * reference implementation's own parameter list (transformers `modeling_<family>.py`, i.e. what
 * `sum(p.numel() for p in model.parameters())` visits: buffers excluded), written out in `why`, and agree
 * with the publisher's stated size in `card`. Active = embedding + head + attention + router + top-k experts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importConfig, importFixture } from '../helpers/importHf';

interface Row { repo: string; fixture: string; total: number; active?: number; card: string; why: string; match?: RegExp[] }

const ROWS: Row[] = [
  { repo: 'google/gemma-7b', fixture: 'gemma-7b', total: 8_537_680_896, card: '8.54B', why: 'V·d + 28·(4·3072·4096 + 3·3072·24576 + 2d) + d, tied' },
  { repo: 'google/gemma-2b', fixture: 'gemma-2b', total: 2_506_172_416, card: '2.51B', why: 'MQA: q,o 2048·2048; k,v 2048·256; GeGLU 16384', match: [/kv_heads: 1, head_dim: 256/] },
  { repo: 'allenai/OLMo-2-1124-7B', fixture: 'OLMo-2-1124-7B', total: 7_298_617_344, card: '7.3B', why: '2·V·d + 32·(4d² + q/k norms 2·4096 + 3·d·11008 + 2d) + d', match: [/rmsnorm\(dim: 4096\) {2}# q_norm/] },
  { repo: 'allenai/OLMoE-1B-7B-0924', fixture: 'OLMoE-1B-7B-0924', total: 6_919_161_856, active: 1_282_017_280, card: '6.9B total, 1.3B active', why: '64 experts 3·2048·1024, top-8, router d·64' },
  { repo: 'Qwen/Qwen1.5-MoE-A2.7B', fixture: 'Qwen1.5-MoE-A2.7B', total: 14_315_784_192, active: 2_689_173_504, card: '14.3B total, 2.7B active', why: '60 experts 1408, shared 5632 + gate d×1, q/k/v biases', match: [/linear\(d_out: 1\) {2}# shared_expert_gate/] },
  { repo: 'ibm-granite/granite-3.1-3b-a800m-instruct', fixture: 'granite-3.1-3b-a800m-instruct', total: 3_298_793_472, active: 882_874_368, card: '3.3B total, 800M active', why: '40 experts 512, top-8, tied' },
  { repo: 'ibm-granite/granite-3.0-2b-base', fixture: 'granite-3.0-2b-base', total: 2_533_531_648, card: '2.5B', why: 'Llama layout, d 2048, 40 layers, 32/8, I 8192, tied' },
  { repo: 'microsoft/Phi-3.5-MoE-instruct', fixture: 'Phi-3.5-MoE-instruct', total: 41_873_153_344, active: 6_640_999_744, card: '41.9B total, 6.6B active', why: 'LayerNorms with bias, q/k/v/o biases, 16×3·4096·6400, lm_head bias', match: [/lm_head\(bias: true\)/] },
  { repo: 'databricks/dbrx-base', fixture: 'dbrx-base', total: 131_596_523_520, active: 36_469_708_800, card: '132B total, 36B active', why: 'Wqkv 6144·8192, 16 experts 3·6144·10752, top-4, LayerNorm without bias' },
  { repo: 'deepseek-ai/DeepSeek-V2-Lite', fixture: 'DeepSeek-V2-Lite', total: 15_706_484_224, active: 2_661_150_208, card: '15.7B total, 2.4B active without the embedding', why: 'MLA with q_proj (no q LoRA), layer 0 dense 10944, 26 MoE layers 64×1408 + 2 shared, no router bias', match: [/q_lora: 0/] },
  { repo: 'meta-llama/Llama-4-Scout-17B-16E (text_config)', fixture: 'Llama-4-Scout-17B-16E', total: 107_769_861_120, active: 17_172_894_720, card: '17B active; 109B with the vision tower', why: '48 MoE layers: 16 experts + shared, each 3·5120·8192; router d·16' },
  { repo: 'CohereForAI/c4ai-command-r-v01', fixture: 'c4ai-command-r-v01', total: 34_980_831_232, card: '35B', why: 'one weight-only LayerNorm per layer, MHA 64, SwiGLU 22528, tied' },
  { repo: 'CohereForAI/c4ai-command-r7b-12-2024', fixture: 'c4ai-command-r7b-12-2024', total: 8_028_033_024, card: '8B', why: '3 local (4096) : 1 global, GQA 32/8, tied', match: [/window: 4096.*at not every 4 from 3/] },
  { repo: 'bigcode/starcoder2-3b', fixture: 'starcoder2-3b', total: 3_030_371_328, card: '3B', why: 'LayerNorms and all projections with bias, GQA 24/2, tied' },
  { repo: 'stabilityai/stablelm-2-1_6b', fixture: 'stablelm-2-1_6b', total: 1_644_515_328, card: '1.6B', why: 'LayerNorms with bias, q/k/v biases, SwiGLU 5632, untied' },
  { repo: 'microsoft/phi-2', fixture: 'phi-2', total: 2_779_683_840, card: '2.7B', why: 'one LayerNorm, biased q/k/v/dense and fc1/fc2, lm_head bias' },
  { repo: 'EleutherAI/gpt-j-6b', fixture: 'gpt-j-6b', total: 6_050_882_784, card: '6B (6,053,381,344 in the card incl. buffers)', why: 'ln_1, bias-free attention, biased MLP 16384, lm_head bias' },
  { repo: 'EleutherAI/pythia-160m', fixture: 'pythia-160m', total: 162_322_944, card: '162,322,944 (Pythia paper, total params)', why: 'two LayerNorms, biases, untied embed_out' },
  { repo: 'tiiuae/falcon-7b', fixture: 'falcon-7b', total: 6_921_720_704, card: '7B', why: 'multi-query 71 heads, one LayerNorm, no biases, tied' },
  { repo: 'tiiuae/falcon-40b', fixture: 'falcon-40b', total: 41_303_293_952, card: '40B', why: 'new decoder: ln_attn + ln_mlp, 128/8 heads, tied' },
  { repo: 'mosaicml/mpt-7b', fixture: 'mpt-7b', total: 6_649_286_656, card: '6.7B', why: 'no biases, LayerNorm weights only, tied' },
  { repo: 'bigscience/bloom-560m', fixture: 'bloom-560m', total: 559_214_592, card: '559,214,592 (model card)', why: 'word_embeddings_layernorm, biases everywhere, tied', match: [/layernorm {2}# word_embeddings_layernorm/] },
  { repo: 'internlm/internlm2_5-7b', fixture: 'internlm2_5-7b', total: 7_737_708_544, card: '7.7B', why: 'Llama layout, V 92544, untied' },
  { repo: 'LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct', fixture: 'EXAONE-3.5-2.4B-Instruct', total: 2_405_327_360, card: '2.41B', why: 'num_layers 30, 32/8 heads of 80, SwiGLU 7168, tied' },
  { repo: 'ibm-ai-platform/Bamba-9B', fixture: 'Bamba-9B', total: 9_780_235_392, card: '9.78B', why: '29 Mamba-2 layers (in_proj d·(2·8192+2·128+128), conv 8448·5, 3·128, norm 8192, out 8192·d) + 3 attention layers, SwiGLU 14336 in all 32', match: [/attention\(.*\) at every 9 from 9/] },
  { repo: 'nvidia/Nemotron-Mini-4B-Instruct', fixture: 'Nemotron-Mini-4B-Instruct', total: 4_190_509_056, card: '4B', why: 'LayerNorm1P with bias, relu² MLP 9216, untied' },
];

for (const row of ROWS) {
  test(`${row.repo}: ${row.total.toLocaleString('en')} total${row.active ? `, ${row.active.toLocaleString('en')} active` : ''} (${row.card}; ${row.why})`, () => {
    const r = importFixture(row.fixture);
    assert.equal(r.total, row.total);
    assert.equal(r.active, row.active ?? row.total);
    for (const re of row.match ?? []) assert.match(r.text, re);
  });
}

test('nemotron_h (pattern "M-*-", constructed config): one mixer per layer, 1,649,240 by hand', () => {
  const r = importConfig({ model_type: 'nemotron_h', hidden_size: 256, num_hidden_layers: 4, hybrid_override_pattern: 'M-*-', num_attention_heads: 4,
    num_key_value_heads: 2, head_dim: 64, intermediate_size: 512, mamba_num_heads: 8, mamba_head_dim: 64, n_groups: 2, ssm_state_size: 16,
    conv_kernel: 4, vocab_size: 1000, tie_word_embeddings: false, torch_dtype: 'bfloat16' });
  const mamba = 256 * (2 * 512 + 2 * 2 * 16 + 8) + (512 + 64) * 5 + 3 * 8 + 512 + 512 * 256; // Mamba2Mixer
  const attention = 256 * 256 * 2 + 256 * 128 * 2;
  assert.equal(r.total, 2 * 1000 * 256 + 5 * 256 + mamba + 2 * (2 * 256 * 512) + attention);
  assert.equal(r.total, 1_649_240);
  assert.match(r.text, /mlp\(d_ff: 512, act: relu2\) at every 2 from 1/);
});
