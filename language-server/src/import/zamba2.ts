/**
 * Zamba2 (Zyphra, arXiv 2411.15242; transformers `Zamba2Config`, `modeling_zamba2.py`): a Mamba-2 backbone
 * (every layer: RMSNorm → Mamba-2 mixer) where the "hybrid" layers of `layers_block_type` first run a shared
 * transformer block on concat(hidden, original embeddings) (2d wide) and add its output, through a per-layer
 * d×d `linear`, into the Mamba layer's input. The shared block (`Zamba2AttentionDecoderLayer`, `num_mem_blocks`
 * of them, used in turn) holds input_layernorm (2d), attention with q/k/v over 2d and head_dim 2d/H, o_proj
 * H·hd → d, pre_ff_layernorm (d) and a gated MLP (gate_up d → 2·ff, down ff → d). Each hybrid invocation has
 * its own LoRA adapters (rank `adapter_rank`): on gate_up always, on q/k/v when `use_shared_attention_adapter`.
 *
 * In `.arch` the shared weights are `shared` uses (one weight set per use) at the layers that invoke them; the
 * q/k/v projections of the 2d-wide input are split exactly into the attention over the hidden half and a
 * `linear` over the embedding half (W·[h; e] = W_h·h + W_e·e: same parameters and FLOPs).
 */
import { Cfg, ImportError } from './config';
import { activation, call, every, selector, tiedSetting } from './emit';
import { attentionCall, decoderText } from './decoder';

interface Shared { d: number; heads: number; kv: number; hd: number; ff: number; act: string; theta?: number }

function hybridLayers(c: Cfg, n: number): number[] {
  const types = c.strListOpt('layers_block_type', n) ?? c.missing('layers_block_type', 'the mamba / hybrid layer pattern');
  const bad = types.find((t) => t !== 'mamba' && t !== 'hybrid');
  if (bad) throw new ImportError(`config field 'layers_block_type' has unsupported entry ${JSON.stringify(bad)} (mamba, hybrid)`);
  return types.flatMap((t, i) => (t === 'hybrid' ? [i] : []));
}

/** The lines of one shared block, placed with `shared` on the layers `sel` selects. */
function sharedBlock(s: Shared, sel: string | undefined, b: number): string[] {
  const at = `shared${sel ? ` at ${sel}` : ''}`;
  const attn = attentionCall({ heads: s.heads, kvHeads: s.kv, headDim: s.hd, ropeTheta: s.theta });
  return [
    `${call('rmsnorm', { dim: 2 * s.d })} ${at}  # block ${b}: input_layernorm over concat(hidden, embeddings)`,
    `${attn} ${at}  # q/k/v over the hidden half, o_proj H·hd → d`,
    `${call('linear', { d_out: (s.heads + 2 * s.kv) * s.hd })} ${at}  # q/k/v over the embeddings half of the 2d input`,
    `rmsnorm ${at}  # pre_ff_layernorm`,
    `${call('gated_mlp', { d_ff: s.ff, act: s.act })} ${at}`,
  ];
}

/** Per-invocation (unshared) adapters and the hybrid layer's d×d linear. */
function adapters(c: Cfg, s: Shared, sel: string | undefined): string[] {
  const r = c.intOr('adapter_rank', 128);
  const at = sel ? ` at ${sel}` : '';
  const lines = [`${call('linear', { d_out: r })}${at}  # gate_up adapter (LoRA down), one per hybrid layer`,
    `${call('linear', { d_in: r, d_out: 2 * s.ff })}${at}  # gate_up adapter (LoRA up)`];
  if (c.boolOr('use_shared_attention_adapter', false)) {
    lines.push(`${call('linear', { d_in: 2 * s.d, d_out: r })} x 3${at}  # q, k, v adapters (LoRA down)`,
      `${call('linear', { d_in: r, d_out: 2 * s.d })} x 3${at}  # q, k, v adapters (LoRA up)`);
  }
  return [...lines, `linear${at}  # the hybrid layer's linear (d×d)`];
}

function readShared(c: Cfg, d: number): Shared {
  const heads = c.intOr('num_attention_heads', 32);
  if ((2 * d) % heads !== 0) throw new ImportError(`config field 'num_attention_heads' (${heads}) must divide 2·hidden_size (${2 * d})`);
  const kv = c.intOpt('num_key_value_heads') ?? heads;
  const ff = c.intOpt('intermediate_size') ?? 4 * d;
  if (!c.has('intermediate_size')) c.note(`'intermediate_size' is not in the config; using the Zamba2Config default 4·hidden_size = ${ff}`);
  const theta = c.boolOr('use_mem_rope', false) ? c.numOpt('rope_theta') ?? 10_000 : undefined;
  return { d, heads, kv, hd: (2 * d) / heads, ff, act: activation(c, 'hidden_act', 'gelu'), theta };
}

function mixer(c: Cfg, d: number): string {
  if (c.boolOr('add_bias_linear', false, true)) throw new ImportError(`config field 'add_bias_linear' = true is not supported: the mamba2 kind has no projection biases`);
  const expand = c.intOr('mamba_expand', 2);
  const heads = c.intOr('n_mamba_heads', 8);
  if ((expand * d) % heads !== 0) throw new ImportError(`config field 'n_mamba_heads' (${heads}) must divide mamba_expand·hidden_size (${expand * d})`);
  return call('mamba2', { d_state: c.intOr('mamba_d_state', 64), head_dim: (expand * d) / heads, n_groups: c.intOr('mamba_ngroups', 1),
    expand, d_conv: c.intOr('mamba_d_conv', 4) });
}

export function convertZamba2(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const hybrid = hybridLayers(c, n);
  const s = readShared(c, d);
  const blocks = Math.min(c.intOr('num_mem_blocks', 1), Math.max(hybrid.length, 1));
  if (blocks > 1) c.note(`num_mem_blocks = ${blocks}: hybrid invocation i uses shared block i mod ${blocks}, with its own adapters (one set per hybrid layer)`);
  const shared = Array.from({ length: blocks }, (_, b) => sharedBlock(s, selector(hybrid.filter((_, i) => i % blocks === b), n), b)).flat();
  const body = [...(hybrid.length ? [...shared, ...adapters(c, s, selector(hybrid, n))] : []), every('rmsnorm', 'input_layernorm'), every(mixer(c, d))];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, context: c.intOpt('max_position_embeddings'),
    finalNorm: every('rmsnorm', 'final_layernorm'),
    keys: ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'intermediate_size',
      'num_mem_blocks', 'adapter_rank', 'use_shared_attention_adapter', 'n_mamba_heads', 'mamba_d_state', 'mamba_ngroups'],
    extraHeader: ['Zamba2: Mamba-2 layers; hybrid layers add a shared attention + MLP block (shared weights) with per-layer LoRA adapters'],
  });
}
