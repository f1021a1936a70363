/**
 * Llama-style pre-norm decoders: RMSNorm → attention → RMSNorm → FFN per layer.
 * Dense families here (llama, mistral, qwen2, qwen3, phi3); MoE families (mixtral, qwen3_moe,
 * gpt_oss) reuse `convertDecoder` from moe.ts. Defaults follow the transformers config classes.
 */
import { Cfg } from './config';
import { activation, call, every, flag, perLayer, tiedSetting, type Line } from './emit';
import { attentionLine, DECODER_KEYS, decoderText, readAttention, slidingWindows, type AttnArgs } from './decoder';

export interface DecoderSpec {
  /** transformers sets num_key_value_heads = num_attention_heads when absent. */
  readonly kvDefaultsToHeads: boolean;
  readonly tiedDefault: boolean;
  readonly attention: (c: Cfg) => Partial<AttnArgs>;
  /** Whether layer i uses the sliding window when the config has no `layer_types`. */
  readonly slides: (c: Cfg, i: number) => boolean;
  /** The feed-forward line of layer i. */
  readonly ffn: (c: Cfg, n: number) => (i: number) => Line;
  readonly keys?: readonly string[];
  readonly extraHeader?: readonly string[];
  /** Applies documented defaults to fields read by shared code (e.g. Mistral's sliding_window 4096). */
  readonly prepare?: (c: Cfg) => void;
}

export function convertDecoder(c: Cfg, name: string, source: string, spec: DecoderSpec): string {
  spec.prepare?.(c);
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const a: AttnArgs = { ...readAttention(c, d, spec.kvDefaultsToHeads), ...spec.attention(c) };
  const windows = slidingWindows(c, n, (i) => spec.slides(c, i));
  const body = [
    every('rmsnorm', 'input_layernorm'),
    ...perLayer(n, (i) => attentionLine(a, windows, i)),
    every('rmsnorm', 'post_attention_layernorm'),
    ...perLayer(n, spec.ffn(c, n)),
  ];
  return decoderText(c, {
    name, source, d, n, keys: [...DECODER_KEYS, ...(spec.keys ?? [])], tied: tiedSetting(c, spec.tiedDefault),
    layerBody: body, context: c.intOpt('max_position_embeddings'), extraHeader: spec.extraHeader,
  });
}

/** SwiGLU (or GeGLU) FFN of width `intermediate_size`, same in every layer. */
export function denseFfn(biasField?: string) {
  return (c: Cfg): ((i: number) => Line) => {
    const line = {
      code: call('gated_mlp', {
        d_ff: c.int('intermediate_size', 'feed-forward'),
        act: activation(c, 'hidden_act', 'silu'),
        bias: biasField ? flag(c.boolOr(biasField, false)) : undefined,
      }),
    };
    return () => line;
  };
}

const never = (): boolean => false;

/** Mistral / Phi-3: the sliding window (when not null) applies to every layer. */
export const slidesIfSet = (c: Cfg): boolean => c.has('sliding_window');

/** Qwen2/Qwen3: sliding window only when use_sliding_window, on layers ≥ max_window_layers. */
export function qwenSlides(c: Cfg, i: number): boolean {
  if (!c.boolOr('use_sliding_window', false)) return false;
  return c.has('sliding_window') && i >= c.intOr('max_window_layers', 28);
}

/** MistralConfig documents sliding_window = 4096 when absent; null disables it. */
export function mistralPrepare(c: Cfg): void {
  c.applyDefaults({ sliding_window: 4096 });
}

/** Llama's attention_bias covers q, k, v and o. */
function llamaBias(c: Cfg): Partial<AttnArgs> {
  const b = c.boolOr('attention_bias', false);
  return { qkvBias: b, outBias: b };
}

export const DENSE_FAMILIES: Readonly<Record<string, readonly [string, DecoderSpec]>> = {
  llama: ['LlamaConfig', {
    kvDefaultsToHeads: true, tiedDefault: false, attention: llamaBias, slides: never, ffn: denseFfn('mlp_bias'),
  }],
  mistral: ['MistralConfig', {
    kvDefaultsToHeads: false, tiedDefault: false, attention: () => ({}), slides: slidesIfSet, ffn: denseFfn(),
    prepare: mistralPrepare,
  }],
  qwen2: ['Qwen2Config', {
    kvDefaultsToHeads: false, tiedDefault: false, attention: () => ({ qkvBias: true }), slides: qwenSlides, ffn: denseFfn(),
    keys: ['use_sliding_window', 'max_window_layers'], extraHeader: ['Qwen2: biases on q, k, v (not on o_proj)'],
  }],
  qwen3: ['Qwen3Config', {
    kvDefaultsToHeads: false, tiedDefault: false, attention: (c) => ({ ...llamaBias(c), qkNorm: true }),
    prepare: (c) => c.applyDefaults({ head_dim: 128 }), // Qwen3Config: head_dim = 128, not hidden_size / heads
    slides: qwenSlides, ffn: denseFfn(), keys: ['use_sliding_window'], extraHeader: ['Qwen3: RMSNorm on q and k per head (qk_norm)'],
  }],
  phi3: ['Phi3Config', {
    kvDefaultsToHeads: true, tiedDefault: false, attention: () => ({}), slides: slidesIfSet, ffn: denseFfn(),
    extraHeader: ['Phi-3 fuses qkv_proj and gate_up_proj; the fused matrices have the same parameters as separate ones'],
  }],
};
