/** One or more tiny models per built-in block kind (a Record<KindName, …>: a new kind without a case is a compile error). */
import type { KindName } from '../../language-server/src/kinds';

/** Body lines (inside `layers 2 { … }`), extra outer lines, the model's last lines (default `rmsnorm` + `lm_head`), and the gates expected. */
export interface Case { body: string; outer?: string; tail?: string; gates?: string[]; dims?: string }
export const CASES: Record<KindName, Case[]> = {
  embedding: [
    { body: 'rmsnorm\ngated_mlp(d_ff: 16)', outer: 'embedding(positions: 8)' },
    { body: 'rmsnorm\ngated_mlp(d_ff: 16)', outer: 'embedding(positions: 12, pos_stride: 4)' },
  ],
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
    { body: 'attention(heads: 4, mask: bidirectional, qkv_bias: true)' },
    { body: 'attention(heads: 4, kv_heads: 2, head_dim: 16, qk_norm: true, gate: true, qkv_bias: true)' },
    { body: 'attention(heads: 4, mask: prefix, prefix: 5)' },
    { body: 'attention(heads: 4, kv_heads: 2, mask: candidates, candidates: 6)' },
    { body: 'attention(heads: 4)\nrmsnorm\nattention(heads: 4, kv_heads: 2, mask: cross, kv_len: 12, kv_dim: 24)' },
    { body: 'attention(heads: 4, kv_heads: 2, head_dim: 8, experts: 3, top_k: 2, out_bias: true)\nmoe(experts: 3, top_k: 2, d_ff: 16)', gates: ['attn_probs_l0', 'moe_probs_l1'] },
    { body: 'attention(heads: 6, kv_heads: 1, head_dim: 8, experts: 4, top_k: 3, qk_norm: true, sinks: true, window: 4)' },
    { body: 'attention(heads: 4, mask: global_local, window: 4, global: 2, global_proj: true, qkv_bias: true)' },
    { body: 'attention(heads: 4, kv_heads: 2, mask: global_local, window: 6, global: 3)' },
    { body: 'attention(heads: 4, mask: block_sparse, block: 2, random: 1)' },
    { body: 'attention(heads: 4, kv_heads: 2, mask: strided, stride: 4)' },
    { body: 'attention(heads: 4, mask: fixed, stride: 4, summary: 2)' },
  ],
  mla: [
    { body: 'mla(heads: 2, q_lora: 8, kv_lora: 8, qk_nope_dim: 4, qk_rope_dim: 2, v_head_dim: 6)', gates: ['attn_probs_l1'] },
    { body: 'mla(heads: 4, q_lora: 0, kv_lora: 12, qk_nope_dim: 8, qk_rope_dim: 4, v_head_dim: 8)' },
  ],
  moe: [
    { body: 'moe(experts: 4, top_k: 2, d_ff: 16, shared: 1, router_bias: true)', gates: ['moe_probs_l0', 'moe_probs_l1'] },
    { body: 'moe(experts: 6, top_k: 1, d_ff: 8, gated: false, expert_bias: true, shared: 2, shared_d_ff: 12)' },
    { body: 'moe(experts: 4, top_k: 2, d_ff: 12, out_bias: true)' },
  ],
  mamba: [{ body: 'mamba(d_state: 4, dt_norms: true, bias: true)', gates: ['ssm_delta_l0', 'ssm_delta_l1'] }, { body: 'mamba(d_state: 8, d_inner: 48, dt_rank: 3, conv_bias: false)' }],
  mamba2: [{ body: 'mamba2(d_state: 8, head_dim: 8, n_groups: 2)', gates: ['ssm_delta_l1'] }, { body: 'mamba2(d_state: 8, head_dim: 8, norm: false)' }],
  hyena: [{ body: 'hyena(order: 2, filter_width: 16)' }, { body: 'hyena(order: 3, filter_width: 8, emb_dim: 5, short_conv: 2)' },
    { body: 'hyena(order: 2, style: safari, filter: modal, state_size: 3)' }, { body: 'hyena(order: 3, filter: modal, decode: fft)' }],
  linear_attention: [{ body: 'linear_attention(heads: 4)' }, { body: 'linear_attention(heads: 2, head_dim: 8)' }, { body: 'linear_attention(heads: 2, head_dim: 24, style: lightning)' }],
  retnet: [{ body: 'retnet(heads: 2)', gates: ['decay_l0', 'decay_l1'] }],
  rwkv_time_mix: [{ body: 'rwkv_time_mix(head_dim: 8, decay_lora: 4, a_lora: 4, v_lora: 0, gate_lora: 8) at first 1\nrwkv_time_mix(head_dim: 8, decay_lora: 4, a_lora: 4, v_lora: 4, gate_lora: 8) at not first 1', gates: ['decay_l0', 'write_l0', 'decay_l1', 'write_l1'] }],
  rwkv_channel_mix: [{ body: 'rwkv_channel_mix(d_ff: 64)' }],
  gated_deltanet: [{ body: 'gated_deltanet(heads: 4, key_heads: 2)', gates: ['decay_l0', 'write_l1'] }, { body: 'gated_deltanet(heads: 2, head_dim: 8, value_head_dim: 12, d_conv: 3)' }],
  rg_lru: [{ body: 'rg_lru(heads: 4)' }, { body: 'rg_lru(heads: 2, width: 48, d_conv: 3)' }],
  gla: [{ body: 'gla' }, { body: 'gla(heads: 2, expand_k: 1, expand_v: 2, gate_low_rank: 4)' }],
  engram: [
    { body: 'engram(orders: [2, 3], heads: 2, slots: 16, dim: 16) at [1]', gates: ['engram_alpha_l1'] },
    { body: 'engram(orders: [2, 3], heads: 2, slots: 16, dim: 16, branches: 4) at [1]\nmhc(streams: 4, sinkhorn_iters: 3)\nrmsnorm\nmlp(d_ff: 16)', gates: ['engram_alpha_l1', 'hc_res_l0'] },
  ],
  mhc: [
    { body: 'mhc(streams: 4, sinkhorn_iters: 5)\nrmsnorm\nattention(heads: 4)\nmhc(streams: 4, sinkhorn_iters: 5)\nrmsnorm\ngated_mlp(d_ff: 16)',
      gates: ['hc_res_l0', 'hc_pre_l0', 'hc_post_l0', 'hc_res_l0_b', 'hc_pre_l0_b', 'hc_post_l0_b', 'hc_res_l1', 'hc_res_l1_b'] },
    { body: 'mhc(streams: 2, dynamic: false)\nrmsnorm\nmlp(d_ff: 16)', gates: ['hc_res_l1'] },
    { body: 'mhc(streams: 4, sinkhorn_iters: 0)\nrmsnorm\nmlp(d_ff: 16)', gates: ['hc_res_l0', 'hc_res_l1'] },
  ],
  titans: [{ body: 'titans(memory_depth: 2, memory_width: 16, persistent: 4)', gates: ['titans_theta_l0', 'titans_alpha_l1', 'titans_eta_l1'] }, { body: 'titans(memory_depth: 1)' }, { body: 'titans(memory_depth: 3, memory_width: 8)' },
    // the Titans variants (arXiv 2501.00663 §4): MAC with a last segment shorter than C (16 = 6 + 6 + 4), MAG after its sliding window, MAL before it
    { body: 'titans(variant: mac, segment: 6, memory_depth: 2, memory_width: 16, persistent: 3)', gates: ['titans_theta_l0', 'titans_alpha_l1'] },
    { body: 'titans(variant: mac, segment: 16, memory_depth: 1)' },
    { body: 'rmsnorm\nattention(heads: 4, window: 5)\ntitans(variant: mag, memory_depth: 2, persistent: 4)', gates: ['titans_eta_l1'] },
    { body: 'titans(variant: mag, memory_depth: 1)' },
    { body: 'rmsnorm\ntitans(variant: mal, memory_depth: 2, memory_width: 16, persistent: 3)\nrmsnorm\nattention(heads: 4, window: 5)', gates: ['titans_alpha_l0'] }],
  cms: [{ body: 'cms(d_ff: 32, periods: [4, 1024])' }, { body: 'rmsnorm\ncms(d_ff: 16, periods: [1, 5, 13], lr: 0.02)' }, { body: 'cms(d_ff: 16, periods: 17)' }],
  adaln: [{ body: 'adaln(chunks: 6)\nattention(heads: 4, mask: bidirectional)\nadaln(chunks: 0)\nmlp(d_ff: 16)' }, { body: 'adaln(chunks: 2, cond_dim: 16, bias: false)\nmlp(d_ff: 16)' }],
  mlstm: [{ body: 'mlstm' }, { body: 'mlstm(heads: 2, proj_factor: 1.5, round_to: 16, qkv_blocksize: 8, d_conv: 3, bias: true)' },
    { body: 'mlstm(variant: large, heads: 4)' }, { body: 'mlstm(variant: large, heads: 2, qk_dim_factor: 0.25, v_dim_factor: 1.5, gate_soft_cap: 0, bias: true)' }],
  slstm: [{ body: 'slstm\ngated_mlp(d_ff: 48)' }, { body: 'slstm(heads: 2, d_conv: 2)' }],
  lstm: [{ body: 'lstm' }, { body: 'lstm(hidden: 24)' }],
  gru: [{ body: 'gru' }, { body: 'gru(hidden: 40)' }],
  s4d: [{ body: 's4d(d_state: 8)' }, { body: 's4d' }],
  custom: [{ body: 'custom(params: 1000)' }, { body: 'custom(params: 997)' }, { body: 'custom(params: 1000, flops: 6000)' }, { body: 'custom(params: 1000, flops: 0)' }],
  head: [
    { body: 'mlp(d_ff: 16)', tail: 'rmsnorm\n  head(outputs: 5)' },
    { body: 'attention(heads: 4, kv_heads: 2, mask: candidates, candidates: 6)', tail: 'rmsnorm\n  head(outputs: 19, pool: none, positions: 6, task: multi_label, bias: false)' },
    { body: 'mlp(d_ff: 16)', tail: 'layernorm\n  head(outputs: 3, pool: cls, hidden: 32)' },
    { body: 'mlp(d_ff: 16)', tail: 'rmsnorm\n  head(outputs: 1, pool: mean, task: regress)' },
    { body: 'mlp(d_ff: 16)', tail: 'rmsnorm\n  head(outputs: 4, pool: none)' },
  ],
  hashed_embedding: [
    { body: 'rmsnorm\nmlp(d_ff: 16)', outer: 'hashed_embedding(buckets: 40, hashes: 3)' },
    { body: 'rmsnorm\nmlp(d_ff: 16)', outer: 'hashed_embedding(buckets: 24, combine: concat)' },
  ],
  ntm: [{ body: 'ntm(hidden: 24, slots: 16, width: 8)' },
    { body: 'ntm(controller: mlp, hidden: 16, slots: 10, width: 6, read_heads: 2, write_heads: 2, shift: 5)' }],
  dnc: [{ body: 'dnc(hidden: 24, slots: 12, width: 8, read_heads: 2)' }, { body: 'dnc(controller: mlp, hidden: 16, slots: 8, width: 6)' }],
  s4: [{ body: 's4(d_state: 8)' }, { body: 's4(d_state: 4)\nrmsnorm\nmlp(d_ff: 16)' }],
  h3: [{ body: 'h3(d_state: 8)' }, { body: 'h3(d_state: 4, head_dim: 4)' }, { body: 'h3\nrmsnorm\nattention(heads: 4) at [1]' }],
};

export function model(c: Case): string {
  return `model M {\n  vocab = 64\n  d_model = 32\n  ${c.dims ?? 'tied = false'}\n  ${c.outer ?? 'embedding'}\n  layers 2 {\n${c.body}\n  }\n  ${c.tail ?? 'rmsnorm\n  lm_head'}\n}\n`;
}
