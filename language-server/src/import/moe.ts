/**
 * Mixture-of-experts decoders with Llama-style layers: Mixtral (every layer MoE, router without
 * bias), Qwen3-MoE (`decoder_sparse_step`, `mlp_only_layers`, q/k norm) and gpt-oss (expert and
 * router biases, attention biases and sinks, alternating 128-token sliding window).
 */
import { Cfg } from './config';
import { activation, call, type Line } from './emit';
import { denseFfn, qwenSlides, slidesIfSet, type DecoderSpec } from './llama';

/** Mixtral: `num_local_experts` SwiGLU experts, top `num_experts_per_tok`, router d×E. */
function mixtralFfn(c: Cfg): (i: number) => Line {
  const line = {
    code: call('moe', {
      experts: c.int('num_local_experts', 'mixture of experts'),
      top_k: c.int('num_experts_per_tok', 'mixture of experts'),
      d_ff: c.int('intermediate_size', 'mixture of experts'),
    }),
    comment: `${activation(c, 'hidden_act', 'silu') === 'silu' ? 'SwiGLU' : 'gated'} experts, router without bias`,
  };
  return () => line;
}

/** Qwen3-MoE: layer i is sparse unless listed in mlp_only_layers or (i+1) % decoder_sparse_step ≠ 0. */
function qwen3MoeFfn(c: Cfg, n: number): (i: number) => Line {
  const experts = c.count('num_experts', 'mixture of experts');
  const step = c.intOr('decoder_sparse_step', 1);
  const dense = c.intListOpt('mlp_only_layers') ?? [];
  const isMoe = (i: number): boolean => !dense.includes(i) && experts > 0 && (i + 1) % step === 0;
  const moe = {
    code: call('moe', {
      experts, top_k: c.int('num_experts_per_tok', 'mixture of experts'),
      d_ff: c.int('moe_intermediate_size', 'mixture of experts'),
    }),
  };
  const needDense = Array.from({ length: n }, (_, i) => i).some((i) => !isMoe(i));
  const mlp = needDense ? denseFfn()(c)(0) : moe;
  return (i) => (isMoe(i) ? moe : mlp);
}

/** gpt-oss: experts with biases (gate_up 2·d_ff + down d), router with bias; clamped SwiGLU. */
function gptOssFfn(c: Cfg): (i: number) => Line {
  const topK = c.intOpt('num_experts_per_tok') ?? c.intOpt('experts_per_token') ?? c.intOr('num_experts_per_tok', 4);
  const line = {
    code: call('moe', {
      experts: c.int('num_local_experts', 'mixture of experts'), top_k: topK,
      d_ff: c.int('intermediate_size', 'mixture of experts'), expert_bias: true, router_bias: true,
    }),
    comment: `SwiGLU experts (clamped at swiglu_limit ${c.numOpt('swiglu_limit') ?? 'unset'})`,
  };
  return () => line;
}

function gptOssPrepare(c: Cfg): void {
  if (!c.has('layer_types')) {
    c.note(`'layer_types' is not in the config; using the ${c.hfClass} default: sliding window on even layers, full attention on odd ones`);
  }
  c.applyDefaults({ sliding_window: 128 });
}

export const MOE_FAMILIES: Readonly<Record<string, readonly [string, DecoderSpec]>> = {
  mixtral: ['MixtralConfig', {
    kvDefaultsToHeads: false, tiedDefault: false, attention: () => ({}), slides: slidesIfSet, ffn: mixtralFfn,
    keys: ['num_local_experts', 'num_experts_per_tok'],
  }],
  qwen3_moe: ['Qwen3MoeConfig', {
    kvDefaultsToHeads: false, tiedDefault: false, slides: qwenSlides, ffn: qwen3MoeFfn,
    attention: (c) => { const b = c.boolOr('attention_bias', false); return { qkvBias: b, outBias: b, qkNorm: true }; },
    keys: ['num_experts', 'num_experts_per_tok', 'moe_intermediate_size', 'decoder_sparse_step', 'mlp_only_layers'],
    extraHeader: ['Qwen3-MoE: RMSNorm on q and k per head (qk_norm); no shared experts'],
  }],
  gpt_oss: ['GptOssConfig', {
    kvDefaultsToHeads: false, tiedDefault: false, ffn: gptOssFfn,
    attention: (c) => { const b = c.boolOr('attention_bias', true); return { qkvBias: b, outBias: b, sinks: true }; },
    // GptOssConfig without layer_types: sliding on even layers, full on odd ones.
    slides: (_c, i) => (i + 1) % 2 !== 0,
    prepare: gptOssPrepare,
    keys: ['num_local_experts', 'num_experts_per_tok', 'attention_bias', 'swiglu_limit'],
    extraHeader: ['gpt-oss: learned attention sinks per head, biases on q/k/v/o, experts and router with biases'],
  }],
};
