/**
 * RecurrentGemma / Griffin (transformers `RecurrentGemmaConfig`, `modeling_recurrent_gemma.py`; De et al. 2024,
 * arXiv 2402.19427): embeddings scaled by √d (no parameters), tied LM head, every layer a temporal pre-norm,
 * a temporal block from the cycle `block_types` (the released configs spell it `_block_types`; the class default
 * is recurrent, recurrent, attention), a channel pre-norm and a GeGLU MLP of intermediate_size / 2 with biases.
 * Recurrent blocks are `rg_lru`; attention blocks are local (attention_window_size) MQA with head_dim = hidden /
 * heads (the class computes it and ignores a `head_dim` field), q/k/v biases from attention_bias, o_proj biased.
 */
import { Cfg, ImportError } from './config';
import { activation, call, every, perLayer, tiedSetting, type Line } from './emit';
import { attentionCall, DECODER_KEYS, decoderText } from './decoder';

const DEFAULT_CYCLE = ['recurrent', 'recurrent', 'attention'];

function blockCycle(c: Cfg): string[] {
  const field = c.has('block_types') ? 'block_types' : c.has('_block_types') ? '_block_types' : undefined;
  if (!field) {
    c.note(`'block_types' is not in the config; using the ${c.hfClass} default cycle ${DEFAULT_CYCLE.join(', ')}`);
    return DEFAULT_CYCLE;
  }
  const v = c.raw[field];
  if (!Array.isArray(v) || v.length === 0 || !v.every((t) => t === 'recurrent' || t === 'attention')) {
    throw new ImportError(`config field '${field}' must be a non-empty list of "recurrent" / "attention", found ${JSON.stringify(v)}`);
  }
  return v as string[];
}

function attentionLine(c: Cfg, d: number): Line {
  const heads = c.int('num_attention_heads', 'attention');
  if (d % heads !== 0) throw new ImportError(`config field 'hidden_size' (${d}) must be divisible by num_attention_heads (${heads})`);
  const kvHeads = c.intOr('num_key_value_heads', heads, 'RecurrentGemmaConfig sets num_key_value_heads = num_attention_heads when absent');
  const given = c.intOpt('head_dim');
  if (given !== undefined && given !== d / heads) c.note(`'head_dim' = ${given} is ignored: RecurrentGemmaConfig sets head_dim = hidden_size / num_attention_heads = ${d / heads}`);
  const window = c.intOr('attention_window_size', 2048);
  const code = attentionCall({ heads, kvHeads, headDim: d / heads, qkvBias: c.boolOr('attention_bias', false, true), outBias: true, ropeTheta: c.numOpt('rope_theta') }, window);
  return { code, comment: 'local attention layers' };
}

export function convertRecurrentGemma(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const width = c.intOr('lru_width', d);
  const cycle = blockCycle(c);
  const recurrent: Line = { code: call('rg_lru', { heads: c.int('num_attention_heads', 'the RG-LRU gate blocks'), width: width === d ? undefined : width, d_conv: c.intOr('conv1d_width', 4) }), comment: 'RG-LRU layers' };
  const attention = attentionLine(c, d);
  const ff = c.intOr('intermediate_size', 3 * d);
  const body = [
    every('rmsnorm', 'temporal_pre_norm'),
    ...perLayer(n, (i) => (cycle[i % cycle.length] === 'attention' ? attention : recurrent)),
    every('rmsnorm', 'channel_pre_norm'),
    every(call('gated_mlp', { d_ff: Math.floor(ff / 2), act: activation(c, 'hidden_activation', 'gelu_pytorch_tanh'), bias: true }), 'MLP width intermediate_size / 2, biased'),
  ];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, finalNorm: every('rmsnorm', 'final_norm'),
    keys: [...DECODER_KEYS, 'lru_width', 'conv1d_width', 'attention_window_size', 'block_types', '_block_types'],
    extraHeader: ['Griffin: RG-LRU recurrent blocks and local MQA in the block_types cycle, GeGLU MLP with biases in every layer'],
  });
}
