/** Hand-computed checks of the mla, moe, mamba, mamba2, hyena, linear-recurrent and gated_deltanet kinds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dims, run } from '../helpers/kinds';



const near = (a: number, b: number, rel = 1e-12) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} ≉ ${b}`);

// ---- mla -------------------------------------------------------------------------------------------

const V3 = dims(7168);
const V3_MLA = { heads: 128, q_lora: 1536, kv_lora: 512, qk_nope_dim: 128, qk_rope_dim: 64, v_head_dim: 128 };

test('mla: DeepSeek-V3 layer, L 4096, B 8', () => {
  const { cost } = run('mla', V3_MLA, V3, { seq: 4096, batch: 8 });
  // 7168·1536 + 1536 + 1536·128·192 + 7168·576 + 512 + 512·128·256 + 128·128·7168
  // = 11,010,048 + 1536 + 37,748,736 + 4,128,768 + 512 + 16,777,216 + 117,440,512
  assert.equal(cost.params, 187_107_328);
  // linear = 187,107,328 − 1536 − 512 = 187,105,280; naive: 2·linear + (2·128·192 + 2·128·128)·4097/2
  assert.equal(cost.prefillFlops, 374_210_560 + 81_920 * 2048.5); // = 542,023,680
  // absorbed: 2·linear + (2·128·576 + 2·128·512)·4096 = 374,210,560 + 278,528·4096
  assert.equal(cost.decodeFlops, 1_515_061_248);
  assert.equal(cost.cacheBytes, 4_718_592); // (512 + 64)·2 B = 1152 B/token · 4096
  assert.equal(cost.decodeBytes, 411_972_608); // 187,107,328·2 + 8·(4,718,592 + 1152)
  assert.equal(61 * cost.cacheBytes / 4096, 70_272); // 68.625 KiB/token over 61 layers (reference D.3: 68.6 KiB)
});

test('mla: q_lora 0 uses a direct q_proj (DeepSeek-V2-Lite shape)', () => {
  const { cost } = run('mla', { heads: 16, kv_lora: 512 }, dims(2048));
  // 2048·16·192 + 2048·576 + 512 + 512·16·256 + 16·128·2048 = 6,291,456 + 1,179,648 + 512 + 2,097,152 + 4,194,304
  assert.equal(cost.params, 13_763_072);
});

// ---- moe -------------------------------------------------------------------------------------------

const MIXTRAL_MOE = { experts: 8, top_k: 2, d_ff: 14336 };

test('moe: Mixtral layer and decode traffic at B 1 and B 4', () => {
  const one = run('moe', MIXTRAL_MOE, dims(4096), { seq: 1, batch: 1 }).cost;
  assert.equal(one.params, 1_409_318_912); // 8·3·4096·14336 + 4096·8
  assert.equal(one.active, 352_354_304); // 2·176,160,768 + 32,768
  assert.equal(one.decodeFlops, 704_708_608); // 2·active (no biases)
  // B 1: 8·(1 − (6/8)^1) = 2 experts → 2·176,160,768·2 B
  assert.equal(one.expertBytesDecode, 704_643_072);
  assert.equal(one.decodeBytes, 704_708_608); // + router 32,768·2
  const four = run('moe', MIXTRAL_MOE, dims(4096), { seq: 1, batch: 4 }).cost;
  // B 4: 8·(1 − 0.75⁴) = 5.46875 experts · 352,321,536 B = 1,926,758,400
  near(four.expertBytesDecode!, 1_926_758_400);
  near(four.decodeBytes, 1_926_823_936);
});

test('moe: Mixtral-8x7B totals 46,702,792,704 / active 12,879,925,248', () => {
  const d = dims(4096, { vocab: 32000 });
  const attn = run('attention', { heads: 32, kv_heads: 8 }, d).cost;
  const ffn = run('moe', MIXTRAL_MOE, d).cost;
  const norms = 2 * 4096;
  const edges = 2 * 32000 * 4096 + 4096; // untied embedding + head + final norm
  assert.equal(32 * (attn.params + ffn.params + norms) + edges, 46_702_792_704);
  assert.equal(32 * (attn.active + ffn.active + norms) + edges, 12_879_925_248);
});

test('moe: DeepSeek-V3 layer (256 + 1 shared, top-8, router bias) and model total', () => {
  const { cost } = run('moe', { experts: 256, top_k: 8, shared: 1, d_ff: 2048, router_bias: true }, V3);
  assert.equal(cost.params, 11_320_164_608); // 257·3·7168·2048 + 7168·256 + 256
  assert.equal(cost.active, 398_196_992); // 9·44,040,192 + 1,835,264
  assert.equal(cost.prefillFlops, 796_393_472); // 2·(9·44,040,192 + 7168·256), bias not a matmul
  const mla = run('mla', V3_MLA, V3).cost.params;
  const dense = run('gated_mlp', { d_ff: 18432 }, V3).cost.params;
  const total = 3 * (mla + dense + 2 * 7168) + 58 * (mla + cost.params + 2 * 7168) + 2 * 129280 * 7168 + 7168;
  assert.equal(total, 671_026_419_200); // reference D.2 (main model, without MTP)
});

test('moe: expert biases (gpt-oss style) and ungated experts', () => {
  const g = run('moe', { experts: 32, top_k: 4, d_ff: 2880, expert_bias: true, router_bias: true }, dims(2880)).cost;
  // expert = 3·2880·2880 + 2·2880 + 2880 = 24,891,840; router = 2880·32 + 32
  assert.equal(g.params, 32 * 24_891_840 + 92_192);
  assert.equal(g.active, 4 * 24_891_840 + 92_192);
  assert.equal(g.prefillFlops, 2 * (4 * 24_883_200 + 92_160));
  const u = run('moe', { experts: 4, top_k: 1, d_ff: 16, gated: false, expert_bias: true }, dims(8)).cost;
  assert.equal(u.params, 4 * (2 * 8 * 16 + 16 + 8) + 8 * 4); // 1152
  const s = run('moe', { experts: 4, top_k: 1, d_ff: 16, shared: 2, shared_d_ff: 32 }, dims(8)).cost;
  assert.equal(s.params, 4 * 384 + 2 * 768 + 32); // shared experts 3·8·32 each
});

test('moe: top_k must not exceed experts', () => {
  assert.deepEqual(run('moe', { experts: 8, top_k: 9, d_ff: 64 }, dims(64)).issues.map((i) => i.message),
    ['top_k (9) exceeds experts (8)']);
});

// ---- mamba / mamba2 ---------------------------------------------------------------------------------

test('mamba: Mamba-2.8B layer (d 2560)', () => {
  const { cost } = run('mamba', {}, dims(2560), { seq: 2048, batch: 2 });
  // di 5120, dt_rank ceil(2560/16) = 160: 2560·10240 + 5120·4 + 5120 + 5120·192 + 160·5120 + 5120 + 5120·16 + 5120 + 5120·2560
  assert.equal(cost.params, 41_241_600);
  // matmul = 26,214,400 + 983,040 + 819,200 + 13,107,200 = 41,123,840
  // 2·41,123,840 + 2·5120·4 + 6·5120·16 = 82,247,680 + 40,960 + 491,520
  assert.equal(cost.prefillFlops, 82_780_160);
  assert.equal(cost.decodeFlops, 82_780_160); // constant in L
  assert.equal(cost.cacheBytes, 389_120); // (5120·3 + 5120·16)·4 B fp32 = 97,280·4
  assert.equal(cost.decodeBytes, 84_039_680); // 41,241,600·2 + 2·(389,120 + 389,120)
  // model: 64·(layer + 2560 RMSNorm) + 50280·2560 tied + 2560 = 2,768,345,600 (reference D.2)
  assert.equal(64 * (cost.params + 2560) + 50280 * 2560 + 2560, 2_768_345_600);
  assert.equal(64 * 97_280, 6_225_920); // reference D.3: 6.23M state elements
});

test('mamba: Jamba mixer with dt/B/C norms', () => {
  const { cost } = run('mamba', { d_inner: 8192, dt_rank: 256, dt_norms: true }, dims(4096));
  // 4096·16384 + 8192·4 + 8192 + 8192·288 + 256·8192 + 8192 + 8192·16 + 8192 + 8192·4096 + (256 + 32)
  assert.equal(cost.params, 105_308_448);
  assert.equal(cost.cacheBytes, (8192 * 3 + 8192 * 16) * 4); // 155,648 elements; ×28 layers = 4.36M
});

test('mamba2: Mamba2-2.7B layer', () => {
  const { cost, issues } = run('mamba2', {}, dims(2560));
  assert.deepEqual(issues, []);
  // 2560·(10240 + 256 + 80) + 5376·4 + 5376 + 3·80 + 5120 + 5120·2560 = 27,074,560 + 21,504 + 5376 + 240 + 5120 + 13,107,200
  assert.equal(cost.params, 40_214_000);
  // 2·40,181,760 + 2·5376·4 + 6·5120·128 = 80,363,520 + 43,008 + 3,932,160
  assert.equal(cost.decodeFlops, 84_338_688);
  assert.equal(cost.cacheBytes, 671_488 * 4); // 5376·3 + 80·64·128 elements, fp32
  assert.equal(64 * (cost.params + 2560) + 50288 * 2560 + 2560, 2_702_599_680); // reference D.2
});

test('mamba2: validation', () => {
  assert.deepEqual(run('mamba2', { head_dim: 48 }, dims(2560)).issues.map((i) => i.message),
    ['head_dim (48) must divide d_inner (5120)']);
  assert.deepEqual(run('mamba2', { n_groups: 3 }, dims(2560)).issues.map((i) => i.message),
    ['n_groups (3) must divide the number of heads (80)']);
});

// ---- hyena -----------------------------------------------------------------------------------------

test('hyena: order 2, d 768, L 1024', () => {
  const { cost } = run('hyena', {}, dims(768), { seq: 1024, batch: 1 });
  // proj 4·768² = 2,359,296; biases 3·768 + 768 = 3072; short conv 3·768·(3 + 1) = 9216;
  // filter MLP 3·64 + 64² + 64·2·768 = 102,592 + biases 64 + 64 + 1536 → 104,256
  assert.equal(cost.params, 2_475_840);
  // 2·2,359,296 + 2·3·768·3 + 2·102,592 + 2·768·15·log2(2048) = 4,718,592 + 13,824 + 205,184 + 253,440
  assert.equal(cost.prefillFlops, 5_191_040);
  assert.equal(cost.decodeFlops, 4_718_592 + 13_824 + 2 * 2 * 768 * 1024); // direct conv over history
  assert.equal(cost.cacheBytes, (2 * 768 * 1024 + 3 * 768 * 2) * 2); // 1,577,472 elements, bf16
  // (2,475,840 − 104,256)·2 + filter taps 2·768·1024·2 + (cache 3,154,944 + write (1536 + 2304)·2)
  assert.equal(cost.decodeBytes, 11_051_520);
});

// ---- linear-recurrent -----------------------------------------------------------------------------

test('linear_attention: d 1024, 16 heads', () => {
  const { cost } = run('linear_attention', { heads: 16 }, dims(1024), { seq: 8192, batch: 2 });
  assert.equal(cost.params, 4_194_304); // 4·1024·16·64
  assert.equal(cost.prefillFlops, 8_650_752); // 2·4,194,304 + 4·16·64²
  assert.equal(cost.cacheBytes, 262_144); // 16·64·64 fp32
  assert.equal(cost.decodeBytes, 9_437_184); // 4,194,304·2 + 2·(262,144 + 262,144)
  assert.equal(run('linear_attention', { heads: 16, head_dim: 128 }, dims(1024)).cost.params, 8_388_608);
  assert.deepEqual(run('linear_attention', { heads: 24 }, dims(1024)).issues.map((i) => i.message),
    ['heads (24) must divide d_model (1024)']);
});

// Performer (Choromanski et al. 2021, arXiv 2009.14794): lucidrains/performer-pytorch README's PerformerLM config,
// dim 512, heads 8 (dim_head 64), nb_features 256. FastAttention keeps ω in `register_buffer('projection_matrix', …)`
// (redrawn, not trained): SelfAttention's trained weights are to_q, to_k, to_v, to_out, 4·512² (its biases — to_out's
// in the current release, all four in early ones — are not part of linear_attention, which has none).
test('linear_attention(feature_map: favor): Performer d 512, 8 heads, m 256', () => {
  const args = { heads: 8, feature_map: 'favor', features: 256 };
  const { cost, issues } = run('linear_attention', args, dims(512), { seq: 4096, batch: 1 });
  assert.deepEqual(issues, []);
  assert.equal(cost.params, 1_048_576); // 4·512·8·64; ω: 0
  assert.equal(cost.params, run('linear_attention', { heads: 8 }, dims(512)).cost.params);
  // 2·1,048,576 + 2·(2·8·64·256) (φ(q), φ(k) projections) + 4·8·256·64 (update + read-out) = 2,097,152 + 524,288 + 524,288
  assert.equal(cost.prefillFlops, 3_145_728);
  assert.equal(cost.decodeFlops, cost.prefillFlops);
  assert.equal(cost.cacheBytes, 8 * (256 * 64 + 256) * 4); // m×hd + m normaliser per head, fp32
  // default m = ⌊hd·ln hd⌋ (performer-pytorch nb_features = int(dim_heads · log(dim_heads))): ⌊64·ln 64⌋ = 266
  assert.equal(run('linear_attention', { heads: 8, feature_map: 'favor' }, dims(512)).cost.cacheBytes, 8 * (266 * 64 + 266) * 4);
  assert.deepEqual(run('linear_attention', { heads: 8, features: 64 }, dims(512)).issues.map((i) => i.message),
    ["'features' needs feature_map: favor"]);
});

test('retnet: d 1024, 4 heads, v_factor 2', () => {
  const { cost } = run('retnet', { heads: 4 }, dims(1024));
  assert.equal(cost.params, 8_388_608); // 2·1024² + 3·1024·2048
  assert.equal(cost.cacheBytes, 524_288 * 4); // 4·256·512 elements
  assert.equal(cost.decodeFlops, 19_922_944); // 2·8,388,608 + 6·524,288
});

test('rwkv: RWKV-7 1.5B time and channel mix, model ≈ 1.53B', () => {
  const ranks = { decay_lora: 96, a_lora: 96, v_lora: 64, gate_lora: 256 };
  const tm = run('rwkv_time_mix', ranks, dims(2048)).cost;
  // 4·2048² + 2·2048·(96 + 96 + 64 + 256) + 14·2048 = 16,777,216 + 2,097,152 + 28,672
  assert.equal(tm.params, 18_903_040);
  assert.equal(tm.decodeFlops, 39_059_456); // 2·18,874,368 + 10·2048·64
  assert.equal(tm.cacheBytes, (2048 * 64 + 2048) * 4); // 32 heads·64² + token shift
  const first = run('rwkv_time_mix', { ...ranks, v_lora: 0 }, dims(2048)).cost;
  assert.equal(first.params, 18_638_848); // 16,777,216 + 2·2048·448 + 13·2048
  const cm = run('rwkv_channel_mix', { d_ff: 8192 }, dims(2048)).cost;
  assert.equal(cm.params, 33_556_480); // 2·2048·8192 + 2048
  assert.equal(cm.prefillFlops, 67_108_864);
  assert.equal(cm.cacheBytes, 2048 * 4);
  const ln = 2 * 2 * 2048; // two LayerNorms per layer
  const total = 23 * (tm.params + cm.params + ln) + (first.params + cm.params + ln) + 2 * 65536 * 2048 + 2 * 4096;
  assert.equal(total, 1_527_404_544); // reference D.2: ≈ 1.53B
  assert.deepEqual(run('rwkv_time_mix', { head_dim: 96 }, dims(2048)).issues.map((i) => i.message),
    ['head_dim (96) must divide d_model (2048)']);
});

// ---- gated_deltanet ---------------------------------------------------------------------------------

// Qwen/Qwen3-Next-80B-A3B-Instruct config.json: hidden_size 2048, linear_num_key_heads 16, linear_key_head_dim 128,
// linear_num_value_heads 32, linear_value_head_dim 128, linear_conv_kernel_dim 4; parameters as HF transformers
// models/qwen3_next/modeling_qwen3_next.py `Qwen3NextGatedDeltaNet.__init__`.
test('gated_deltanet: Qwen3-Next-80B-A3B linear-attention layer', () => {
  const qwen = { heads: 32, key_heads: 16, head_dim: 128, value_head_dim: 128, d_conv: 4 };
  const { cost, issues } = run('gated_deltanet', qwen, dims(2048), { seq: 4096, batch: 1 });
  assert.deepEqual(issues, []);
  // in_proj_qkvz 2048·(2·2048 + 2·4096) = 25,165,824; in_proj_ba 2048·64 = 131,072; conv1d (2·2048 + 4096)·4 = 32,768
  // (bias=False); dt_bias 32 + A_log 32; norm (RMSNormGated over head_v_dim) 128; out_proj 4096·2048 = 8,388,608
  assert.equal(cost.params, 33_718_464);
  // 2·33,685,504 (matmuls) + 2·8192·4 (conv) + 8·32·128·128 (4 MACs per state element) = 67,371,008 + 65,536 + 4,194,304
  assert.equal(cost.prefillFlops, 71_630_848);
  assert.equal(cost.decodeFlops, cost.prefillFlops);
  assert.equal(cost.cacheBytes, 548_864 * 4); // conv window 8192·3 + S 32·128·128 elements, fp32
  assert.equal(cost.decodeBytes, 33_718_464 * 2 + 2 * 548_864 * 4);
  // defaults: head_dim = d_model / key_heads = 128, value_head_dim = head_dim, d_conv 4
  assert.equal(run('gated_deltanet', { heads: 32, key_heads: 16 }, dims(2048)).cost.params, 33_718_464);
});

test('gated_deltanet: validation', () => {
  assert.deepEqual(run('gated_deltanet', { heads: 32, key_heads: 12 }, dims(2048)).issues.map((i) => i.message),
    ['key_heads (12) must divide heads (32)', 'key heads (12) must divide d_model (2048) unless head_dim is given']);
  assert.deepEqual(run('gated_deltanet', { heads: 24, head_dim: 128 }, dims(2048)).issues, []);
});

// ---- deltanet ---------------------------------------------------------------------------------------

// fla-hub/delta_net-1.3B-100B config.json: hidden_size 2048, num_heads 16, expand_k 1, expand_v 1, use_beta, use_short_conv
// (conv_size 4), use_gate false; parameters as fla layers/delta_net.py `DeltaNet.__init__`.
test('deltanet: fla DeltaNet-1.3B layer; what the decay of gated_deltanet adds', () => {
  const { cost, issues } = run('deltanet', { heads: 16 }, dims(2048), { seq: 4096, batch: 1 });
  assert.deepEqual(issues, []);
  // q_proj, k_proj, v_proj 3·2048² = 12,582,912; b_proj 2048·16 = 32,768; q/k/v_conv1d 3·2048·4 = 24,576 (bias=False);
  // o_norm RMSNorm(128) = 128; o_proj 2048² = 4,194,304
  assert.equal(cost.params, 16_834_688);
  // 2·16,809,984 (matmuls) + 2·6144·4 (conv) + 6·16·128·128 (3 MACs per state element) = 33,619,968 + 49,152 + 1,572,864
  assert.equal(cost.prefillFlops, 35_241_984);
  assert.equal(cost.cacheBytes, (6144 * 3 + 16 * 128 * 128) * 4); // conv window + S, fp32
  // use_gate adds g_proj d·H·dv; use_beta false drops b_proj; no short conv drops the conv weights and window
  assert.equal(run('deltanet', { heads: 16, gate: true }, dims(2048)).cost.params, 16_834_688 + 2048 * 2048);
  assert.equal(run('deltanet', { heads: 16, beta: false, d_conv: 0 }, dims(2048)).cost.params, 16_834_688 - 32_768 - 24_576);
  assert.equal(run('deltanet', { heads: 16, d_conv: 0 }, dims(2048)).cost.cacheBytes, 16 * 128 * 128 * 4);
  // Gated DeltaNet with the same heads (Hk = Hv = 16): fused z gate d·H·dv, α/β projection d·2H, A_log + dt_bias 2H
  const gated = run('gated_deltanet', { heads: 16 }, dims(2048)).cost;
  assert.equal(gated.params - cost.params, 2048 * 2048 + 2048 * 16 + 2 * 16);
  assert.equal(gated.prefillFlops - cost.prefillFlops, 2 * (2048 * 2048 + 2048 * 16) + 2 * 16 * 128 * 128);
  assert.deepEqual(run('deltanet', { heads: 24 }, dims(2048)).issues.map((i) => i.message), ['heads (24) must divide d_model (2048) unless head_dim is given']);
});
