/**
 * Mamba-2 / attention hybrids (transformers `BambaConfig`, `NemotronHConfig`): Bamba puts attention at
 * `attn_layer_indices` and a Mamba-2 mixer elsewhere, each followed by a SwiGLU MLP; Nemotron-H gives
 * every layer one mixer from `hybrid_override_pattern` (M = Mamba-2, * = attention, - = relu² MLP).
 * Mixers follow transformers' Mamba2Mixer: d_inner = heads·head_dim, conv and in_proj over x, B, C.
 */
import { Cfg, ImportError } from './config';
import { activation, call, every, perLayer, tiedSetting, type Line } from './emit';
import { attentionCall, DECODER_KEYS, decoderText, readAttention } from './decoder';

type Conv = (c: Cfg, name: string, source: string) => string;

export function mamba2(c: Cfg, f: { heads: string; headDim: string; groups: string; state: string; conv: string }): string {
  if (c.boolOr('mamba_proj_bias', false, true) || c.boolOr('use_bias', false, true)) {
    throw new ImportError(`config field 'mamba_proj_bias' / 'use_bias' = true is not supported: the mamba2 kind has no projection biases`);
  }
  const heads = c.int(f.heads, 'the Mamba-2 mixer');
  const headDim = c.int(f.headDim, 'the Mamba-2 mixer');
  return call('mamba2', { d_state: c.int(f.state, 'the Mamba-2 mixer'), head_dim: headDim, n_groups: c.int(f.groups, 'the Mamba-2 mixer'),
    d_conv: c.intOr(f.conv, 4), d_inner: heads * headDim });
}

export const convertBamba: Conv = (c, name, source) => {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const attnAt = c.intListOpt('attn_layer_indices') ?? [];
  const attn: Line = { code: attentionCall(readAttention(c, d, false)), comment: 'attention layers' };
  const mixer: Line = { code: mamba2(c, { heads: 'mamba_n_heads', headDim: 'mamba_d_head', groups: 'mamba_n_groups', state: 'mamba_d_state', conv: 'mamba_d_conv' }), comment: 'Mamba-2 layers' };
  const body = [every('rmsnorm', 'input_layernorm'), ...perLayer(n, (i) => (attnAt.includes(i) ? attn : mixer)), every('rmsnorm', 'pre_ff_layernorm'),
    every(call('gated_mlp', { d_ff: c.int('intermediate_size', 'feed-forward'), act: activation(c, 'hidden_act', 'silu') }))];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'attn_layer_indices', 'mamba_n_heads', 'mamba_d_head', 'mamba_n_groups', 'mamba_d_state'],
    extraHeader: ['Bamba: Mamba-2 layers with attention at attn_layer_indices, SwiGLU MLP in every layer'],
  });
};

export const convertNemotronH: Conv = (c, name, source) => {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const pattern = c.strOpt('hybrid_override_pattern') ?? c.missing('hybrid_override_pattern', 'the per-layer mixer pattern');
  const n = c.intOr('num_hidden_layers', pattern.length);
  if (pattern.length !== n) throw new ImportError(`config field 'hybrid_override_pattern' has ${pattern.length} entries but the model has ${n} layers`);
  const bad = [...pattern].find((ch) => !'M*-'.includes(ch));
  if (bad) throw new ImportError(`config field 'hybrid_override_pattern' has unsupported entry ${JSON.stringify(bad)} (M, *, - are supported)`);
  const lines: Record<string, Line> = {
    M: { code: mamba2(c, { heads: 'mamba_num_heads', headDim: 'mamba_head_dim', groups: 'n_groups', state: 'ssm_state_size', conv: 'conv_kernel' }), comment: 'M: Mamba-2' },
    '*': { code: attentionCall(readAttention(c, d, false)), comment: '*: attention' },
    '-': { code: call('mlp', { d_ff: c.int('intermediate_size', 'the MLP layers'), act: activation(c, 'mlp_hidden_act', 'relu2') }), comment: '-: relu² MLP' },
  };
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: [every('rmsnorm', 'norm'), ...perLayer(n, (i) => lines[pattern[i]])],
    context: c.intOpt('max_position_embeddings'), finalNorm: every('rmsnorm', 'norm_f'),
    keys: [...DECODER_KEYS, 'hybrid_override_pattern', 'mamba_num_heads', 'mamba_head_dim', 'n_groups', 'ssm_state_size'],
    extraHeader: ['Nemotron-H: one mixer per layer from hybrid_override_pattern (M Mamba-2, * attention, - MLP)'],
  });
};
