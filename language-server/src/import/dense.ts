/**
 * Llama-like dense decoders with their own twists (transformers config classes and modeling files):
 * Gemma v1 (GeGLU, tied, √d-scaled embedding), OLMo-2 (post-norms; q/k RMSNorm over the full
 * projection width), Cohere / Cohere2 (one weight-only LayerNorm per layer feeding attention and FFN
 * in parallel; Cohere2 3 local : 1 global), Granite (Llama + multipliers, which change no counts),
 * InternLM2 (fused wqkv, `bias`), EXAONE 3.x (`num_layers`, `activation_function`), Nemotron
 * (LayerNorm1P with bias, squared-ReLU MLP, partial rotary).
 */
import { Cfg } from './config';
import { activation, call, every, flag, perLayer, tiedSetting } from './emit';
import { attentionCall, attentionLine, DECODER_KEYS, decoderText, readAttention, slidingWindows, type AttnArgs } from './decoder';

type Conv = (c: Cfg, name: string, source: string) => string;

function dims(c: Cfg, layersField = 'num_hidden_layers'): { d: number; n: number } {
  return { d: c.int('hidden_size', 'the residual width (d_model)'), n: c.int(layersField, 'the layer count') };
}

const gated = (c: Cfg, actField = 'hidden_act', fallback = 'silu', bias?: boolean): string =>
  call('gated_mlp', { d_ff: c.int('intermediate_size', 'feed-forward'), act: activation(c, actField, fallback), bias: flag(bias) });

/** Gemma v1: GemmaConfig defaults head_dim 256; hidden_activation (or legacy hidden_act) GeGLU. */
export const convertGemma1: Conv = (c, name, source) => {
  c.applyDefaults({ head_dim: 256 });
  const { d, n } = dims(c);
  const a = readAttention(c, d, true);
  const actField = !c.has('hidden_activation') && c.has('hidden_act') ? 'hidden_act' : 'hidden_activation';
  const body = [every('rmsnorm', 'input_layernorm'), every(attentionCall(a)), every('rmsnorm', 'post_attention_layernorm'),
    every(gated(c, actField, 'gelu_pytorch_tanh'), 'GeGLU')];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: DECODER_KEYS, embedding: every('embedding', 'scaled by sqrt(d_model) at the input (no parameters)'),
    extraHeader: ['Gemma (v1): GeGLU FFN, tied embeddings, head_dim 256'],
  });
};

/** OLMo-2: attention → post_attention_layernorm, MLP → post_feedforward_layernorm; q_norm H·hd, k_norm KV·hd. */
export const convertOlmo2: Conv = (c, name, source) => {
  const { d, n } = dims(c);
  const a = readAttention(c, d, true);
  const body = [every(attentionCall({ ...a, ...biasOf(c) })),
    every(call('rmsnorm', { dim: a.heads * a.headDim }), 'q_norm over all heads'),
    every(call('rmsnorm', { dim: a.kvHeads * a.headDim }), 'k_norm over all KV heads'),
    every('rmsnorm', 'post_attention_layernorm'), every(gated(c)), every('rmsnorm', 'post_feedforward_layernorm')];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: DECODER_KEYS, extraHeader: ['OLMo-2: post-norms (no pre-norms), RMSNorm on the full q and k projections'],
  });
};

function biasOf(c: Cfg, field = 'attention_bias'): Partial<AttnArgs> {
  const b = c.boolOr(field, false, true);
  return { qkvBias: b, outBias: b };
}

/** Cohere: input_layernorm (LayerNorm without bias) feeds attention and MLP in parallel. */
function convertCohereAny(c: Cfg, name: string, source: string, v2: boolean): string {
  const { d, n } = dims(c);
  const a: AttnArgs = { ...readAttention(c, d, true), ...biasOf(c) };
  const windows = v2 ? slidingWindows(c, n, (i) => (i + 1) % c.intOr('sliding_window_pattern', 4) !== 0) : Array(n).fill(0);
  const qkNorm = !v2 && c.boolOr('use_qk_norm', false, true);
  const body = [every(call('layernorm', { bias: false }), 'input_layernorm (weight only), shared by attention and MLP'),
    ...perLayer(n, (i) => attentionLine(a, windows, i)),
    ...(qkNorm ? [every(call('layernorm', { dim: a.heads * a.headDim, bias: false }), 'q_norm (per head, weights per head)'),
      every(call('layernorm', { dim: a.kvHeads * a.headDim, bias: false }), 'k_norm')] : []),
    every(gated(c), 'parallel with attention: x + attn(ln(x)) + mlp(ln(x))')];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'logit_scale', 'use_qk_norm', 'sliding_window_pattern'],
    finalNorm: every(call('layernorm', { bias: false }), 'final norm (weight only)'),
    extraHeader: [`Cohere${v2 ? '2' : ''}: parallel attention + MLP after one LayerNorm (same counts as sequential)`],
  });
}
export const convertCohere: Conv = (c, name, source) => convertCohereAny(c, name, source, false);
export const convertCohere2: Conv = (c, name, source) => convertCohereAny(c, name, source, true);

/** A Llama-shaped decoder with configurable field names and biases (Granite, InternLM2, EXAONE). */
function llamaShaped(c: Cfg, name: string, source: string, o: { layers?: string; act?: string; bias?: string; mlpBias?: string; tied: boolean; header: string }): string {
  const { d, n } = dims(c, o.layers);
  const a: AttnArgs = { ...readAttention(c, d, true), ...biasOf(c, o.bias) };
  const mlpBias = o.mlpBias ? c.boolOr(o.mlpBias, false, true) : false;
  const body = [every('rmsnorm', 'input norm'), every(attentionCall(a)), every('rmsnorm', 'post-attention norm'),
    every(gated(c, o.act ?? 'hidden_act', 'silu', mlpBias))];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, o.tied), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'num_layers', 'embedding_multiplier', 'residual_multiplier', 'logits_scaling'], extraHeader: [o.header],
  });
}
export const convertGranite: Conv = (c, name, source) => llamaShaped(c, name, source, { tied: false, mlpBias: 'mlp_bias',
  header: 'Granite: Llama layout; embedding/residual/attention multipliers and logits_scaling change no counts' });
export const convertInternlm2: Conv = (c, name, source) => llamaShaped(c, name, source, { tied: false, bias: 'bias',
  header: 'InternLM2: fused wqkv (same parameters as separate q/k/v), `bias` on wqkv and wo' });
export const convertExaone: Conv = (c, name, source) => llamaShaped(c, name, source, { tied: true, layers: 'num_layers',
  act: 'activation_function', header: 'EXAONE 3.x: Llama layout under GPT-2-style field names (num_layers, activation_function)' });

/** Nemotron: LayerNorm1P (weight + bias), attention, LayerNorm1P, up → relu² → down (no gate). */
export const convertNemotron: Conv = (c, name, source) => {
  const { d, n } = dims(c);
  const a: AttnArgs = { ...readAttention(c, d, false), ...biasOf(c) };
  const mlp = call('mlp', { d_ff: c.int('intermediate_size', 'feed-forward'), act: activation(c, 'hidden_act', 'relu2'), bias: flag(c.boolOr('mlp_bias', false, true)) });
  const body = [every('layernorm', 'input_layernorm (LayerNorm1P)'), every(attentionCall(a), `partial rotary ${c.numOpt('partial_rotary_factor') ?? 0.5}`),
    every('layernorm', 'post_attention_layernorm'), every(mlp)];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'partial_rotary_factor'], finalNorm: every('layernorm', 'final LayerNorm1P'),
    extraHeader: ['Nemotron: LayerNorm1P with bias, squared-ReLU MLP without gate'],
  });
};
