/**
 * Falcon-H1 (TII; transformers `FalconH1Config`, `modeling_falcon_h1.py`): every layer runs attention and a
 * Mamba-2 mixer side by side on the same `input_layernorm` output (their outputs are summed into the residual),
 * then `pre_ff_layernorm` and a SwiGLU MLP. The mixer's inner width is `mamba_d_ssm` (not expand·d): in_proj
 * d → d_ssm + (d_ssm + 2·G·N) + H, depthwise conv over d_ssm + 2·G·N, dt_bias / A_log / D per head, the gated
 * RMSNorm only when `mamba_rms_norm`, out_proj d_ssm → d. The µP multipliers (`*_multiplier`, `ssm_multipliers`,
 * the `mup_vector` buffer) scale activations and add no parameters.
 */
import { Cfg, ImportError } from './config';
import { activation, call, every, tiedSetting } from './emit';
import { attentionCall, DECODER_KEYS, decoderText, readAttention } from './decoder';

const PARALLEL = 'in parallel with the attention above, on the same normed input; same counts as sequential';

/** Refuses the biases the attention / mamba2 / gated_mlp kinds cannot place exactly. */
function checkBiases(c: Cfg): void {
  for (const f of ['attention_bias', 'mlp_bias', 'mamba_proj_bias', 'projectors_bias']) {
    if (c.boolOr(f, false, true)) throw new ImportError(`config field '${f}' = true is not supported for falcon_h1 (biases on those projections are not modelled)`);
  }
  if (!c.boolOr('mamba_conv_bias', true, true)) throw new ImportError(`config field 'mamba_conv_bias' = false is not supported: the mamba2 kind always counts the conv bias`);
}

/** The Mamba-2 mixer: d_inner = mamba_d_ssm (else mamba_expand·d), head_dim = mamba_d_head (or d_ssm / heads when "auto"). */
function mixer(c: Cfg, d: number): string {
  const expand = c.intOr('mamba_expand', 2);
  const inner = c.intOpt('mamba_d_ssm') ?? expand * d;
  if (inner !== expand * d) c.note(`mamba_d_ssm ${inner} ≠ mamba_expand·hidden_size (${expand}·${d}): the mixer is ${inner} wide, as FalconH1Mixer builds it`);
  const heads = c.int('mamba_n_heads', 'the Mamba-2 mixer');
  const headDim = c.raw.mamba_d_head === 'auto' ? inner / heads : c.int('mamba_d_head', 'the Mamba-2 mixer');
  if (heads * headDim !== inner) throw new ImportError(`config fields 'mamba_n_heads' (${heads}) × 'mamba_d_head' (${headDim}) must equal the mixer width ${inner}`);
  const norm = c.boolOr('mamba_rms_norm', false);
  return call('mamba2', {
    d_state: c.int('mamba_d_state', 'the Mamba-2 mixer'), head_dim: headDim, n_groups: c.intOr('mamba_n_groups', 1),
    d_conv: c.intOr('mamba_d_conv', 4), d_inner: inner, norm: norm ? undefined : false,
  });
}

export function convertFalconH1(c: Cfg, name: string, source: string): string {
  const d = c.int('hidden_size', 'the residual width (d_model)');
  const n = c.int('num_hidden_layers', 'the layer count');
  checkBiases(c);
  const mlp = call('gated_mlp', { d_ff: c.int('intermediate_size', 'feed-forward'), act: activation(c, 'hidden_act', 'silu') });
  const body = [every('rmsnorm', 'input_layernorm'), every(attentionCall(readAttention(c, d, false))), every(mixer(c, d), PARALLEL),
    every('rmsnorm', 'pre_ff_layernorm'), every(mlp)];
  return decoderText(c, {
    name, source, d, n, tied: tiedSetting(c, false), layerBody: body, context: c.intOpt('max_position_embeddings'),
    finalNorm: every('rmsnorm', 'final_layernorm'),
    keys: [...DECODER_KEYS, 'mamba_d_ssm', 'mamba_n_heads', 'mamba_d_head', 'mamba_d_state', 'mamba_n_groups', 'mamba_rms_norm'],
    extraHeader: ['Falcon-H1: attention and a Mamba-2 mixer in parallel in every layer, SwiGLU MLP; µP multipliers add no parameters'],
  });
}
