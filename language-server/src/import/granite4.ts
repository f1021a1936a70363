/**
 * Granite-4.0 hybrids (transformers `GraniteMoeHybridConfig`, modeling_granitemoehybrid.py): every layer is
 * input_layernorm → mixer (`layer_types`: a Bamba-style Mamba-2 mixer or attention, q/k/v/o bias = attention_bias,
 * NoPE by default) → post_attention_layernorm → block_sparse_moe (when num_local_experts > 0: router d×E without
 * bias, experts input_linear d×2·ff and output_linear ff×d) plus shared_mlp (input_linear d×2·shared_ff,
 * output_linear shared_ff×d) in every layer. Multipliers change no counts.
 */
import { Cfg, ImportError } from './config';
import { call, every, perLayer, tiedSetting, type Line } from './emit';
import { attentionCall, DECODER_KEYS, decoderText, readAttention } from './decoder';
import { mamba2 } from './hybrid';

type Conv = (c: Cfg, name: string, source: string) => string;

function mixers(c: Cfg, d: number, n: number): (i: number) => Line {
  const types = c.strListOpt('layer_types', n) ?? c.missing('layer_types', 'the per-layer mixer list');
  const bad = types.find((t) => t !== 'mamba' && t !== 'attention');
  if (bad !== undefined) throw new ImportError(`config field 'layer_types' has unsupported entry ${JSON.stringify(bad)} ('mamba' and 'attention' are supported)`);
  if (!c.boolOr('mamba_conv_bias', true, true)) throw new ImportError(`config field 'mamba_conv_bias' = false is not supported: the mamba2 kind's conv1d has a bias`);
  const b = c.boolOr('attention_bias', false);
  const attn: Line = { code: attentionCall({ ...readAttention(c, d, false), qkvBias: b, outBias: b }), comment: 'attention layers' };
  const mamba: Line | undefined = types.includes('mamba')
    ? { code: mamba2(c, { heads: 'mamba_n_heads', headDim: 'mamba_d_head', groups: 'mamba_n_groups', state: 'mamba_d_state', conv: 'mamba_d_conv' }), comment: 'Mamba-2 layers' }
    : undefined;
  const expand = c.numOpt('mamba_expand');
  if (mamba && expand !== undefined && expand * d !== c.int('mamba_n_heads', 'the Mamba-2 mixer') * c.int('mamba_d_head', 'the Mamba-2 mixer')) {
    throw new ImportError(`config fields 'mamba_expand'·hidden_size (${expand * d}) and 'mamba_n_heads'·'mamba_d_head' disagree: the mixer's width is ambiguous`);
  }
  return (i) => (types[i] === 'mamba' ? mamba! : attn);
}

function ffn(c: Cfg): Line {
  const experts = c.intOr('num_local_experts', 0);
  const shared = c.count('shared_intermediate_size', 'the shared MLP');
  if (experts === 0) return { code: call('gated_mlp', { d_ff: shared }), comment: 'shared_mlp only (num_local_experts 0)' };
  return { code: call('moe', { experts, top_k: c.int('num_experts_per_tok', 'mixture of experts'), d_ff: c.int('intermediate_size', 'mixture of experts'),
    shared: shared ? 1 : undefined, shared_d_ff: shared || undefined }), comment: 'block_sparse_moe (router without bias) + shared_mlp' };
}

export const convertGraniteMoeHybrid: Conv = (c, name, source) => {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const mixer = mixers(c, d, n);
  const f = ffn(c);
  const body = [every('rmsnorm', 'input_layernorm'), ...perLayer(n, mixer), every('rmsnorm', 'post_attention_layernorm'), every(f.code, f.comment)];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'layer_types', 'num_local_experts', 'num_experts_per_tok', 'shared_intermediate_size', 'mamba_n_heads', 'mamba_d_head',
      'mamba_n_groups', 'mamba_d_state', 'position_embedding_type'],
    extraHeader: [`Granite-4.0 hybrid: Mamba-2 / attention per layer_types, ${c.intOr('num_local_experts', 0) ? 'MoE + shared MLP' : 'shared MLP'} in every layer; multipliers change no counts`],
  });
};
