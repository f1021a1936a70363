/**
 * LayerNorm-era decoders (transformers modeling files): Phi-1/2 (`phi`), GPT-J, GPT-NeoX / Pythia,
 * Falcon (old and new decoder), MPT, BLOOM, StarCoder2, StableLM. Several run attention and MLP in
 * parallel on the same normed input (x + attn(ln(x)) + mlp(ln(x))): the blocks are listed one after the
 * other with a comment, which gives the same parameters, FLOPs and cache as the parallel form.
 */
import { Cfg } from './config';
import { activation, call, every, flag, tiedSetting } from './emit';
import { attentionCall, DECODER_KEYS, decoderText, readAttention, type AttnArgs } from './decoder';

type Conv = (c: Cfg, name: string, source: string) => string;
const PARALLEL = 'parallel residual: x + attn(ln(x)) + mlp(ln(x)); same counts as sequential';

interface Classic {
  readonly d: number;
  readonly n: number;
  readonly attn: AttnArgs;
  readonly mlp: string;
  /** Norm lines before attention and before the MLP (the second is absent in the one-norm parallel form). */
  readonly norms: readonly [string, string | undefined];
  readonly tied: boolean;
  readonly header: string;
  readonly lmHeadBias?: boolean;
  readonly embedding?: string;
  readonly finalNorm?: string;
  readonly keys?: readonly string[];
  readonly window?: number;
  /** Lines after the attention line (StableLM's per-head q/k LayerNorms). */
  readonly afterAttn?: readonly string[];
}

function build(c: Cfg, name: string, source: string, k: Classic): string {
  const [n1, n2] = k.norms;
  const body = [every(n1), every(attentionCall(k.attn, k.window)), ...(k.afterAttn ?? []), ...(n2 ? [every(n2)] : []), every(k.mlp, n2 ? undefined : PARALLEL)];
  return decoderText(c, {
    name, source, d: k.d, n: k.n, tied: k.tied, layerBody: body, context: c.intOpt('max_position_embeddings') ?? c.intOpt('n_positions') ?? c.intOpt('max_seq_len'),
    keys: k.keys ?? DECODER_KEYS, embedding: k.embedding, finalNorm: every(k.finalNorm ?? 'layernorm', 'final norm'),
    lmHead: k.lmHeadBias ? call('lm_head', { bias: true }) : undefined, extraHeader: [k.header],
  });
}

function mhaArgs(c: Cfg, d: number, headsField: string, bias: boolean): AttnArgs {
  const heads = c.int(headsField, 'attention');
  if (d % heads !== 0) c.missing('head_dim', `attention (${d} is not divisible by ${heads} heads)`);
  return { heads, kvHeads: heads, headDim: d / heads, qkvBias: bias, outBias: bias };
}

const mlp = (d_ff: number, act: string, bias: boolean): string => call('mlp', { d_ff, act, bias: flag(bias) });

/** Phi-1/1.5/2: one LayerNorm, parallel attention (biased q/k/v/dense) and fc1/fc2 MLP, biased LM head. */
export const convertPhi: Conv = (c, name, source) => {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const attn = { ...readAttention(c, d, true), qkvBias: true, outBias: true };
  return build(c, name, source, { d, n: c.int('num_hidden_layers', 'the layer count'), attn,
    mlp: mlp(c.int('intermediate_size', 'feed-forward'), activation(c, 'hidden_act', 'gelu_new'), true),
    norms: ['layernorm', undefined], tied: tiedSetting(c, false), lmHeadBias: true, header: 'Phi (1/1.5/2): parallel attention + MLP, biases everywhere, partial rotary' });
};

/** GPT-J: ln_1 only, q/k/v/out without bias, fc_in/fc_out with bias, LM head with bias. */
export const convertGptj: Conv = (c, name, source) => {
  const d = c.int('n_embd', 'the residual width (d_model)');
  const inner = c.intOpt('n_inner') ?? 4 * d;
  if (!c.has('n_inner')) c.note(`'n_inner' is null or absent; using the GPTJConfig default n_inner = 4·n_embd = ${inner}`);
  return build(c, name, source, { d, n: c.int('n_layer', 'the layer count'), attn: mhaArgs(c, d, 'n_head', false),
    mlp: mlp(inner, activation(c, 'activation_function', 'gelu_new'), true), norms: ['layernorm', undefined],
    tied: tiedSetting(c, false), lmHeadBias: true, header: 'GPT-J: parallel attention + MLP after ln_1, rotary on rotary_dim',
    keys: ['vocab_size', 'n_embd', 'n_layer', 'n_head', 'n_inner', 'rotary_dim', 'n_positions', 'tie_word_embeddings'] });
};

/** GPT-NeoX / Pythia: two LayerNorms, biased qkv/dense and MLP, untied embed_out, (usually) parallel residual. */
export const convertGptNeox: Conv = (c, name, source) => {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const bias = c.boolOr('attention_bias', true, true);
  const parallel = c.boolOr('use_parallel_residual', true);
  return build(c, name, source, { d, n: c.int('num_hidden_layers', 'the layer count'), attn: mhaArgs(c, d, 'num_attention_heads', bias),
    mlp: mlp(c.int('intermediate_size', 'feed-forward'), activation(c, 'hidden_act', 'gelu'), true),
    norms: ['layernorm', `layernorm  # post_attention_layernorm${parallel ? ` (${PARALLEL})` : ''}`], tied: tiedSetting(c, false),
    header: 'GPT-NeoX: input_layernorm and post_attention_layernorm, rotary_pct partial rotary' });
};

/** Falcon: new decoder (ln_attn + ln_mlp, GQA num_kv_heads) or old (one LayerNorm, multi_query), parallel. */
export const convertFalcon: Conv = (c, name, source) => {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const heads = c.intOpt('num_attention_heads') ?? c.int('n_head', 'attention');
  const nu = c.boolOr('new_decoder_architecture', false);
  const kv = nu ? c.intOr('num_kv_heads', heads) : c.boolOr('multi_query', true) ? 1 : heads;
  const bias = c.boolOr('bias', false);
  if (!c.boolOr('parallel_attn', true, true) && !nu) c.note('parallel_attn = false: post_attention_layernorm before the MLP');
  const second = nu ? c.intOr('num_ln_in_parallel_attn', 2) === 2 : !c.boolOr('parallel_attn', true, true);
  if (c.boolOr('alibi', false, true)) c.note('alibi = true: ALiBi position biases (no parameters)');
  return build(c, name, source, { d, n: c.intOpt('num_hidden_layers') ?? c.int('n_layer', 'the layer count'),
    attn: { heads, kvHeads: kv, headDim: d / heads, qkvBias: bias, outBias: bias },
    mlp: mlp(c.intOpt('ffn_hidden_size') ?? 4 * d, activation(c, 'activation', 'gelu'), bias),
    norms: ['layernorm', second ? `layernorm  # ${nu ? 'ln_mlp (parallel with attention)' : 'post_attention_layernorm'}` : undefined],
    tied: tiedSetting(c, true), header: `Falcon (${nu ? 'new' : 'old'} decoder architecture): attention and MLP in parallel`,
    keys: [...DECODER_KEYS, 'n_head', 'n_layer', 'num_kv_heads', 'multi_query', 'new_decoder_architecture', 'parallel_attn', 'bias'] });
};

/** MPT (transformers MptModel): no biases anywhere (its LayerNorms drop theirs), ALiBi, LM head = wte. */
export const convertMpt: Conv = (c, name, source) => {
  const d = c.int('d_model', 'the residual width (d_model)');
  if (!c.boolOr('no_bias', true, true)) c.note('no_bias = false, but transformers\' MptModel has no biases in any case');
  const norm = call('layernorm', { bias: false });
  const ratio = c.numOpt('expansion_ratio') ?? 4;
  return build(c, name, source, { d, n: c.int('n_layers', 'the layer count'), attn: mhaArgs(c, d, 'n_heads', false),
    mlp: mlp(ratio * d, 'gelu', false), norms: [norm, norm], tied: true, finalNorm: norm,
    header: 'MPT: ALiBi, LayerNorms and projections without bias, LM head = wte',
    keys: ['vocab_size', 'd_model', 'n_layers', 'n_heads', 'expansion_ratio', 'max_seq_len', 'no_bias'] });
};

/** BLOOM: LayerNorm after the embedding, biased fused qkv/dense and MLP, ALiBi, tied. */
export const convertBloom: Conv = (c, name, source) => {
  const d = c.intOpt('hidden_size') ?? c.int('n_embed', 'the residual width (d_model)');
  const heads = c.intOpt('n_head') ?? c.int('num_attention_heads', 'attention');
  return build(c, name, source, { d, n: c.intOpt('n_layer') ?? c.int('num_hidden_layers', 'the layer count'),
    attn: { heads, kvHeads: heads, headDim: d / heads, qkvBias: true, outBias: true }, mlp: mlp(4 * d, 'gelu', true),
    norms: ['layernorm', 'layernorm'], tied: tiedSetting(c, true),
    embedding: `embedding\n  layernorm  # word_embeddings_layernorm`, header: 'BLOOM: ALiBi, LayerNorm after the embedding, biases everywhere',
    keys: ['vocab_size', 'hidden_size', 'n_embed', 'n_layer', 'n_head', 'tie_word_embeddings'] });
};

/** StarCoder2: LayerNorm with bias, GQA with biases (use_bias), c_fc/c_proj MLP with biases, sliding window. */
export const convertStarcoder2: Conv = (c, name, source) => {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const bias = c.boolOr('use_bias', true);
  const w = c.intOpt('sliding_window') ?? 0;
  return build(c, name, source, { d, n: c.int('num_hidden_layers', 'the layer count'),
    attn: { ...readAttention(c, d, false), qkvBias: bias, outBias: bias }, window: w,
    mlp: mlp(c.int('intermediate_size', 'feed-forward'), activation(c, 'hidden_act', 'gelu_pytorch_tanh'), bias),
    norms: ['layernorm', 'layernorm'], tied: tiedSetting(c, true), header: `StarCoder2: LayerNorm, biases, ${w ? `sliding window ${w}` : 'full attention'}` });
};

/** StableLM (1/2): LayerNorm with bias, q/k/v bias (use_qkv_bias), SwiGLU, partial rotary, optional parallel residual. */
export const convertStablelm: Conv = (c, name, source) => {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const parallel = c.boolOr('use_parallel_residual', false);
  c.applyDefaults({ num_key_value_heads: 32 });
  const a = readAttention(c, d, false);
  // StableLmLayerNormPerHead: one weight-only LayerNorm(head_dim) per query head and per KV head.
  const qk = c.boolOr('qk_layernorm', false, true) ? [every(call('layernorm', { dim: a.heads * a.headDim, bias: false }), 'q_layernorm: per-head LayerNorms (weight only)'),
    every(call('layernorm', { dim: a.kvHeads * a.headDim, bias: false }), 'k_layernorm: per-KV-head LayerNorms (weight only)')] : [];
  const gated = call('gated_mlp', { d_ff: c.int('intermediate_size', 'feed-forward'), act: activation(c, 'hidden_act', 'silu') });
  return build(c, name, source, { d, n: c.int('num_hidden_layers', 'the layer count'), attn: { ...a, qkvBias: c.boolOr('use_qkv_bias', false) },
    mlp: gated, norms: ['layernorm', parallel ? undefined : 'layernorm'], tied: tiedSetting(c, false), afterAttn: qk,
    header: `StableLM: LayerNorm, partial rotary ${c.numOpt('partial_rotary_factor') ?? 0.25}${parallel ? ', parallel residual' : ''}`,
    keys: [...DECODER_KEYS, 'use_qkv_bias', 'partial_rotary_factor', 'use_parallel_residual'] });
};
