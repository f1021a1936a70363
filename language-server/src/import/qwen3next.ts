/**
 * Qwen3-Next (transformers `Qwen3NextConfig`, `modeling_qwen3_next.py`): per layer an input RMSNorm, a token
 * mixer from `layer_types` ("linear_attention" = `Qwen3NextGatedDeltaNet` → `gated_deltanet`, "full_attention" =
 * `Qwen3NextAttention` → attention with the output gate (q_proj outputs 2·H·hd) and per-head q/k RMSNorms), a
 * post-attention RMSNorm and `Qwen3NextSparseMoeBlock` (router d×E, E SwiGLU experts, one shared expert with a
 * d×1 sigmoid `shared_expert_gate`) or, in mlp_only_layers, a dense SwiGLU MLP. Untied LM head. The MTP head of
 * the released checkpoint is not part of the transformers model (its parameters are not counted).
 */
import { Cfg, ImportError } from './config';
import { call, every, perLayer, tiedSetting, type Line } from './emit';
import { attentionCall, DECODER_KEYS, decoderText, readAttention } from './decoder';

/** Whether layer i is full attention: `layer_types` when given, else the class rule (i + 1) % interval == 0. */
function fullAttentionLayers(c: Cfg, n: number): boolean[] {
  const types = c.strListOpt('layer_types', n);
  if (types) {
    const bad = types.find((t) => t !== 'linear_attention' && t !== 'full_attention');
    if (bad) throw new ImportError(`config field 'layer_types' has unsupported entry ${JSON.stringify(bad)}`);
    return types.map((t) => t === 'full_attention');
  }
  const every_ = c.intOr('full_attention_interval', 4);
  return Array.from({ length: n }, (_, i) => (i + 1) % every_ === 0);
}

function deltanetLine(c: Cfg): Line {
  return { code: call('gated_deltanet', {
    heads: c.intOr('linear_num_value_heads', 32), key_heads: c.intOr('linear_num_key_heads', 16),
    head_dim: c.intOr('linear_key_head_dim', 128), value_head_dim: c.intOr('linear_value_head_dim', 128), d_conv: c.intOr('linear_conv_kernel_dim', 4),
  }), comment: 'linear_attention: Gated DeltaNet' };
}

function moeLines(c: Cfg, n: number): string[] {
  const step = c.intOr('decoder_sparse_step', 1);
  const dense = c.intListOpt('mlp_only_layers') ?? [];
  const experts = c.intOr('num_experts', 512);
  const isMoe = (i: number): boolean => experts > 0 && !dense.includes(i) && (i + 1) % step === 0;
  const sharedFf = c.intOr('shared_expert_intermediate_size', 512);
  const moe: Line = { code: call('moe', { experts, top_k: c.intOr('num_experts_per_tok', 10), d_ff: c.intOr('moe_intermediate_size', 512),
    shared: sharedFf ? 1 : undefined, shared_d_ff: sharedFf || undefined }) };
  const mlp: Line = { code: call('gated_mlp', { d_ff: c.int('intermediate_size', 'the dense layers') }) };
  const gate = (i: number): Line | undefined => (isMoe(i) && sharedFf ? { code: call('linear', { d_out: 1 }), comment: 'shared_expert_gate (d×1, sigmoid)' } : undefined);
  return [...perLayer(n, (i) => (isMoe(i) ? moe : mlp)), ...perLayer(n, gate)];
}

export function convertQwen3Next(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  if (c.boolOr('attention_bias', false, true)) throw new ImportError(`config field 'attention_bias' = true is not supported for qwen3_next`);
  const full = fullAttentionLayers(c, n);
  const attention: Line = { code: attentionCall({ ...readAttention(c, d, false), qkNorm: true, gate: true }), comment: 'full_attention: gated output, q/k norms' };
  const mixer = deltanetLine(c);
  const body = [every('rmsnorm', 'input_layernorm'), ...perLayer(n, (i) => (full[i] ? attention : mixer)),
    every('rmsnorm', 'post_attention_layernorm'), ...moeLines(c, n)];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'layer_types', 'full_attention_interval', 'linear_num_value_heads', 'linear_num_key_heads', 'num_experts',
      'num_experts_per_tok', 'moe_intermediate_size', 'shared_expert_intermediate_size'],
    extraHeader: ['Qwen3-Next: Gated DeltaNet layers with gated full attention every full_attention_interval layers, MoE with a gated shared expert'],
  });
}
