/**
 * A `model_type` we do not know: when the config is readable, its common fields (under their usual
 * aliases) are mapped onto the closest family — a Llama-style dense decoder, or a Mixtral-style MoE when
 * it names experts — and every guess is returned as a warning (and written into the `.arch` text as a
 * `# warning:` comment): the family assumed, each alias read, the norm assumed, the fields ignored.
 * A config without the fields every decoder needs is refused, naming them.
 */
import { Cfg, ImportError, type Json } from './config';
import { call, commentText, type Line } from './emit';
import { convertDecoder, denseFfn, slidesIfSet, type DecoderSpec } from './llama';

/** Canonical field ← aliases, in order of preference. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  hidden_size: ['hidden_size', 'd_model', 'n_embd', 'dim', 'model_dim'],
  num_hidden_layers: ['num_hidden_layers', 'n_layer', 'n_layers', 'num_layers'],
  num_attention_heads: ['num_attention_heads', 'n_head', 'n_heads', 'num_heads'],
  num_key_value_heads: ['num_key_value_heads', 'num_kv_heads', 'n_kv_heads', 'kv_n_heads', 'num_query_groups'],
  intermediate_size: ['intermediate_size', 'ffn_hidden_size', 'n_inner', 'ffn_dim'],
  vocab_size: ['vocab_size', 'padded_vocab_size'],
  num_local_experts: ['num_local_experts', 'num_experts', 'n_routed_experts', 'moe_num_experts'],
  num_experts_per_tok: ['num_experts_per_tok', 'experts_per_token', 'moe_top_k', 'top_k'],
  max_position_embeddings: ['max_position_embeddings', 'n_positions', 'max_seq_len', 'seq_length'],
  hidden_act: ['hidden_act', 'activation_function', 'hidden_activation', 'activation'],
};
const REQUIRED = ['hidden_size', 'num_hidden_layers', 'num_attention_heads', 'vocab_size'];

/** Fields read as they are (same meaning in every family). */
const DIRECT = ['head_dim', 'tie_word_embeddings', 'sliding_window', 'rope_theta', 'attention_bias', 'mlp_bias',
  'torch_dtype', 'dtype', 'moe_intermediate_size', 'rms_norm_eps', 'layer_norm_eps', 'layer_norm_epsilon', 'norm_eps', 'quantization_config'];

/** Fields that never change counts (token ids, dropout, init, runtime switches). */
const HARMLESS = /(_token_id|_token_ids|dropout|pdrop|initializer|init_|use_cache|transformers_version|architectures|model_type|_name_or_path|auto_map|output_|return_|rope_scaling|tokenizer|pretraining_tp|attn_implementation|torch_dtype|aux_loss|jitter|z_loss|bos_|eos_|pad_|chat_template|is_|_scale$|_scaling$|multiplier)/;

export interface Mapped { readonly text: string; readonly warnings: readonly string[] }

function mapFields(raw: Json, warnings: string[]): { cfg: Json; missing: string[]; used: Set<string> } {
  const cfg: Json = {};
  const used = new Set<string>();
  const missing: string[] = [];
  for (const [canon, names] of Object.entries(ALIASES)) {
    const hit = names.find((k) => raw[k] !== undefined && raw[k] !== null);
    if (hit === undefined) { if (REQUIRED.includes(canon)) missing.push(canon); continue; }
    cfg[canon] = raw[hit];
    used.add(hit);
    if (hit !== canon) warnings.push(`read '${hit}' as ${canon} = ${JSON.stringify(raw[hit])}`);
  }
  for (const k of DIRECT) if (raw[k] !== undefined) { cfg[k] = raw[k]; used.add(k); }
  if (cfg.intermediate_size === undefined && typeof cfg.hidden_size === 'number') {
    cfg.intermediate_size = 4 * cfg.hidden_size;
    warnings.push(`no intermediate_size (or ffn_hidden_size, n_inner, ffn_dim): assumed 4·hidden_size = ${cfg.intermediate_size}`);
  }
  return { cfg, missing, used };
}

/** Experts when the config names them: Mixtral-style routed SwiGLU experts, router without bias. */
function moeFfn(c: Cfg): (i: number) => Line {
  const line = { code: call('moe', {
    experts: c.int('num_local_experts', 'mixture of experts'), top_k: c.int('num_experts_per_tok', 'mixture of experts'),
    d_ff: c.intOpt('moe_intermediate_size') ?? c.int('intermediate_size', 'mixture of experts'),
  }) };
  return () => line;
}

export function convertUnknown(raw: Json, type: string, name: string, source: string, known: readonly string[]): Mapped {
  const warnings: string[] = [];
  const { cfg, missing, used } = mapFields(raw, warnings);
  if (missing.length) {
    throw new ImportError(`unsupported model_type '${type}', and its config cannot be mapped to a known family: no ${missing.map((m) => `'${m}' (or ${ALIASES[m].slice(1).join(', ')})`).join(', ')}; supported model_type values: ${known.join(', ')}`);
  }
  const moe = cfg.num_local_experts !== undefined && Number(cfg.num_local_experts) > 1;
  const family = moe ? 'mixtral (Mixtral-style MoE decoder: RMSNorm, GQA attention, SwiGLU experts, router without bias)'
    : 'llama (Llama-style dense decoder: RMSNorm, GQA attention, SwiGLU MLP)';
  warnings.unshift(`model_type '${type}' is not a known family; mapped to the closest one, ${family}`);
  const layerNorm = raw.rms_norm_eps === undefined && (raw.layer_norm_eps !== undefined || raw.layer_norm_epsilon !== undefined);
  if (layerNorm) warnings.push(`the config names a LayerNorm epsilon and no RMSNorm one: assumed LayerNorm with bias`);
  const ignored = Object.keys(raw).filter((k) => !used.has(k) && !HARMLESS.test(k));
  if (ignored.length) warnings.push(`fields ignored (not mapped; they may change the counts): ${ignored.join(', ')}`);
  const spec: DecoderSpec = {
    kvDefaultsToHeads: true, tiedDefault: false, slides: slidesIfSet, ffn: moe ? moeFfn : denseFfn('mlp_bias'),
    attention: (c) => { const b = c.boolOr('attention_bias', false); return { qkvBias: b, outBias: b }; },
  };
  let text = convertDecoder(new Cfg(cfg, `${type} (mapped to ${moe ? 'mixtral' : 'llama'})`, moe ? 'MixtralConfig' : 'LlamaConfig'), name, source, spec);
  if (layerNorm) text = text.replace(/\brmsnorm\b/g, 'layernorm');
  const comments = warnings.map((w) => `# warning: ${commentText(w)}`).join('\n');
  return { text: `${comments}\n${text}`, warnings };
}
