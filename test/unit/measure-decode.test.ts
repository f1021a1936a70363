/**
 * Decode-step graphs (compileModel mode 'decode'): fed the KV cache and state a prefill of the first L tokens
 * produced, one step on token L gives the prefill's logits at position L (to 1e-4; decode-harness.ts): causal
 * attention, GQA, a sliding window shorter than L (Gemma 2), MLA + MoE (DeepSeek), hyper-connections, learned
 * positions (GPT-2), and every kind with recurrent / convolution state (state_{kind}_{i}_{name} inputs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { probeModel } from '../../language-server/src/compile/probe';
import { compileModel, decodeUnsupported } from '../../language-server/src/compile/compile';
import type { ModelInstance } from '../../language-server/src/semantic/instances';
import { countGraph } from '../../language-server/src/compile/count';
import { analyzeText } from '../helpers/memoryHost';
import { checkDecodeStep } from './decode-harness';
import { KIND_NAMES, KINDS, type KindName } from '../../language-server/src/kinds';
import { CASES } from '../helpers/kindCases';
import { loweringOf } from '../../language-server/src/compile/lower';

const ROOT = path.join(__dirname, '..', '..');
const L = 12;
const model = (rel: string): ModelInstance => analyze(path.join(ROOT, rel), nodeHost()).models[0];

for (const rel of ['examples/gemma2_local_global.arch', 'examples/deepseek_v2_lite.arch', 'examples/mhc_llama.arch', 'language-server/stdlib/gpt2.arch']) {
  test(`${rel}: decode step with the KV cache = prefill logits at the last position`, async () => {
    const probe = probeModel(model(rel), { layers: 2, d_model: 64, seq: L + 1 });
    const { decode, dec } = await checkDecodeStep(probe, L);
    assert.ok(decode.caches > 0);
    assert.equal(decode.inputs.length, 1 + 2 * decode.caches);
    assert.deepEqual(dec.present_key_0.dims.slice(2, 3), [L + 1]);
  });
}

/**
 * Richer decode models (d_model 32, 2 layers; body lines inside `layers 2 { … }`) for some stateful kinds; every
 * other kind whose registry entry declares a decode state is checked on its compile cases (test/helpers/kindCases.ts).
 */
const DECODE_BODIES: Partial<Record<KindName, string[]>> = {
  mamba: ['rmsnorm\nmamba(d_state: 4, dt_norms: true, bias: true)\nrmsnorm\nmamba(d_state: 8, d_inner: 48, dt_rank: 3, conv_bias: false)'],
  mamba2: ['rmsnorm\nmamba2(d_state: 8, head_dim: 8, n_groups: 2)\nrmsnorm\nattention(heads: 4)'],
  linear_attention: ['rmsnorm\nlinear_attention(heads: 4)\nrmsnorm\nlinear_attention(heads: 2, head_dim: 8)',
    'rmsnorm\nlinear_attention(heads: 2, head_dim: 24, style: lightning)\nrmsnorm\nmoe(experts: 4, top_k: 2, d_ff: 16)',
    'rmsnorm\nlinear_attention(heads: 4, feature_map: favor)\nrmsnorm\nlinear_attention(heads: 2, head_dim: 8, feature_map: favor, features: 12)'],
  retnet: ['layernorm\nretnet(heads: 2)\nlayernorm\nmlp(d_ff: 64)'],
  rwkv_time_mix: ['layernorm\nrwkv_time_mix(head_dim: 8, decay_lora: 4, a_lora: 4, v_lora: 0, gate_lora: 8) at first 1\n' +
    'rwkv_time_mix(head_dim: 8, decay_lora: 4, a_lora: 4, v_lora: 4, gate_lora: 8) at not first 1\nlayernorm\nrwkv_channel_mix(d_ff: 64)'],
  engram: ['engram(orders: [2, 3], heads: 2, slots: 16, dim: 16)\nrmsnorm\nattention(heads: 4)\n' +
    'engram(orders: [2, 3], heads: 2, slots: 16, dim: 16, branches: 4) at [1]\nmhc(streams: 4, sinkhorn_iters: 3)\nrmsnorm\nmlp(d_ff: 16)'],
  // MAC's compile cases: segment 6 (L = 12 ends a segment: the step opens the next) and 16 (the step is mid-segment)
  titans: ['rmsnorm\ntitans(memory_depth: 2, memory_width: 16, persistent: 4)\nrmsnorm\ntitans(memory_depth: 1)',
    ...CASES.titans.map((c) => c.body).filter((b) => b.includes('variant: mac')),
    'rmsnorm\ntitans(memory_depth: 2, memory_width: 16, loss: lp, p: 3, momentum: false)\nrmsnorm\ntitans(memory_depth: 2, memory_width: 16, loss: huber, retention: none)',
    'rmsnorm\ntitans(memory_depth: 1, loss: lp, retention: none, momentum: false)\nrmsnorm\nmlp(d_ff: 32)'],
  // hyena only in layer 0: its filters are functions of t / T, so anything downstream of a hyena layer in a
  // prefill of L tokens differs from the (L + 1)-token prefill the step is compared with (decode-harness.ts)
  hyena: ['rmsnorm\nhyena(order: 2, filter_width: 16) at [0]\nrmsnorm\nmlp(d_ff: 32)',
    'rmsnorm\nhyena(order: 3, filter_width: 8, emb_dim: 5, short_conv: 2) at [0]\nrmsnorm\nmlp(d_ff: 32)',
    // modal filters are time-invariant: every layer, each decode form (StripedHyena's recurrence, FFT, direct)
    'rmsnorm\nhyena(order: 2, style: safari, filter: modal, state_size: 3)\nrmsnorm\nhyena(order: 3, filter: modal, decode: fft)',
    'rmsnorm\nhyena(order: 2, filter: modal, decode: direct)\nrmsnorm\nmlp(d_ff: 32)'],
  // pooled heads with state (mean: running sum, cls: first position); their own outputs are checked in kinds-heads.test.ts
  head: ['rmsnorm\nmlp(d_ff: 32)\nrmsnorm\nhead(outputs: 3, pool: mean)', 'rmsnorm\nmlp(d_ff: 32)\nrmsnorm\nhead(outputs: 2, pool: cls, hidden: 8)'],
};

/** Kinds with state inputs: a declared decode state, or one their arguments choose (hyena's cached history or modal state). */
const STATEFUL = KIND_NAMES.filter((k) => KINDS[k].decodeState === 'state' || KINDS[k].classify);
/** Stateful kinds whose lowering declares no decode step yet: reported as todo, never silently skipped. */
const NO_STEP = STATEFUL.filter((k) => loweringOf(k)?.decodeStep === false);
const cases = STATEFUL.flatMap((kind) => (DECODE_BODIES[kind] ?? CASES[kind].map((c) => c.body)).map((body, i) => ({ kind, body, i })));

for (const { kind, body, i } of cases) {
  test(`${kind} #${i + 1}: decode step with state inputs = prefill logits at the last position`, { todo: NO_STEP.includes(kind) ? `${kind} has no decode-step lowering yet (compile refuses a decode of it)` : undefined }, async () => {
    const text = `model M {\n  vocab = 64\n  d_model = 32\n  tied = false\n  embedding\n  layers 2 {\n${body}\n  }\n  rmsnorm\n  lm_head\n}\n`;
    const a = analyzeText(text);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], text);
    assert.deepEqual(decodeUnsupported(a.models[0]), []);
    const { decode } = await checkDecodeStep(a.models[0], L);
    const names = decode.inputs.map((i) => i.name);
    assert.ok(names.some((n) => n.startsWith(`state_${kind}_`)), names.join(', '));
    if (kind === 'rwkv_time_mix') assert.ok(names.includes('state_rwkv_channel_mix_1_shift'), names.join(', '));
  });
}

// Mixture of attention heads (JetMoE MoA): routed per-expert q/o over a shared KV cache; MoE with an output bias.
test('attention(experts, top_k): decode step with the shared KV cache = prefill logits at the last position', async () => {
  const body = 'rmsnorm\nattention(heads: 4, kv_heads: 2, head_dim: 8, experts: 3, top_k: 2, out_bias: true)\nrmsnorm\nmoe(experts: 3, top_k: 2, d_ff: 16, out_bias: true)';
  const a = analyzeText(`model M {\n  vocab = 64\n  d_model = 32\n  tied = false\n  embedding\n  layers 2 {\n${body}\n  }\n  rmsnorm\n  lm_head\n}\n`);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const { decode, dec } = await checkDecodeStep(a.models[0], L);
  assert.equal(decode.caches, 2);
  assert.deepEqual(dec.present_key_0.dims, [1, 2, L + 1, 8]);
});

test('every example model has a decode step; a decode graph has the prefill\'s parameters', () => {
  for (const rel of ['examples/hyena_lm.arch', 'examples/titans_mag.arch', 'examples/rwkv7_1_5b.arch', 'examples/retnet_1_3b.arch', 'language-server/stdlib/jamba.arch']) {
    const m = model(rel);
    assert.deepEqual(decodeUnsupported(m), [], rel);
    const probe = probeModel(m, { layers: 2, d_model: 32, seq: 8 });
    const params = (bytes: Uint8Array): number => countGraph(bytes).params;
    assert.equal(params(compileModel(probe, { mode: 'decode', seq: 8 }).bytes), params(compileModel(probe, { seq: 8 }).bytes), rel);
  }
});
