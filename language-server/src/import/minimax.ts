/**
 * MiniMax-Text-01 / MiniMax-M1 (transformers `MiniMaxConfig`, `modeling_minimax.py`; MiniMax-01 report, arXiv
 * 2501.08313). The released configs are the remote-code MiniMaxText01Config / MiniMaxM1Config: their
 * `attn_type_list` (0 = lightning, 1 = softmax attention) is what transformers' MiniMaxConfig calls `layer_types`.
 * Per layer: input RMSNorm; MiniMaxLightningAttention (`linear_attention(style: lightning)`) or MiniMaxAttention
 * (GQA, no biases); post-attention RMSNorm; MiniMaxSparseMoeBlock (router d×E without bias, E SwiGLU experts
 * gate_up d → 2·f, down f → d). The residual scalings (layernorm_*_alpha / _beta, postnorm) are constants, not
 * parameters. Untied LM head by default.
 */
import { Cfg, ImportError } from './config';
import { call, every, perLayer, tiedSetting, type Line } from './emit';
import { attentionCall, DECODER_KEYS, decoderText } from './decoder';

/** Whether layer i is softmax attention: layer_types, else attn_type_list, else the MiniMaxConfig default (even layers). */
function fullAttention(c: Cfg, n: number): boolean[] {
  const types = c.strListOpt('layer_types', n);
  if (types) {
    const bad = types.find((t) => t !== 'linear_attention' && t !== 'full_attention');
    if (bad) throw new ImportError(`config field 'layer_types' has unsupported entry ${JSON.stringify(bad)}`);
    return types.map((t) => t === 'full_attention');
  }
  const list = c.intListOpt('attn_type_list');
  if (list) {
    if (list.length !== n) throw new ImportError(`config field 'attn_type_list' has ${list.length} entries but the model has ${n} layers`);
    if (list.some((t) => t > 1)) throw new ImportError(`config field 'attn_type_list' must hold 0 (lightning) or 1 (softmax attention) per layer`);
    return list.map((t) => t === 1);
  }
  c.note(`neither 'layer_types' nor 'attn_type_list' is in the config; using the ${c.hfClass} default: full attention on even layers, lightning on odd ones`);
  return Array.from({ length: n }, (_, i) => (i + 1) % 2 === 1);
}

function headDim(c: Cfg, d: number, heads: number): number {
  const hd = c.intOpt('head_dim');
  if (hd !== undefined) return hd;
  if (d % heads !== 0) c.missing('head_dim', `attention (hidden_size ${d} is not divisible by ${heads} heads)`);
  c.note(`'head_dim' is not in the config; using the ${c.hfClass} default hidden_size / num_attention_heads = ${d / heads}`);
  return d / heads;
}

export function convertMiniMax(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  if ((c.intOpt('shared_intermediate_size') ?? 0) > 0) {
    throw new ImportError(`config field 'shared_intermediate_size' > 0 is not supported: transformers' MiniMaxSparseMoeBlock has no shared expert`);
  }
  const heads = c.int('num_attention_heads', 'attention');
  const hd = headDim(c, d, heads);
  const full = fullAttention(c, n);
  const experts = c.intOpt('num_local_experts') ?? c.intOr('num_experts', 8);
  const attn: Line = { code: attentionCall({ heads, kvHeads: c.intOr('num_key_value_heads', 8), headDim: hd, ropeTheta: c.numOpt('rope_theta') }), comment: 'softmax attention (MiniMaxAttention)' };
  const lightning: Line = { code: call('linear_attention', { heads, head_dim: hd, style: 'lightning' }), comment: 'lightning attention (MiniMaxLightningAttention)' };
  const moe = call('moe', { experts, top_k: c.intOr('num_experts_per_tok', 2), d_ff: c.int('intermediate_size', 'mixture of experts') });
  const body = [every('rmsnorm', 'input_layernorm'), ...perLayer(n, (i) => (full[i] ? attn : lightning)),
    every('rmsnorm', 'post_attention_layernorm'), every(moe, 'router d×E without bias, SwiGLU experts')];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: [...DECODER_KEYS, 'num_local_experts', 'num_experts_per_tok', 'shared_intermediate_size', 'rotary_dim'],
    extraHeader: ['MiniMax: lightning attention with softmax attention where attn_type_list / layer_types says, MoE every layer; residual alpha/beta scalings are constants'],
  });
}
