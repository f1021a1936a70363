/**
 * GPT-2 (Radford et al. 2019; transformers `GPT2Config`): learned absolute positions, pre-LayerNorm
 * with biases, fused c_attn (Conv1D, same parameters as separate q/k/v with biases), GELU MLP with
 * biases, final ln_f, LM head tied to the token embedding (PretrainedConfig default).
 */
import { Cfg } from './config';
import { activation, call, every, tiedSetting } from './emit';
import { attentionCall, decoderText } from './decoder';

export function convertGpt2(c: Cfg, name: string, source: string): string {
  const d = c.int('n_embd', 'the residual width (d_model)');
  const n = c.int('n_layer', 'the layer count');
  const heads = c.int('n_head', 'attention');
  if (d % heads !== 0) c.missing('head_dim', `attention (n_embd ${d} is not divisible by n_head ${heads})`);
  const positions = c.int('n_positions', 'learned position embeddings');
  const inner = c.intOpt('n_inner') ?? 4 * d;
  if (!c.has('n_inner')) c.note(`'n_inner' is null or absent; using the GPT2Config default n_inner = 4·n_embd = ${inner}`);
  const act = activation(c, 'activation_function', 'gelu_new');
  const body = [
    every('layernorm', 'ln_1'),
    every(attentionCall({ heads, kvHeads: heads, headDim: d / heads, qkvBias: true, outBias: true }), 'c_attn + c_proj'),
    every('layernorm', 'ln_2'),
    every(call('mlp', { d_ff: inner, act, bias: true }), 'c_fc + c_proj'),
  ];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, context: c.intOpt('n_ctx') ?? positions,
    keys: ['vocab_size', 'n_embd', 'n_layer', 'n_head', 'n_inner', 'n_positions', 'activation_function', 'tie_word_embeddings'],
    embedding: every(call('embedding', { positions }), 'wte + wpe (learned positions)'),
    finalNorm: every('layernorm', 'ln_f'),
  });
}
