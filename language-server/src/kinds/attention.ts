/**
 * Softmax attention: MHA (kv_heads = heads), GQA (1 < kv_heads < heads), MQA (kv_heads = 1),
 * with optional QK-norm, sliding window, attention sinks and biases.
 * Sources: Vaswani et al. 2017 (MHA); Ainslie et al. 2023 (GQA); Shazeer 2019 (MQA);
 * Mistral 7B paper (sliding window); Qwen3 config (q_norm/k_norm of head_dim);
 * gpt-oss model card (per-head learned sinks). KV cache = 2·KV·hd·min(L, W) elements per layer.
 */
import type { BlockKind } from './types';
import { bool, byteWidths, causalAverageKeys, decodeKeys, denseCost, dModel, num, str } from './formulas';
import { arg, scaleHeads } from './probeScale';

export const attention: BlockKind = {
  name: 'attention',
  summary: 'Softmax self-attention (MHA / GQA / MQA), optional sliding window, QK-norm, sinks, biases.',
  needs: ['d_model'],
  context: 'attention',
  decodeState: 'kv-cache',
  tpAllReduces: 1,
  role: 'mixer',
  mask: (args) => str(args, 'mask'),
  probe: (a, w, d, fit) => {
    scaleHeads(a, w, d);
    const T = fit.seq ?? 16;
    if (arg(a, 'window') >= T) a.window = Math.max(1, Math.floor(T / 2));
  },
  probeAlways: true,
  params: [
    { name: 'heads', type: 'int', required: true, min: 1, doc: 'Number of query heads H.' },
    { name: 'kv_heads', type: 'int', min: 1, doc: 'Key/value heads KV (default: heads). 1 = MQA, < heads = GQA.' },
    { name: 'head_dim', type: 'int', min: 1, doc: 'Dimension per head hd (default: d_model / heads).' },
    { name: 'window', type: 'int', default: 0, min: 0, doc: 'Sliding-window size W in tokens; 0 = full causal attention.' },
    { name: 'qk_norm', type: 'bool', default: false, doc: 'RMSNorm on queries and keys per head (adds 2·hd parameters).' },
    { name: 'qkv_bias', type: 'bool', default: false, doc: 'Biases on the q, k and v projections.' },
    { name: 'out_bias', type: 'bool', default: false, doc: 'Bias on the output projection.' },
    { name: 'gate', type: 'bool', doc: 'Sigmoid output gate per head channel from a second query-sized projection (Qwen3-Next: q_proj outputs 2·H·hd): adds d·H·hd parameters (default: none).' },
    { name: 'sinks', type: 'bool', default: false, doc: 'One learned attention-sink logit per head (gpt-oss).' },
    { name: 'rope_theta', type: 'number', min: 0, doc: 'RoPE base; documentation only, no parameters or FLOPs.' },
    { name: 'mask', type: 'enum', default: 'causal', values: ['causal', 'bidirectional'],
      doc: 'causal: each query sees earlier keys (decoders); bidirectional: every query sees every key (encoders, DiT): a prefill scores L keys per query, not (L+1)/2.' },
  ],
  validate(args, dims) {
    const issues = [];
    const heads = num(args, 'heads');
    const kv = num(args, 'kv_heads') || heads;
    if (str(args, 'mask') === 'bidirectional' && num(args, 'window') > 0) issues.push({ arg: 'window', message: 'a sliding window is causal: use mask: causal' });
    if (heads > 0 && heads % kv !== 0) issues.push({ arg: 'kv_heads', message: `kv_heads (${kv}) must divide heads (${heads})` });
    if (args.head_dim === undefined && heads > 0 && dModel(dims) % heads !== 0) {
      issues.push({ arg: 'heads', message: `heads (${heads}) must divide d_model (${dModel(dims)}) unless head_dim is given` });
    }
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const H = num(args, 'heads');
    const KV = num(args, 'kv_heads') || H;
    const hd = num(args, 'head_dim') || d / H;
    const W = num(args, 'window');
    const gate = bool(args, 'gate');
    const qkvBias = bool(args, 'qkv_bias') ? (H + 2 * KV + (gate ? H : 0)) * hd : 0;
    const projections = d * H * hd + 2 * d * KV * hd + H * hd * d + (gate ? d * H * hd : 0);
    const params = projections + qkvBias + (bool(args, 'out_bias') ? d : 0)
      + (bool(args, 'qk_norm') ? 2 * hd : 0) + (bool(args, 'sinks') ? H : 0);
    // Scores QKᵀ and weighted sum AV: 2·H·hd MACs per visible key → 4·H·hd FLOPs per key.
    const perKey = 4 * H * hd;
    const { kv } = byteWidths(dims);
    const kvPerToken = 2 * KV * hd * kv;
    const keys = decodeKeys(ctx.seq, W);
    const bidir = str(args, 'mask') === 'bidirectional';
    return denseCost(dims, ctx, {
      params,
      prefillFlops: 2 * projections + perKey * (bidir ? ctx.seq : causalAverageKeys(ctx.seq, W)),
      decodeFlops: 2 * projections + perKey * keys,
      cacheBytes: kvPerToken * keys,
      cacheReadPerSeq: kvPerToken * keys,
      cacheWritePerSeq: kvPerToken,
      formula: [
        `params = d·H·hd + 2·d·KV·hd + H·hd·d = ${d}·${H}·${hd} + 2·${d}·${KV}·${hd} + ${H}·${hd}·${d}` +
          `${gate ? ' + d·H·hd (output gate)' : ''}${qkvBias ? ' + qkv bias' : ''}${bool(args, 'qk_norm') ? ' + 2·hd (qk-norm)' : ''}${bool(args, 'sinks') ? ' + H (sinks)' : ''}`,
        `FLOPs/token = 2·projections + 4·H·hd·keys; keys = ${W ? `min(t, ${W})` : 't'} ${bidir ? '(bidirectional: prefill scores all L keys)' : '(causal: prefill averages (L+1)/2)'}`,
        `KV cache = 2·KV·hd·min(L, W)·bytes = 2·${KV}·${hd}·${keys}·${kv} B`,
      ],
    });
  },
};
