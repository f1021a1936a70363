/**
 * Attention-free state-space models: transformers `MambaConfig` (mamba), `FalconMambaConfig`
 * (falcon_mamba), `Mamba2Config` (mamba2), and the original state-spaces `mamba_ssm` config style
 * (`d_model`, `n_layer`, `ssm_cfg`, `pad_vocab_size_multiple`, no model_type). Each layer is
 * norm → mixer; final norm_f; LM head (tied by default except in Mamba2Config).
 */
import { Cfg, ImportError, isObject } from './config';
import { call, every, tiedSetting } from './emit';
import { decoderText } from './decoder';

const SSM_KEYS = ['vocab_size', 'hidden_size', 'num_hidden_layers', 'state_size', 'expand', 'intermediate_size',
  'conv_kernel', 'time_step_rank', 'num_heads', 'head_dim', 'n_groups', 'use_bias', 'use_conv_bias', 'tie_word_embeddings', 'torch_dtype'];

/** d_inner: `intermediate_size` when given (the checkpoint's shapes), else expand·hidden_size. */
function innerWidth(c: Cfg, d: number): { expand: number; inner: number } {
  const expand = c.numOpt('expand') ?? 2;
  if (!c.has('expand')) c.note(`'expand' is not in the config; using the ${c.hfClass} default expand = 2`);
  const given = c.intOpt('intermediate_size');
  if (given !== undefined && given !== expand * d) {
    c.note(`intermediate_size ${given} ≠ expand·hidden_size (${expand}·${d}); using intermediate_size, which the checkpoint's weights follow`);
  }
  return { expand, inner: given ?? expand * d };
}

/** HF mamba / falcon_mamba mixer line. */
function mambaCall(c: Cfg, d: number, falcon: boolean): string {
  const { expand, inner } = innerWidth(c, d);
  const rank = c.raw.time_step_rank === 'auto' || !c.has('time_step_rank') ? Math.ceil(d / 16) : c.int('time_step_rank', 'the Δ projection');
  if (c.raw.time_step_rank === 'auto' || !c.has('time_step_rank')) c.note(`time_step_rank is "auto" or absent: ceil(hidden_size / 16) = ${rank}`);
  return call('mamba', {
    d_state: c.intOr('state_size', 16), d_conv: c.intOr('conv_kernel', 4), dt_rank: rank,
    expand: inner === expand * d ? expand : undefined, d_inner: inner === expand * d ? undefined : inner,
    conv_bias: c.boolOr('use_conv_bias', true) ? undefined : false, bias: c.boolOr('use_bias', false) || undefined,
  }) + (falcon ? '  # B, C and Δ RMS-normalised without learned weights (mixer_rms_eps)' : '');
}

export function convertMamba(c: Cfg, name: string, source: string, falcon: boolean): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const body = [every('rmsnorm', 'norm'), mambaCall(c, d, falcon)];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, true), layerBody: body, keys: SSM_KEYS,
    finalNorm: every('rmsnorm', 'norm_f'), extraHeader: [falcon ? 'Falcon-Mamba: Mamba-1 mixers with non-learned B/C/Δ RMS norms' : 'Mamba-1 (selective SSM) blocks'],
  });
}

/** HF Mamba2Config: heads = num_heads must equal expand·hidden_size / head_dim. */
export function convertMamba2(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  const expand = c.numOpt('expand') ?? c.intOr('expand', 2);
  const headDim = c.intOr('head_dim', 64);
  const heads = c.intOr('num_heads', 128);
  if (heads * headDim !== expand * d) throw new ImportError(`config fields 'num_heads' (${heads}) × 'head_dim' (${headDim}) must equal expand·hidden_size (${expand * d})`);
  if (c.boolOr('use_bias', false)) throw new ImportError(`config field 'use_bias' = true is not supported: the mamba2 kind has no projection biases`);
  if (!c.boolOr('use_conv_bias', true)) throw new ImportError(`config field 'use_conv_bias' = false is not supported: the mamba2 kind always counts the conv bias`);
  const mixer = call('mamba2', {
    d_state: c.intOr('state_size', 128), head_dim: headDim, n_groups: c.intOr('n_groups', 8),
    expand, d_conv: c.intOr('conv_kernel', 4),
  });
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: [every('rmsnorm', 'norm'), mixer], keys: SSM_KEYS,
    finalNorm: every('rmsnorm', 'norm_f'), extraHeader: ['Mamba-2 (SSD) blocks'],
  });
}

/** Is this an original state-spaces `mamba_ssm` config (no model_type, `d_model` + `n_layer`)? */
export function isMambaSsmConfig(raw: Record<string, unknown>): boolean {
  return raw.model_type === undefined && 'd_model' in raw && 'n_layer' in raw;
}

const MAMBA_SSM_DEFAULTS = {
  Mamba1: { d_state: 16, d_conv: 4, expand: 2 },
  Mamba2: { d_state: 128, d_conv: 4, expand: 2, headdim: 64, ngroups: 1 },
} as const;

/** mamba_ssm mixer from `ssm_cfg` (defaults of mamba_ssm's Mamba / Mamba2 classes, noted). */
function mambaSsmMixer(c: Cfg, d: number): string {
  const raw = isObject(c.raw.ssm_cfg) ? c.raw.ssm_cfg : {};
  const layer = typeof raw.layer === 'string' ? raw.layer : 'Mamba1';
  if (layer !== 'Mamba1' && layer !== 'Mamba2') throw new ImportError(`config field 'ssm_cfg.layer' = ${JSON.stringify(layer)} is not supported (Mamba1, Mamba2)`);
  const s = new Cfg(raw, 'mamba_ssm', `mamba_ssm ${layer}`, c.notes);
  s.applyDefaults(MAMBA_SSM_DEFAULTS[layer]);
  if (s.boolOr('bias', false, true)) throw new ImportError(`config field 'ssm_cfg.bias' = true is not supported`);
  const expand = s.numOpt('expand') ?? 2;
  if (layer === 'Mamba2') {
    return call('mamba2', { d_state: s.int('d_state', 'SSM'), head_dim: s.int('headdim', 'SSM'), n_groups: s.int('ngroups', 'SSM'), expand, d_conv: s.int('d_conv', 'SSM') });
  }
  const rank = raw.dt_rank === undefined || raw.dt_rank === 'auto' ? Math.ceil(d / 16) : s.int('dt_rank', 'SSM');
  if (raw.dt_rank === undefined || raw.dt_rank === 'auto') c.note(`ssm_cfg.dt_rank is "auto" or absent: ceil(d_model / 16) = ${rank}`);
  return call('mamba', { d_state: s.int('d_state', 'SSM'), d_conv: s.int('d_conv', 'SSM'), dt_rank: rank, expand, conv_bias: s.boolOr('conv_bias', true, true) ? undefined : false });
}

export function convertMambaSsm(c: Cfg, name: string, source: string): string {
  const d = c.int('d_model', 'the residual width');
  const n = c.int('n_layer', 'the layer count');
  const attn = c.intListOpt('attn_layer_idx') ?? [];
  if (attn.length) throw new ImportError(`config field 'attn_layer_idx' lists attention layers: hybrid mamba_ssm configs are not supported`);
  const vocab = c.int('vocab_size', 'embedding');
  const mult = c.intOr('pad_vocab_size_multiple', 8);
  const padded = Math.ceil(vocab / mult) * mult;
  if (padded !== vocab) c.note(`vocab_size ${vocab} padded to a multiple of pad_vocab_size_multiple ${mult}: ${padded} (as mamba_ssm does)`);
  const norm = c.boolOr('rms_norm', true) ? 'rmsnorm' : 'layernorm';
  const ff = c.intOr('d_intermediate', 0);
  const body = [every(norm, 'norm'), mambaSsmMixer(c, d)];
  if (ff > 0) body.push(every(norm, 'norm2'), every(call('gated_mlp', { d_ff: ff, act: 'silu' }), 'GatedMLP'));
  const text = new Cfg({ ...c.raw, vocab_size: padded }, 'mamba_ssm', c.hfClass, c.notes);
  return decoderText(text, {
    name, source, d, n, tied: tiedSetting(c, true, 'tie_embeddings'), layerBody: body,
    keys: ['d_model', 'n_layer', 'vocab_size', 'pad_vocab_size_multiple', 'ssm_cfg', 'd_intermediate', 'rms_norm', 'tie_embeddings'],
    finalNorm: every(norm, 'norm_f'), extraHeader: ['original state-spaces mamba_ssm config (no model_type)'],
  });
}
