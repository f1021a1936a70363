/**
 * DeepSeek-V3 (arXiv 2412.19437; `DeepseekV3Config` / the official modeling_deepseek.py):
 * MLA attention, first `first_k_dense_replace` layers dense SwiGLU, then DeepSeekMoE with shared
 * experts and a router whose `e_score_correction_bias` (topk_method noaux_tc) is a registered buffer in
 * transformers' DeepseekV3TopkRouter, not a parameter (so not counted). When
 * `num_nextn_predict_layers` > 0, a second model `<Name>_MTP extends <Name>` adds the multi-token
 * prediction module as stored in the checkpoint: per MTP layer enorm, hnorm, eh_proj (2d → d), one
 * full decoder layer, shared_head norm, plus copies of the embedding and the LM head.
 */
import { Cfg, ImportError } from './config';
import { call, every, layers, perLayer, tiedSetting, type Line } from './emit';
import { DECODER_KEYS, decoderText } from './decoder';

interface DeepseekLayer {
  readonly attention: string;
  readonly ffn: (i: number) => Line;
}

function readLayer(c: Cfg): DeepseekLayer {
  if (c.boolOr('attention_bias', false, true)) throw new ImportError(`config field 'attention_bias' = true is not supported: the mla kind has no projection biases`);
  const qLora = c.intOpt('q_lora_rank');
  if (qLora === undefined) c.note(`'q_lora_rank' is null: queries use a direct q_proj (mla q_lora: 0)`);
  const attention = call('mla', {
    heads: c.int('num_attention_heads', 'MLA attention'), q_lora: qLora ?? 0,
    kv_lora: c.int('kv_lora_rank', 'MLA attention'), qk_nope_dim: c.int('qk_nope_head_dim', 'MLA attention'),
    qk_rope_dim: c.int('qk_rope_head_dim', 'MLA attention'), v_head_dim: c.int('v_head_dim', 'MLA attention'),
  });
  return { attention, ffn: ffnRule(c) };
}

/** Layer i is MoE when i ≥ first_k_dense_replace and i % moe_layer_freq = 0 (modeling_deepseek.py). */
function ffnRule(c: Cfg): (i: number) => Line {
  const firstDense = c.count('first_k_dense_replace', 'the dense/MoE layer split');
  const freq = c.intOr('moe_layer_freq', 1);
  const routed = c.int('n_routed_experts', 'mixture of experts');
  const expertFf = c.int('moe_intermediate_size', 'mixture of experts');
  const shared = c.count('n_shared_experts', 'mixture of experts');
  const method = c.strOpt('topk_method');
  if (method === undefined && c.family === 'deepseek_v3') c.note(`'topk_method' is not in the config; assuming noaux_tc (router e_score_correction_bias), as transformers' DeepseekV3 always has it`);
  const moe: Line = {
    code: call('moe', {
      experts: routed, top_k: c.int('num_experts_per_tok', 'mixture of experts'), shared: shared ? 1 : undefined,
      d_ff: expertFf, shared_d_ff: shared ? expertFf * shared : undefined,
    }),
    comment: [
      shared ? `${shared} shared expert${shared > 1 ? 's' : ''} fused into one of width n_shared_experts·moe_intermediate_size` : '',
      (method === undefined && c.family === 'deepseek_v3') || method === 'noaux_tc' ? 'router e_score_correction_bias is a buffer, not a parameter' : '',
    ].filter(Boolean).join('; ') || undefined,
  };
  const dense: Line = { code: call('gated_mlp', { d_ff: c.int('intermediate_size', 'the dense layers'), act: 'silu' }) };
  return (i) => (i >= firstDense && i % freq === 0 ? moe : dense);
}

function layerBody(layer: DeepseekLayer, n: number, offset: number): string[] {
  return [
    every('rmsnorm', 'input_layernorm'),
    every(layer.attention),
    every('rmsnorm', 'post_attention_layernorm'),
    ...perLayer(n, (i) => layer.ffn(i + offset)),
  ];
}

function mtpModel(name: string, base: string, layer: DeepseekLayer, mtp: number, offset: number): string[] {
  const body = [
    every('embedding', 'embed_tokens (a copy stored with the MTP layer)'),
    every('rmsnorm', 'enorm'),
    every('rmsnorm', 'hnorm'),
    every(call('linear', { d_in: '2 * d_model', d_out: 'd_model' }), 'eh_proj'),
    ...layerBody(layer, mtp, offset),
    every('rmsnorm', 'shared_head.norm'),
    every('lm_head', 'shared_head.head (a copy)'),
  ];
  return [
    `# Multi-token prediction module (num_nextn_predict_layers = ${mtp}), stored as ${mtp > 1 ? `layers ${offset}…${offset + mtp - 1}` : `layer ${offset}`}`,
    `# of the checkpoint: ${name} = main model + MTP.`,
    `model ${name} extends ${base} {`,
    ...layers(mtp, body).map((l) => `  ${l}`),
    '}',
  ];
}

/** DeepSeek-V2 / V2-Lite / V3 / Kimi-K2 (same layout; V2 routes without a correction bias, V2-Lite has no q LoRA). */
export function convertDeepseekV3(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const layer = readLayer(c);
  const mtp = c.family === 'deepseek_v2' ? 0 : c.intOr('num_nextn_predict_layers', 0, 'no multi-token prediction module');
  const after = mtp > 0 ? mtpModel(`${name}_MTP`, name, layer, mtp, n) : undefined;
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: layerBody(layer, n, 0),
    context: c.intOpt('max_position_embeddings'), after,
    keys: [...DECODER_KEYS, 'q_lora_rank', 'kv_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim',
      'n_routed_experts', 'n_shared_experts', 'num_experts_per_tok', 'moe_intermediate_size', 'first_k_dense_replace',
      'topk_method', 'num_nextn_predict_layers'],
    extraHeader: [`MLA attention (mla), DeepSeekMoE with shared experts${after ? '; MTP module in the _MTP model below' : ''}`],
  });
}
