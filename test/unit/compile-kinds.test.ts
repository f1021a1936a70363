/**
 * Every built-in block kind, compiled in a tiny model, run on onnxruntime (CPU), checked against the cost engine:
 * parameters equal, FLOPs per token within 1 % (in practice exact), gate outputs present where the kind has one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../helpers/memoryHost';
import { BLOCK_KINDS } from '../../language-server/src/kinds';
import { compileRunCheck, gateNames } from './compile-harness';

/** Body lines (inside `layers 2 { … }`), extra outer lines, and the gates expected. */
interface Case { body: string; outer?: string; gates?: string[]; dims?: string }
const CASES: Record<string, Case[]> = {
  embedding: [{ body: 'rmsnorm\ngated_mlp(d_ff: 16)', outer: 'embedding(positions: 8)' }],
  lm_head: [{ body: 'mlp(d_ff: 16)', dims: 'tied = true' }, { body: 'mlp(d_ff: 16)' }],
  rmsnorm: [{ body: 'rmsnorm\nmlp(d_ff: 16)\nrmsnorm(dim: 16)' }],
  layernorm: [{ body: 'layernorm\nmlp(d_ff: 16)\nlayernorm(bias: false)' }],
  linear: [{ body: 'linear(d_in: 64, d_out: 32, bias: true)\nlinear(d_out: 16)' }],
  mlp: [{ body: 'mlp(d_ff: 40, act: relu2, bias: true)' }],
  gated_mlp: [{ body: 'gated_mlp(d_ff: 40, act: gelu, bias: true)' }],
  attention: [
    { body: 'attention(heads: 4)', gates: ['attn_probs_l0', 'attn_probs_l1'] },
    { body: 'attention(heads: 4, kv_heads: 2, window: 5, qk_norm: true, sinks: true, qkv_bias: true, out_bias: true)', gates: ['attn_probs_l0'] },
    { body: 'attention(heads: 4, kv_heads: 1, head_dim: 6)' },
  ],
  mla: [
    { body: 'mla(heads: 2, q_lora: 8, kv_lora: 8, qk_nope_dim: 4, qk_rope_dim: 2, v_head_dim: 6)', gates: ['attn_probs_l1'] },
    { body: 'mla(heads: 4, q_lora: 0, kv_lora: 12, qk_nope_dim: 8, qk_rope_dim: 4, v_head_dim: 8)' },
  ],
  moe: [
    { body: 'moe(experts: 4, top_k: 2, d_ff: 16, shared: 1, router_bias: true)', gates: ['moe_probs_l0', 'moe_probs_l1'] },
    { body: 'moe(experts: 6, top_k: 1, d_ff: 8, gated: false, expert_bias: true, shared: 2, shared_d_ff: 12)' },
  ],
  mamba: [{ body: 'mamba(d_state: 4, dt_norms: true, bias: true)' }, { body: 'mamba(d_state: 8, d_inner: 48, dt_rank: 3, conv_bias: false)' }],
  mamba2: [{ body: 'mamba2(d_state: 8, head_dim: 8, n_groups: 2)' }],
  hyena: [{ body: 'hyena(order: 2, filter_width: 16)' }, { body: 'hyena(order: 3, filter_width: 8, emb_dim: 5, short_conv: 2)' }],
  linear_attention: [{ body: 'linear_attention(heads: 4)' }, { body: 'linear_attention(heads: 2, head_dim: 8)' }],
  retnet: [{ body: 'retnet(heads: 2)' }],
  rwkv_time_mix: [{ body: 'rwkv_time_mix(head_dim: 8, decay_lora: 4, a_lora: 4, v_lora: 0, gate_lora: 8) at first 1\nrwkv_time_mix(head_dim: 8, decay_lora: 4, a_lora: 4, v_lora: 4, gate_lora: 8) at not first 1' }],
  rwkv_channel_mix: [{ body: 'rwkv_channel_mix(d_ff: 64)' }],
  engram: [
    { body: 'engram(orders: [2, 3], heads: 2, slots: 16, dim: 16) at [1]', gates: ['engram_alpha_l1'] },
    { body: 'engram(orders: [2, 3], heads: 2, slots: 16, dim: 16, branches: 4) at [1]\nmhc(streams: 4, sinkhorn_iters: 3)\nrmsnorm\nmlp(d_ff: 16)', gates: ['engram_alpha_l1', 'hc_res_l0'] },
  ],
  mhc: [
    { body: 'mhc(streams: 4, sinkhorn_iters: 5)\nrmsnorm\nattention(heads: 4)\nmhc(streams: 4, sinkhorn_iters: 5)\nrmsnorm\ngated_mlp(d_ff: 16)',
      gates: ['hc_res_l0', 'hc_pre_l0', 'hc_post_l0', 'hc_res_l1', 'hc_pre_l1', 'hc_post_l1'] },
    { body: 'mhc(streams: 2, dynamic: false)\nrmsnorm\nmlp(d_ff: 16)', gates: ['hc_res_l1'] },
  ],
  titans: [{ body: 'titans(memory_depth: 2, memory_width: 16, persistent: 4)' }, { body: 'titans(memory_depth: 1)' }, { body: 'titans(memory_depth: 3, memory_width: 8)' }],
  custom: [{ body: 'custom(params: 1000)' }, { body: 'custom(params: 997)' }],
};

function model(c: Case): string {
  return `model M {\n  vocab = 64\n  d_model = 32\n  ${c.dims ?? 'tied = false'}\n  ${c.outer ?? 'embedding'}\n  layers 2 {\n${c.body}\n  }\n  rmsnorm\n  lm_head\n}\n`;
}

test('every built-in kind has a compile case', () => {
  assert.deepEqual([...BLOCK_KINDS.keys()].filter((k) => !CASES[k]), []);
});

for (const [kind, cases] of Object.entries(CASES)) {
  cases.forEach((c, i) => {
    test(`compile ${kind} #${i + 1}: runs on CPU, params exact, FLOPs within 1 %`, async () => {
      const text = model(c);
      const a = analyzeText(text);
      assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], text);
      const r = await compileRunCheck(a.models[0], 16);
      assert.ok(a.models[0].blocks.some((b) => b.kind === kind));
      for (const g of c.gates ?? []) {
        assert.ok(gateNames(r).includes(g), `gate ${g} in ${gateNames(r)}`);
        assert.ok(r.outputs[g], `output ${g}`);
      }
    });
  });
}

test('gate outputs follow docs/gates.md shapes and ranges', async () => {
  const a = analyzeText(model(CASES.engram[1]));
  const { outputs } = await compileRunCheck(a.models[0], 8);
  assert.deepEqual(outputs.engram_alpha_l1.dims, [1, 8, 4]);
  assert.ok((outputs.engram_alpha_l1.data as Float32Array).every((x) => x > 0 && x < 1));
  const res = outputs.hc_res_l0.data as Float32Array;
  assert.deepEqual(outputs.hc_res_l0.dims, [1, 8, 4, 4]);
  for (let r = 0; r < 4; r++) { // doubly stochastic after Sinkhorn: columns sum to 1, rows close to 1
    const col = [0, 1, 2, 3].reduce((s, k) => s + res[k * 4 + r], 0);
    assert.ok(Math.abs(col - 1) < 1e-4, `column ${r} sums to ${col}`);
  }
  const attn = analyzeText(model(CASES.attention[0]));
  const p = (await compileRunCheck(attn.models[0], 6)).outputs.attn_probs_l0;
  const probs = p.data as Float32Array;
  assert.deepEqual(p.dims, [1, 4, 6, 6]);
  assert.equal(probs[0 * 6 + 1], 0, 'causal: query 0 does not see key 1');
  assert.ok(Math.abs(probs.slice(12, 18).reduce((s, x) => s + x, 0) - 1) < 1e-5);
});
