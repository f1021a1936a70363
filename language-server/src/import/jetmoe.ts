/**
 * JetMoE (transformers `JetMoeConfig`, `modeling_jetmoe.py`; Shen et al. 2024, arXiv 2404.07413). Per layer:
 * input RMSNorm; JetMoeAttention = mixture of attention heads (JetMoeMoA: E experts with q d → KV·hd and o
 * KV·hd → d, router d×E without bias, one bias d; shared kv_proj d → 2·KV·hd); post-attention RMSNorm; JetMoeMoE
 * (router d×E, E experts input_linear d → 2·f (GLU) and output_linear f → d, one bias d). JetMoeConfig sets
 * num_attention_heads = num_key_value_heads · num_experts_per_tok and head_dim = kv_channels. Tied by default.
 * The released jetmoe/jetmoe-8b config uses the original jetmoe package's names (moe_num_experts, moe_top_k,
 * ffn_hidden_size); transformers ignores them and applies its defaults, which equal them for that checkpoint —
 * they are read as aliases here, with a note.
 */
import { Cfg, ImportError } from './config';
import { call, every, tiedSetting } from './emit';
import { decoderText } from './decoder';

/** A field under its transformers name, else the jetmoe package's name (noted), else the JetMoeConfig default. */
function aliased(c: Cfg, field: string, legacy: string, fallback: number): number {
  if (c.has(field) || !c.has(legacy)) return c.intOr(field, fallback);
  const v = c.int(legacy, 'JetMoE');
  c.note(`'${field}' is not in the config; read the jetmoe package's '${legacy}' = ${v} (transformers' JetMoeConfig default is ${fallback})`);
  return v;
}

export function convertJetMoe(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const E = aliased(c, 'num_local_experts', 'moe_num_experts', 8);
  const k = aliased(c, 'num_experts_per_tok', 'moe_top_k', 2);
  if (k > E) throw new ImportError(`config field 'num_experts_per_tok' (${k}) exceeds the ${E} experts`);
  const ff = aliased(c, 'intermediate_size', 'ffn_hidden_size', 5632);
  const kv = c.intOr('num_key_value_heads', 16);
  const hd = c.intOr('kv_channels', 128);
  const heads = kv * k;
  const given = c.intOpt('num_attention_heads');
  if (given !== undefined && given !== heads) c.note(`num_attention_heads ${given} is ignored: JetMoeConfig sets it to num_key_value_heads·num_experts_per_tok = ${heads}`);
  if (c.has('glu') && c.raw.glu !== true) c.note(`'glu' = ${JSON.stringify(c.raw.glu)} is ignored: transformers' JetMoeMoE always gates (input_linear d → 2·intermediate_size)`);
  const attn = call('attention', { heads, kv_heads: kv, head_dim: hd, experts: E, top_k: k, out_bias: true, rope_theta: c.numOpt('rope_theta') });
  const body = [every('rmsnorm', 'input_layernorm'), every(attn, 'JetMoeMoA: per-expert q/o, shared kv_proj, router d×E, bias d'),
    every('rmsnorm', 'post_attention_layernorm'), every(call('moe', { experts: E, top_k: k, d_ff: ff, out_bias: true }), 'JetMoeMoE: GLU experts, router d×E, bias d')];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, context: c.intOpt('max_position_embeddings'),
    keys: ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_key_value_heads', 'kv_channels', 'intermediate_size', 'ffn_hidden_size',
      'num_local_experts', 'moe_num_experts', 'num_experts_per_tok', 'moe_top_k', 'max_position_embeddings', 'tie_word_embeddings', 'torch_dtype'],
    extraHeader: ['JetMoE: mixture of attention heads (routed q/o experts over shared k/v) and a mixture of GLU MLP experts, both top-k of E'],
  });
}
