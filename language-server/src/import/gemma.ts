/**
 * Gemma 2 and Gemma 3 text decoders (transformers `Gemma2Config`, `Gemma3TextConfig`):
 * embeddings scaled by √d (no parameters), tied LM head, GeGLU FFN, "sandwich" norms
 * (RMSNorm before and after both attention and FFN), alternating local (sliding window) and global
 * attention: Gemma 2 every other layer, Gemma 3 five local to one global with QK-norm and a separate
 * local RoPE base. Gemma 3 multimodal configs nest the decoder under `text_config`.
 */
import { Cfg, isObject, type Json } from './config';
import { activation, call, every, perLayer, tiedSetting } from './emit';
import { attentionLine, DECODER_KEYS, decoderText, slidingWindows, type AttnArgs } from './decoder';

/** Documented defaults of the config classes for fields that real configs leave out. */
const GEMMA2_DEFAULTS: Json = {
  vocab_size: 256_000, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, sliding_window: 4096,
  max_position_embeddings: 8192, rope_theta: 10_000,
};
const GEMMA3_DEFAULTS: Json = {
  vocab_size: 262_208, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, sliding_window: 4096,
  max_position_embeddings: 131_072, rope_theta: 1_000_000, rope_local_base_freq: 10_000,
};

/** Gemma 3 multimodal: the text decoder's config, with dtype and class names from the outer config. */
export function gemma3TextConfig(top: Json, notes: string[]): Cfg {
  const outer = new Cfg(top, 'gemma3', 'Gemma3Config', notes);
  if (!('text_config' in top)) return new Cfg(top, 'gemma3', 'Gemma3TextConfig', notes);
  const text = top.text_config;
  if (!isObject(text)) return outer.missing('text_config', 'the text decoder (an object)');
  if (top.vision_config !== undefined) {
    outer.note('vision tower (vision_config) and multi-modal projector are not imported: text decoder only');
  }
  const inherited: Json = {};
  for (const k of ['architectures', 'torch_dtype', 'dtype', 'quantization_config']) if (k in top) inherited[k] = top[k];
  return new Cfg({ ...inherited, ...text }, 'gemma3', 'Gemma3TextConfig', notes);
}

export function convertGemma(c: Cfg, name: string, source: string, version: 2 | 3): string {
  c.applyDefaults(version === 2 ? GEMMA2_DEFAULTS : GEMMA3_DEFAULTS);
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const bias = c.boolOr('attention_bias', false, true);
  const a: AttnArgs = {
    heads: c.int('num_attention_heads', 'attention'), kvHeads: c.int('num_key_value_heads', 'attention'),
    headDim: c.int('head_dim', 'attention'), ropeTheta: c.numOpt('rope_theta'), qkNorm: version === 3, qkvBias: bias, outBias: bias,
  };
  const windows = slidingWindows(c, n, gemmaSlides(c, version));
  const localTheta = version === 3 ? c.numOpt('rope_local_base_freq') : undefined;
  const act = activation(c, !c.has('hidden_activation') && c.has('hidden_act') ? 'hidden_act' : 'hidden_activation', 'gelu_pytorch_tanh');
  const body = [
    every('rmsnorm', 'input_layernorm'),
    ...perLayer(n, (i) => attentionLine(a, windows, i, localTheta)),
    every('rmsnorm', 'post_attention_layernorm'),
    every('rmsnorm', 'pre_feedforward_layernorm'),
    every(call('gated_mlp', { d_ff: c.int('intermediate_size', 'feed-forward'), act }), act === 'gelu' ? 'GeGLU' : undefined),
    every('rmsnorm', 'post_feedforward_layernorm'),
  ];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'sliding_window_pattern', 'query_pre_attn_scalar', 'rope_local_base_freq'],
    embedding: every('embedding', 'scaled by sqrt(d_model) at the input (no parameters)'),
    extraHeader: [`Gemma ${version}: sandwich norms (pre/post attention and FFN), tied embeddings${version === 3 ? ', QK-norm, local RoPE base' : ''}`],
  });
}

/** Gemma 2: even layers slide. Gemma 3: all but every `sliding_window_pattern`-th layer slide. */
function gemmaSlides(c: Cfg, version: 2 | 3): (i: number) => boolean {
  if (version === 2) return (i) => i % 2 === 0;
  if (c.has('layer_types')) return () => false; // layer_types wins; the rule is not used
  const p = c.intOr('sliding_window_pattern', 6);
  return (i) => (i + 1) % p !== 0;
}
