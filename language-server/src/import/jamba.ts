/**
 * Jamba (AI21, arXiv 2403.19887; transformers `JambaConfig`): hybrid Mamba / attention decoder.
 * Layer i uses attention when i % attn_layer_period = attn_layer_offset (else a Mamba mixer with
 * RMSNorms on Δ, B and C), and a MoE FFN when i % expert_layer_period = expert_layer_offset (else a
 * dense SwiGLU). Attention has no positional encoding (the Mamba layers carry position).
 */
import { Cfg } from './config';
import { activation, call, every, perLayer, tiedSetting } from './emit';
import { attentionCall, DECODER_KEYS, decoderText, readAttention } from './decoder';

const JAMBA_KEYS = ['attn_layer_period', 'attn_layer_offset', 'expert_layer_period', 'expert_layer_offset', 'num_experts',
  'num_experts_per_tok', 'mamba_d_state', 'mamba_d_conv', 'mamba_expand', 'mamba_dt_rank'];

function mambaCall(c: Cfg, d: number): string {
  const rank = c.raw.mamba_dt_rank === 'auto' || !c.has('mamba_dt_rank') ? Math.ceil(d / 16) : c.int('mamba_dt_rank', 'the Δ projection');
  if (c.raw.mamba_dt_rank === 'auto' || !c.has('mamba_dt_rank')) c.note(`mamba_dt_rank is "auto" or absent: ceil(hidden_size / 16) = ${rank}`);
  return call('mamba', {
    d_state: c.intOr('mamba_d_state', 16), expand: c.intOr('mamba_expand', 2), d_conv: c.intOr('mamba_d_conv', 4), dt_rank: rank,
    conv_bias: c.boolOr('mamba_conv_bias', true) ? undefined : false, bias: c.boolOr('mamba_proj_bias', false) || undefined,
    dt_norms: true,
  });
}

function moeCall(c: Cfg): string {
  return call('moe', {
    experts: c.int('num_experts', 'mixture of experts'), top_k: c.int('num_experts_per_tok', 'mixture of experts'),
    d_ff: c.int('intermediate_size', 'mixture of experts'),
  });
}

export function convertJamba(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const attn = readAttention(c, d, false);
  const isAttn = (i: number): boolean => i % c.int('attn_layer_period', 'the attention layer pattern') === c.count('attn_layer_offset', 'the attention layer pattern');
  const isMoe = (i: number): boolean => c.int('num_experts', 'mixture of experts') > 1
    && i % c.int('expert_layer_period', 'the MoE layer pattern') === c.count('expert_layer_offset', 'the MoE layer pattern');
  const attention = attentionCall({ ...attn, ropeTheta: undefined });
  const mamba = mambaCall(c, d);
  const moe = moeCall(c);
  const mlp = call('gated_mlp', { d_ff: c.int('intermediate_size', 'feed-forward'), act: activation(c, 'hidden_act', 'silu') });
  const body = [
    every('rmsnorm', 'input_layernorm'),
    ...perLayer(n, (i) => (isAttn(i) ? { code: attention, comment: 'attention layers (no positional encoding)' } : { code: mamba, comment: 'Mamba layers' })),
    every('rmsnorm', 'pre_ff_layernorm'),
    ...perLayer(n, (i) => (isMoe(i) ? { code: moe, comment: 'MoE layers' } : { code: mlp, comment: 'dense layers' })),
  ];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, ...JAMBA_KEYS], finalNorm: every('rmsnorm', 'final_layernorm'),
    extraHeader: ['Jamba: Mamba/attention hybrid with MoE every other layer'],
  });
}
