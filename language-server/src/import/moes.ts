/**
 * Further mixture-of-experts decoders (transformers modeling files): Qwen2-MoE (shared expert with a
 * d×1 sigmoid gate), OLMoE (q_norm over d, k_norm over KV·hd), GraniteMoE (+ multipliers), PhiMoE
 * (LayerNorms, biased attention and LM head), DBRX (nested attn_config / ffn_config, bias-free
 * LayerNorms), Llama-4 text (interleaved MoE / dense layers, shared expert, NoPE layers).
 */
import { Cfg, isObject } from './config';
import { call, every, flag, perLayer, tiedSetting, type Line } from './emit';
import { attentionCall, DECODER_KEYS, decoderText, readAttention, type AttnArgs } from './decoder';

type Conv = (c: Cfg, name: string, source: string) => string;
const MOE_KEYS = [...DECODER_KEYS, 'num_experts', 'num_local_experts', 'num_experts_per_tok', 'moe_intermediate_size',
  'shared_expert_intermediate_size', 'decoder_sparse_step', 'interleave_moe_layer_step', 'intermediate_size_mlp'];

interface MoeLayout {
  readonly attn: AttnArgs;
  readonly norm: string;
  readonly ffn: (i: number) => Line;
  readonly extra?: readonly string[];
  readonly tied: boolean;
  readonly header: string;
  readonly lmHeadBias?: boolean;
}

function build(c: Cfg, name: string, source: string, d: number, n: number, m: MoeLayout): string {
  const body = [every(m.norm, 'input_layernorm'), every(attentionCall(m.attn)), ...(m.extra ?? []),
    every(m.norm, 'post_attention_layernorm'), ...perLayer(n, m.ffn)];
  return decoderText(c, {
    name, source, d, n, tied: m.tied, layerBody: body, context: c.intOpt('max_position_embeddings'), keys: MOE_KEYS,
    finalNorm: every(m.norm, 'final norm'), lmHead: m.lmHeadBias ? call('lm_head', { bias: true }) : undefined, extraHeader: [m.header],
  });
}

const dims = (c: Cfg): [number, number] => [c.int('hidden_size', 'the residual width (d_model)'), c.int('num_hidden_layers', 'the layer count')];

/** Qwen2-MoE: layer i sparse unless in mlp_only_layers or (i+1) % decoder_sparse_step ≠ 0. */
export const convertQwen2Moe: Conv = (c, name, source) => {
  const [d, n] = dims(c);
  const step = c.intOr('decoder_sparse_step', 1);
  const dense = c.intListOpt('mlp_only_layers') ?? [];
  const sharedFf = c.intOr('shared_expert_intermediate_size', 0);
  const moe: Line = { code: call('moe', { experts: c.int('num_experts', 'mixture of experts'), top_k: c.int('num_experts_per_tok', 'mixture of experts'),
    d_ff: c.int('moe_intermediate_size', 'mixture of experts'), shared: sharedFf ? 1 : undefined, shared_d_ff: sharedFf || undefined }) };
  const mlp: Line = { code: call('gated_mlp', { d_ff: c.int('intermediate_size', 'the dense layers') }) };
  const isMoe = (i: number): boolean => !dense.includes(i) && (i + 1) % step === 0;
  const gate = sharedFf ? [...perLayer(n, (i) => (isMoe(i) ? { code: call('linear', { d_out: 1 }), comment: 'shared_expert_gate (d×1, sigmoid)' } : undefined))] : [];
  return build(c, name, source, d, n, { attn: { ...readAttention(c, d, false), qkvBias: true }, norm: 'rmsnorm', extra: gate,
    ffn: (i) => (isMoe(i) ? moe : mlp), tied: tiedSetting(c, false), header: 'Qwen2-MoE: q/k/v biases; routed experts + one gated shared expert' });
};

/** OLMoE: q_norm RMSNorm(d), k_norm RMSNorm(KV·hd), MoE every layer, router without bias. */
export const convertOlmoe: Conv = (c, name, source) => {
  const [d, n] = dims(c);
  const a = readAttention(c, d, true);
  const moe: Line = { code: call('moe', { experts: c.int('num_experts', 'mixture of experts'), top_k: c.int('num_experts_per_tok', 'mixture of experts'),
    d_ff: c.int('intermediate_size', 'mixture of experts') }) };
  const norms = [every(call('rmsnorm', { dim: a.heads * a.headDim }), 'q_norm over all heads'), every(call('rmsnorm', { dim: a.kvHeads * a.headDim }), 'k_norm over all KV heads')];
  return build(c, name, source, d, n, { attn: a, norm: 'rmsnorm', extra: norms, ffn: () => moe, tied: tiedSetting(c, false),
    header: 'OLMoE: RMSNorm on the full q and k projections, every layer MoE' });
};

/** GraniteMoE: input_linear (gated) + output_linear experts, router without bias; multipliers change no counts. */
export const convertGranitemoe: Conv = (c, name, source) => {
  const [d, n] = dims(c);
  const moe: Line = { code: call('moe', { experts: c.int('num_local_experts', 'mixture of experts'), top_k: c.int('num_experts_per_tok', 'mixture of experts'),
    d_ff: c.int('intermediate_size', 'mixture of experts') }) };
  const b = c.boolOr('attention_bias', false, true);
  return build(c, name, source, d, n, { attn: { ...readAttention(c, d, true), qkvBias: b, outBias: b }, norm: 'rmsnorm', ffn: () => moe,
    tied: tiedSetting(c, true), header: 'GraniteMoE: Llama-style attention, MoE every layer; multipliers change no counts' });
};

/** PhiMoE: LayerNorms with bias, attention_bias on q/k/v/o, MoE every layer, lm_head_bias. */
export const convertPhimoe: Conv = (c, name, source) => {
  const [d, n] = dims(c);
  const b = c.boolOr('attention_bias', false);
  const moe: Line = { code: call('moe', { experts: c.int('num_local_experts', 'mixture of experts'), top_k: c.int('num_experts_per_tok', 'mixture of experts'),
    d_ff: c.int('intermediate_size', 'mixture of experts') }) };
  return build(c, name, source, d, n, { attn: { ...readAttention(c, d, false), qkvBias: b, outBias: b }, norm: 'layernorm', ffn: () => moe,
    tied: tiedSetting(c, false), lmHeadBias: c.boolOr('lm_head_bias', false), header: 'PhiMoE: LayerNorms, biased attention, sparsemixer top-2 routing' });
};

/** DBRX: d_model / n_layers / n_heads; attn_config.kv_n_heads; ffn_config.{moe_num_experts, moe_top_k, ffn_hidden_size}. */
export const convertDbrx: Conv = (c, name, source) => {
  const d = c.int('d_model', 'the residual width (d_model)');
  const n = c.int('n_layers', 'the layer count');
  const heads = c.int('n_heads', 'attention');
  const attnCfg = new Cfg(isObject(c.raw.attn_config) ? c.raw.attn_config : {}, 'dbrx', 'DbrxAttentionConfig', c.notes);
  const ffnCfg = new Cfg(isObject(c.raw.ffn_config) ? c.raw.ffn_config : {}, 'dbrx', 'DbrxFFNConfig', c.notes);
  const moe: Line = { code: call('moe', { experts: ffnCfg.intOr('moe_num_experts', 4), top_k: ffnCfg.intOr('moe_top_k', 1),
    d_ff: ffnCfg.intOr('ffn_hidden_size', 3584) }), comment: 'w1, v1, w2 per expert (GLU); router without bias' };
  const norm = call('layernorm', { bias: false });
  return build(c, name, source, d, n, { attn: { heads, kvHeads: attnCfg.intOr('kv_n_heads', 1), headDim: d / heads }, norm, ffn: () => moe,
    tied: tiedSetting(c, false), header: 'DBRX: fused Wqkv without bias (clip_qkv), LayerNorms without bias, fine-grained MoE' });
};

/** Llama-4 text: layer i MoE when (i+1) % interleave_moe_layer_step = 0 (or in moe_layers); shared expert; router without bias. */
export const convertLlama4Text: Conv = (c, name, source) => {
  const [d, n] = dims(c);
  const step = c.intOr('interleave_moe_layer_step', 1);
  const list = c.intListOpt('moe_layers');
  const isMoe = (i: number): boolean => (list ? list.includes(i) : (i + 1) % step === 0);
  const ff = c.int('intermediate_size', 'the routed and shared experts');
  const moe: Line = { code: call('moe', { experts: c.int('num_local_experts', 'mixture of experts'), top_k: c.intOr('num_experts_per_tok', 1),
    shared: 1, d_ff: ff }), comment: 'routed experts + one shared expert of the same width' };
  const mlp: Line = { code: call('gated_mlp', { d_ff: c.int('intermediate_size_mlp', 'the dense layers') }), comment: 'dense layers' };
  const a = readAttention(c, d, true);
  if (c.boolOr('use_qk_norm', true, true)) c.note('use_qk_norm: L2 norm of q and k without weights (no parameters)');
  return build(c, name, source, d, n, { attn: { ...a, qkvBias: flag(c.boolOr('attention_bias', false, true)), outBias: flag(c.boolOr('attention_bias', false, true)) },
    norm: 'rmsnorm', ffn: (i) => (isMoe(i) ? moe : mlp), tied: tiedSetting(c, false),
    header: 'Llama-4 text: interleaved MoE/dense layers, chunked attention with NoPE layers (no parameters)' });
};
