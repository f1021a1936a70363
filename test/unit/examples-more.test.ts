/**
 * Issue 13, the remaining kinds and options written as examples (gru, cms, attention mask: prefix, linear_attention
 * feature_map: favor, linformer, gated_deltanet): each example's parameter count against its paper or released
 * config (cited in the example's header and below; where no total is published, a hand count from the reference
 * implementation's layer shapes), its decode state per sequence by the kind's documented state, and a probe that
 * compiles, runs and whose initializer count equals the engine's. compile-examples.test.ts and golden.test.ts cover
 * these files as well.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { probeModel } from '../../language-server/src/compile/probe';
import { compileModel, decodeUnsupported } from '../../language-server/src/compile/compile';
import { compileRunCheck } from './compile-harness';
import { checkDecodeStep } from './decode-harness';

const ROOT = path.join(__dirname, '..', '..');
const H100 = findHardware('h100')!;
const FP32 = 4;
const BF16 = 2;

function example(file: string, seq: number) {
  const a = analyze(path.join(ROOT, 'examples', file), nodeHost());
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const [m] = a.models;
  const at = (s: number) => costModel(m, { hardware: H100, seq: s }).totals.cacheBytesPerSequence;
  return { m, params: costModel(m, { hardware: H100, seq }).totals.params.total, state: at(seq), at };
}

const probeChecks = (m: ReturnType<typeof example>['m']) => compileRunCheck(probeModel(m, { layers: 2, d_model: 64, seq: 16 }), 16);

// pytorch/examples word_language_model (model.py RNNModel, main.py defaults emsize = nhid = 200, nlayers 2, GRU,
// untied) on WikiText-2 (vocab 33,278: Merity et al. 2016, arXiv 1609.07843, Table 1); nn.GRU's parameter list.
test('GRU word LM (pytorch/examples sizes, WikiText-2): 13,826,878 parameters; decode state 2 × h 200 fp32', async () => {
  const g = example('gru_lm.arch', 35);
  const gru = 3 * (200 * (200 + 200) + 2 * 200);
  assert.equal(gru, 241_200);
  assert.equal(g.params, 33_278 * 200 + 2 * gru + 200 * 33_278 + 33_278);
  assert.equal(g.params, 13_826_878);
  assert.equal(g.state, 2 * 200 * FP32);
  assert.equal(g.at(4096), g.state, 'constant in the context length');
  await probeChecks(g.m);
});

// Behrouz et al. 2025 (arXiv 2512.24695) §3, Eq. 30-31: no released HOPE config; illustrative sizes, count by the
// cms kind's formula (levels · 2·d·d_ff, the paper's d → d_ff → d MLP per level) and attention's 4·d².
test('HOPE-style CMS model (illustrative): 737,461,248 parameters; state = KV cache + 2·P per CMS level', async () => {
  const h = example('hope_cms.arch', 4096);
  const P = 2 * 1024 * 4096;
  const layer = 2 * 1024 + 4 * 1024 * 1024 + 3 * P;
  assert.equal(h.params, 24 * layer + 32_000 * 1024 + 1024);
  assert.equal(h.params, 737_461_248);
  // per CMS level: fast weights (up, down) + the gradient accumulated in the current chunk, fp32; the phase integer
  // is not counted (kinds/cms.ts)
  const cms = 24 * 3 * 2 * P * FP32;
  const kv = (L: number) => 24 * 2 * 1024 * L * BF16;
  assert.equal(h.state, cms + kv(4096));
  assert.equal(h.state, 5_234_491_392);
  assert.equal(h.at(8192) - h.state, kv(4096), 'only the KV cache grows with L');
  await probeChecks(h.m);
});

// Raffel et al. 2020 (JMLR 21) §3.2.1, Table 2 "Prefix LM" (P parameters) at HF google-t5/t5-base sizes:
// T5-base's encoder stack + shared embedding (modeling_t5.py layer shapes) — HF T5EncoderModel("t5-base") reports
// 109,628,544 parameters ("all params" in public printouts of the model).
test('T5 prefix LM at T5-base sizes: 109,628,544 parameters (P; T5-base 2P ≈ 220M); causal KV cache after the prefix', async () => {
  const t = example('t5_prefix_lm.arch', 512);
  const layer = 4 * 768 * 768 + 2 * 768 * 3072 + 2 * 768;
  assert.equal(layer, 7_079_424);
  assert.equal(t.params, 32_128 * 768 + 32 * 12 + 12 * layer + 768);
  assert.equal(t.params, 109_628_544);
  assert.ok(Math.abs((2 * t.params) / 220e6 - 1) < 0.01, 'two such stacks ≈ the paper\'s 220M T5-base');
  assert.equal(t.state, 12 * 2 * 12 * 64 * 512 * BF16);
  assert.equal(t.state, 18_874_368);
  await probeChecks(t.m);
});

// Choromanski et al. 2021 (arXiv 2009.14794); lucidrains/performer-pytorch examples/enwik8_simple/train.py sizes,
// performer_pytorch.py layer shapes (biased q/k/v/out and FFN Linears, pre-LayerNorm, tied logits).
test('Performer enwik8 (performer-pytorch sizes): 19,570,688 parameters; state 6 × 8 × (64×64 + 64) fp32', async () => {
  const p = example('performer_enwik8.arch', 1024);
  const layer = 2 * 1024 + 4 * 512 * 512 + 4 * 512 + 512 * 2048 + 2048 + 2048 * 512 + 512; // 2 LayerNorms, attention, FFN
  assert.equal(layer, 3_152_384);
  assert.equal(p.params, 256 * 512 + 1024 * 512 + 6 * layer + 1024);
  assert.equal(p.params, 19_570_688);
  // m = 64 features per head, hd = 64: φ(k)ᵀv (m × hd) + the normaliser Σφ(k) (m)
  assert.equal(p.state, 6 * 8 * (64 * 64 + 64) * FP32);
  assert.equal(p.state, 798_720);
  assert.equal(p.at(8192), p.state, 'constant in the context length');
  await probeChecks(p.m);
});

// Wang et al. 2020 (arXiv 2006.04768); fairseq examples/linformer linformer_roberta_base, hand count from fairseq's
// layer shapes; kinds-linformer.test.ts checks the layer (2,493,440).
test('Linformer RoBERTa-base (fairseq linformer_roberta_base): 126,269,529 parameters; an encoder: no decode state', async () => {
  const l = example('linformer_roberta_base.arch', 512);
  const layer = 2_493_440 + 1_536 + 768 * 3072 + 3072 + 3072 * 768 + 768 + 1_536;
  assert.equal(layer, 7_218_944);
  const roberta = (50_265 + 514) * 768 + 1_536 + 12 * (layer - 2 * 512 * 128) + 768 * 768 + 768 + 1_536 + 50_265;
  assert.equal(roberta, 124_696_665, 'RoBERTa-base as fairseq builds it');
  // published cross-check: the HF Hub's safetensors listing of roberta-base (RobertaForMaskedLM) is F32 124,697,433
  // (also asserted in huggingface.js's safetensors tests); HF adds one token-type row of 768
  assert.equal(roberta + 768, 124_697_433);
  assert.equal(l.params, roberta + 12 * 2 * 512 * 128);
  assert.equal(l.params, 126_269_529);
  assert.equal(l.state, 0, 'Linformer projects along the sequence: no KV cache, no causal decode step');
  await probeChecks(l.m);
});

// Yang, Kautz & Hatamizadeh 2025 (arXiv 2412.06464); fla GatedDeltaNetConfig defaults (the 1.3B setting),
// fla/layers/gated_deltanet.py layer shapes.
test('Gated DeltaNet 1.3B (fla config): 1,387,348,732 parameters; state 21 × (conv 6144·3 + 6 × 256×512) fp32', async () => {
  const g = example('gated_deltanet_1_3b.arch', 2048);
  const mixer = 2 * 2048 * 1536 + 2 * 2048 * 3072 + 3072 * 2048 + 2 * 2048 * 6 + 2 * 6 + (1536 + 1536 + 3072) * 4 + 512;
  assert.equal(mixer, 25_215_500);
  const layer = mixer + 3 * 2048 * 5632 + 2 * 2048;
  assert.equal(g.params, 21 * layer + 2 * 32_000 * 2048 + 2048);
  assert.equal(g.params, 1_387_348_732);
  assert.ok(Math.abs(g.params / 1.3e9 - 1) < 0.07, 'the paper\'s 1.3B class');
  assert.equal(g.state, 21 * (6144 * 3 + 6 * 256 * 512) * FP32);
  assert.equal(g.state, 67_608_576);
  assert.equal(g.at(131_072), g.state, 'constant in the context length');
  await probeChecks(g.m);
});

// The decode step of every stateful example, at probe scale: a step fed the state a prefill of L tokens leaves gives
// the logits of a prefill of L + 1 tokens at position L (decode-harness), and the state inputs of the compiled step
// hold exactly the bytes the engine counts as the decode state (cms's chunk-position integers aside).
// L: hope_cms's step is token 16, completing the fast level's first chunk; the T5 probe's prefix scales to 8 tokens, so
// its step is the first token after the prefix.
for (const [file, L] of [['gru_lm.arch', 8], ['hope_cms.arch', 15], ['performer_enwik8.arch', 8], ['gated_deltanet_1_3b.arch', 8], ['t5_prefix_lm.arch', 8]] as const) {
  test(`${file}: the compiled decode step reproduces the prefill, and its state inputs are the engine's state`, async () => {
    const probe = probeModel(example(file, L).m, { layers: 2, d_model: 64, seq: 16 });
    const { decode } = await checkDecodeStep(probe, L);
    const state = decode.inputs.slice(1).filter((i) => !/_phase\d+$/.test(i.name));
    assert.ok(state.length > 0);
    // the graph runs in fp32; the engine prices a KV cache (past_…) in bf16 and recurrent state in fp32
    const bytes = state.reduce((s, i) => s + (i.dims as number[]).reduce((a, b) => a * b, 1) * (i.name.startsWith('past_') ? BF16 : FP32), 0);
    assert.equal(bytes, costModel(probe, { hardware: H100, seq: L }).totals.cacheBytesPerSequence);
  });
}

// Linformer's E, F (k × n) mix every position: the encoder honestly has no decode step (kinds/linformer.ts).
test('linformer_roberta_base.arch: an encoder, its decode is refused by name, not skipped', () => {
  const { m } = example('linformer_roberta_base.arch', 512);
  assert.match(decodeUnsupported(m).join(' '), /linformer/);
  assert.throws(() => compileModel(probeModel(m, { layers: 2, d_model: 64, seq: 16 }), { mode: 'decode', seq: 8 }), /linformer/);
});
