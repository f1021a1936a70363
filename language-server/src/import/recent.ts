/**
 * Recent Llama-like decoders (transformers modeling files): GLM-4-0414 (`glm4`: sandwich norms — four
 * RMSNorms per layer — q/k/v biases without an o bias, fused gate_up), GLM-4.5 (`glm4_moe`: first
 * `first_k_dense_replace` layers dense, then routed + shared experts with a sigmoid router whose
 * `e_score_correction_bias` is a buffer; MTP layers are not loaded), Seed-OSS (`attention_bias` on q/k/v,
 * `attention_out_bias` on o) and Hunyuan-V1-Dense (biases on q/k/v/o, per-head q/k RMSNorm).
 */
import { Cfg, ImportError } from './config';
import { activation, call, every, flag, perLayer, tiedSetting, type Line } from './emit';
import { attentionCall, DECODER_KEYS, decoderText, readAttention } from './decoder';

type Conv = (c: Cfg, name: string, source: string) => string;

const dims = (c: Cfg): [number, number] => [c.int('hidden_size', 'the residual width (d_model)'), c.int('num_hidden_layers', 'the layer count')];
const swiglu = (c: Cfg, field: string, bias?: boolean): string =>
  call('gated_mlp', { d_ff: c.int(field, 'feed-forward'), act: activation(c, 'hidden_act', 'silu'), bias: flag(bias) });
const GLM_KEYS = [...DECODER_KEYS, 'partial_rotary_factor', 'attention_bias', 'use_qk_norm', 'n_routed_experts', 'n_shared_experts',
  'num_experts_per_tok', 'moe_intermediate_size', 'first_k_dense_replace', 'num_nextn_predict_layers'];

/** GLM-4-0414: input_layernorm → attention → post_self_attn_layernorm; post_attention_layernorm → MLP → post_mlp_layernorm. */
export const convertGlm4: Conv = (c, name, source) => {
  c.applyDefaults({ head_dim: 128, num_key_value_heads: 2, attention_bias: true });
  const [d, n] = dims(c);
  const a = { ...readAttention(c, d, false), qkvBias: c.boolOr('attention_bias', true) };
  const body = [every('rmsnorm', 'input_layernorm'), every(attentionCall(a), `q/k/v biases, o without; partial rotary ${c.numOpt('partial_rotary_factor') ?? 0.5}`),
    every('rmsnorm', 'post_self_attn_layernorm'), every('rmsnorm', 'post_attention_layernorm'),
    every(swiglu(c, 'intermediate_size'), 'fused gate_up_proj + down_proj'), every('rmsnorm', 'post_mlp_layernorm')];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'), keys: GLM_KEYS,
    extraHeader: ['GLM-4-0414: sandwich norms (4 RMSNorms per layer), q/k/v biases, partial rotary (no parameters)'],
  });
};

/** GLM-4.5 (Glm4MoeForCausalLM): dense layers < first_k_dense_replace, then MoE with n_shared_experts fused. */
export const convertGlm4Moe: Conv = (c, name, source) => {
  c.applyDefaults({ head_dim: 128, first_k_dense_replace: 1, n_shared_experts: 1 });
  const [d, n] = dims(c);
  const b = c.boolOr('attention_bias', false);
  const a = { ...readAttention(c, d, false), qkvBias: b, qkNorm: c.boolOr('use_qk_norm', false) };
  const firstMoe = c.count('first_k_dense_replace', 'the dense layers');
  const shared = c.count('n_shared_experts', 'mixture of experts');
  const ff = c.int('moe_intermediate_size', 'mixture of experts');
  const moe: Line = { code: call('moe', { experts: c.int('n_routed_experts', 'mixture of experts'), top_k: c.int('num_experts_per_tok', 'mixture of experts'),
    d_ff: ff, shared: shared ? 1 : undefined, shared_d_ff: shared ? ff * shared : undefined }),
  comment: 'sigmoid router d×E (e_score_correction_bias is a buffer); shared experts fused into one of width n_shared·moe_ff' };
  const dense: Line = { code: swiglu(c, 'intermediate_size'), comment: 'dense layers (first_k_dense_replace)' };
  const mtp = c.intOpt('num_nextn_predict_layers') ?? 0;
  if (mtp) c.note(`num_nextn_predict_layers = ${mtp}: the MTP layer weights are not loaded by Glm4MoeForCausalLM and are not counted`);
  const body = [every('rmsnorm', 'input_layernorm'), every(attentionCall(a), `partial rotary ${c.numOpt('partial_rotary_factor') ?? 0.5}`),
    every('rmsnorm', 'post_attention_layernorm'), ...perLayer(n, (i) => (i < firstMoe ? dense : moe))];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'), keys: GLM_KEYS,
    extraHeader: ['GLM-4.5 MoE: dense first layers, routed + shared experts, q/k/v biases (attention_bias)'],
  });
};

/** Seed-OSS: Llama layout; attention_bias on q/k/v, attention_out_bias on o, mlp_bias on the MLP. */
export const convertSeedOss: Conv = (c, name, source) => {
  const [d, n] = dims(c);
  const a = { ...readAttention(c, d, false), qkvBias: c.boolOr('attention_bias', true), outBias: c.boolOr('attention_out_bias', false) };
  const body = [every('rmsnorm', 'input_layernorm'), every(attentionCall(a)), every('rmsnorm', 'post_attention_layernorm'),
    every(swiglu(c, 'intermediate_size', c.boolOr('mlp_bias', false)))];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'attention_bias', 'attention_out_bias', 'mlp_bias'],
    extraHeader: ['Seed-OSS: Llama layout, biases on q/k/v (attention_bias) and o (attention_out_bias)'],
  });
};

/** Hunyuan-V1-Dense: attention_bias on q/k/v/o, query_layernorm / key_layernorm RMSNorm(head_dim) when use_qk_norm. */
export const convertHunyuanDense: Conv = (c, name, source) => {
  const [d, n] = dims(c);
  if (c.boolOr('use_cla', false, true)) throw new ImportError(`config field 'use_cla' = true is not supported: cross-layer attention (KV shared between layers) has no kind`);
  const b = c.boolOr('attention_bias', false);
  const a = { ...readAttention(c, d, false), qkvBias: b, outBias: b, qkNorm: c.boolOr('use_qk_norm', false) };
  const body = [every('rmsnorm', 'input_layernorm'), every(attentionCall(a), 'qk_norm: query_layernorm / key_layernorm after RoPE'),
    every('rmsnorm', 'post_attention_layernorm'), every(swiglu(c, 'intermediate_size', c.boolOr('mlp_bias', false)))];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'attention_bias', 'mlp_bias', 'use_qk_norm', 'use_cla'],
    extraHeader: ['Hunyuan-V1-Dense: Llama layout, per-head RMSNorm on q and k (use_qk_norm), dynamic-alpha RoPE (no parameters)'],
  });
};
