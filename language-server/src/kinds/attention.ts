/**
 * Softmax attention: MHA (kv_heads = heads), GQA (1 < kv_heads < heads), MQA (kv_heads = 1),
 * with optional QK-norm, sliding window, attention sinks and biases.
 * Sources: Vaswani et al. 2017 (MHA); Ainslie et al. 2023 (GQA); Shazeer 2019 (MQA);
 * Mistral 7B paper (sliding window); Qwen3 config (q_norm/k_norm of head_dim);
 * gpt-oss model card (per-head learned sinks). KV cache = 2·KV·hd·min(L, W) elements per layer.
 * Mixture of attention heads (`experts`, `top_k`): JetMoE (Shen et al. 2024, arXiv 2404.07413 §2.2; transformers
 * `modeling_jetmoe.py` JetMoeMoA): E experts each own a q projection d → (H/k)·hd and an o projection (H/k)·hd → d,
 * a router d×E (no bias) picks k per token, k and v are shared (d → KV·hd each): H = k·(H/k) query heads per token.
 */
import type { BlockKind } from './types';
import type { Args, Dims, ArgIssue } from './types';
import { bool, byteWidths, decodeKeys, denseCost, dModel, expectedExpertsTouched, num, str } from './formulas';
import { crossLength, MASKS, prefillKeys } from './masks';
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
  kvGroup: (args) => num(args, 'heads') / (num(args, 'kv_heads') || num(args, 'heads')),
  probe: (a, w, d, fit) => {
    scaleHeads(a, w, d);
    const T = fit.seq ?? 16;
    if (arg(a, 'window') >= T) a.window = Math.max(1, Math.floor(T / 2));
    if (arg(a, 'prefix') >= T) a.prefix = Math.max(1, Math.floor(T / 2));
    if (arg(a, 'candidates') >= T) a.candidates = Math.max(1, Math.floor(T / 2));
    if (arg(a, 'kv_len') > T) a.kv_len = T;
    if (arg(a, 'kv_dim') > 0) a.kv_dim = d;
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
    { name: 'sinks', type: 'bool', default: false, doc: 'One learned attention-sink logit per head (gpt-oss).' },
    { name: 'gate', type: 'bool', doc: 'Sigmoid output gate per head channel from a second query-sized projection (Qwen3-Next: q_proj outputs 2·H·hd): adds d·H·hd parameters (default: none).' },
    { name: 'experts', type: 'int', min: 1, doc: 'Mixture of attention heads (JetMoE MoA): E experts, each with its own q and o projections for heads/top_k query heads; k and v shared; router d×E (default: none, dense attention).' },
    { name: 'top_k', type: 'int', min: 1, doc: 'experts: experts used per token k; heads = k·(query heads per expert).' },
    { name: 'rope_theta', type: 'number', min: 0, doc: 'RoPE base; documentation only, no parameters or FLOPs.' },
    { name: 'mask', type: 'enum', default: 'causal', values: [...MASKS],
      doc: 'causal: each query sees earlier keys (decoders); bidirectional: every query sees every key (encoders, DiT): a prefill scores L keys per query, not (L+1)/2.' },
    { name: 'prefix', type: 'int', min: 0, doc: 'mask: prefix (prefix-LM): length P of the prefix whose tokens see each other; later tokens are causal (default: 0).' },
    { name: 'candidates', type: 'int', min: 0, doc: 'mask: candidates (Phoenix candidate isolation): the last C tokens see the causal context and themselves, not each other (default: 0).' },
    { name: 'kv_len', type: 'int', min: 1, doc: 'mask: cross (encoder–decoder attention): keys and values come from another stream of S positions (default: the context L).' },
    { name: 'kv_dim', type: 'int', min: 1, doc: 'mask: cross: width of the stream read (default: d_model).' },
  ],
  validate(args, dims) {
    const issues: ArgIssue[] = [...maskIssues(args), ...expertIssues(args)];
    const heads = num(args, 'heads');
    const kv = num(args, 'kv_heads') || heads;
    if (heads > 0 && heads % kv !== 0) issues.push({ arg: 'kv_heads', message: `kv_heads (${kv}) must divide heads (${heads})` });
    if (args.head_dim === undefined && heads > 0 && dModel(dims) % heads !== 0) {
      issues.push({ arg: 'heads', message: `heads (${heads}) must divide d_model (${dModel(dims)}) unless head_dim is given` });
    }
    return issues;
  },
  cost(args, dims, ctx) {
    return str(args, 'mask') === 'cross' ? crossCost(args, dims, ctx) : selfCost(args, dims, ctx);
  },
};

/** Mask arguments that do not go together. */
function maskIssues(args: Args): ArgIssue[] {
  const mask = str(args, 'mask');
  const out: ArgIssue[] = [];
  if (mask !== 'causal' && num(args, 'window') > 0) out.push({ arg: 'window', message: 'a sliding window is causal: use mask: causal' });
  if (num(args, 'prefix') > 0 && mask !== 'prefix') out.push({ arg: 'prefix', message: "'prefix' needs mask: prefix" });
  if (num(args, 'candidates') > 0 && mask !== 'candidates') out.push({ arg: 'candidates', message: "'candidates' needs mask: candidates" });
  if ((args.kv_len !== undefined || args.kv_dim !== undefined) && mask !== 'cross') out.push({ arg: args.kv_len !== undefined ? 'kv_len' : 'kv_dim', message: "'kv_len' and 'kv_dim' need mask: cross" });
  return out;
}

/** Mixture-of-attention arguments that do not go together (JetMoE's MoA has no q/k/v biases, gate or second stream). */
function expertIssues(args: Args): ArgIssue[] {
  const E = num(args, 'experts');
  const k = num(args, 'top_k');
  if (!E && !k) return [];
  if (!E || !k) return [{ arg: E ? 'experts' : 'top_k', message: "'experts' and 'top_k' go together (mixture of attention heads)" }];
  const H = num(args, 'heads');
  const KV = num(args, 'kv_heads') || H;
  const out: ArgIssue[] = [];
  if (k > E) out.push({ arg: 'top_k', message: `top_k (${k}) exceeds experts (${E})` });
  else if (H % k !== 0 || (H / k) % KV !== 0) out.push({ arg: 'heads', message: `heads (${H}) must be top_k (${k}) × a multiple of kv_heads (${KV}): each expert projects heads/top_k query heads` });
  for (const a of ['qkv_bias', 'gate'] as const) if (bool(args, a)) out.push({ arg: a, message: `'${a}' is not supported with experts` });
  if (str(args, 'mask') === 'cross') out.push({ arg: 'experts', message: "'experts' needs self-attention (not mask: cross)" });
  return out;
}

interface Shape { d: number; H: number; KV: number; hd: number; bias: number; extra: number; gate: boolean; E: number; k: number }

function shape(args: Args, dims: Dims): Shape {
  const d = dModel(dims);
  const H = num(args, 'heads');
  const KV = num(args, 'kv_heads') || H;
  const hd = num(args, 'head_dim') || d / H;
  const gate = bool(args, 'gate');
  const bias = bool(args, 'qkv_bias') ? (H + 2 * KV + (gate ? H : 0)) * hd : 0;
  const extra = (bool(args, 'out_bias') ? d : 0) + (bool(args, 'qk_norm') ? 2 * hd : 0) + (bool(args, 'sinks') ? H : 0);
  return { d, H, KV, hd, bias, extra, gate, E: num(args, 'experts'), k: num(args, 'top_k') };
}

/**
 * Projection weights: all of them, those one token uses, and one expert's (MoA). Dense: q, k, v, o (+ gate). MoA
 * (JetMoeMoA): E·2·d·(H/k)·hd expert q/o + 2·d·KV·hd shared k/v + d·E router; a token uses k experts = 2·d·H·hd.
 */
function projections(s: Shape): { all: number; active: number; expert: number; router: number } {
  const kv = 2 * s.d * s.KV * s.hd;
  if (!s.E) { const p = 2 * s.d * s.H * s.hd + kv + (s.gate ? s.d * s.H * s.hd : 0); return { all: p, active: p, expert: 0, router: 0 }; }
  const expert = 2 * s.d * (s.H / s.k) * s.hd;
  const router = s.d * s.E;
  return { all: s.E * expert + kv + router, active: s.k * expert + kv + router, expert, router };
}

const paramsLine = (s: Shape, kvIn: string): string =>
  `params = d·H·hd + 2·${kvIn}·KV·hd + H·hd·d = ${s.d}·${s.H}·${s.hd} + 2·${kvIn === 'd' ? s.d : kvIn}·${s.KV}·${s.hd} + ${s.H}·${s.hd}·${s.d}`;

function selfCost(args: Args, dims: Dims, ctx: { seq: number; batch: number }) {
  const s = shape(args, dims);
  const W = num(args, 'window');
  const p = projections(s);
  // Scores QKᵀ and weighted sum AV: 2·H·hd MACs per visible key → 4·H·hd FLOPs per key.
  const perKey = 4 * s.H * s.hd;
  const { kv, weight } = byteWidths(dims);
  const kvPerToken = 2 * s.KV * s.hd * kv;
  const keys = decodeKeys(ctx.seq, W);
  const mask = str(args, 'mask');
  const params = p.all + s.bias + s.extra;
  const cost = denseCost(dims, ctx, {
    params, active: p.active + s.bias + s.extra,
    prefillFlops: 2 * p.active + perKey * prefillKeys(args, ctx.seq, W),
    decodeFlops: 2 * p.active + perKey * keys,
    cacheBytes: kvPerToken * keys,
    cacheReadPerSeq: kvPerToken * keys,
    cacheWritePerSeq: kvPerToken,
    formula: [
      (s.E ? moaLine(s) : paramsLine(s, 'd')) + `${s.gate ? ' + d·H·hd (output gate)' : ''}${s.bias ? ' + qkv bias' : ''}${bool(args, 'qk_norm') ? ' + 2·hd (qk-norm)' : ''}${bool(args, 'sinks') ? ' + H (sinks)' : ''}`,
      `FLOPs/token = 2·${s.E ? 'active ' : ''}projections + 4·H·hd·keys; keys = ${W ? `min(t, ${W})` : 't'} ${KEYS_NOTE[mask] ?? KEYS_NOTE.causal}`,
      `KV cache = 2·KV·hd·min(L, W)·bytes = 2·${s.KV}·${s.hd}·${keys}·${kv} B`,
    ],
  });
  if (!s.E) return cost;
  // Decode reads the shared weights and the distinct experts the batch routes to (as the moe kind).
  const touched = expectedExpertsTouched(s.E, s.k, ctx.batch);
  const expertBytesDecode = touched * p.expert * weight;
  const cacheTraffic = cost.decodeBytes - cost.active * weight;
  return { ...cost, decodeBytes: (params - s.E * p.expert) * weight + expertBytesDecode + cacheTraffic, expertBytesDecode };
}

const moaLine = (s: Shape): string =>
  `params = E·2·d·(H/k)·hd + 2·d·KV·hd + d·E = ${s.E}·2·${s.d}·${s.H / s.k}·${s.hd} + 2·${s.d}·${s.KV}·${s.hd} + ${s.d}·${s.E}; active: k = ${s.k} experts`;

const KEYS_NOTE: Record<string, string> = {
  causal: '(causal: prefill averages (L+1)/2)',
  bidirectional: '(bidirectional: prefill scores all L keys)',
  prefix: '(prefix-LM: the first P queries see P keys, later ones t+1; decode is causal)',
  candidates: '(candidate isolation: context causal, each candidate sees the N context keys and itself)',
};

/**
 * Encoder–decoder attention: queries from this stream, keys/values from S positions of width kv_dim. K/V
 * projections run once per sequence over the S positions (prefill: amortised over the L queries) and are
 * cached, so a decode step only projects q and o and scores S keys; the cache is 2·KV·hd·S, constant in L.
 */
function crossCost(args: Args, dims: Dims, ctx: { seq: number; batch: number }) {
  const s = shape(args, dims);
  const S = crossLength(args, ctx.seq);
  const kvIn = num(args, 'kv_dim') || s.d;
  const qo = 2 * s.d * s.H * s.hd + (s.gate ? s.d * s.H * s.hd : 0); // q, o (and the output gate's projection)
  const kvProj = 2 * kvIn * s.KV * s.hd;
  const perKey = 4 * s.H * s.hd;
  const { kv } = byteWidths(dims);
  const cache = 2 * s.KV * s.hd * S * kv;
  return denseCost(dims, ctx, {
    params: qo + kvProj + s.bias + s.extra,
    prefillFlops: 2 * qo + (2 * kvProj * S) / Math.max(1, ctx.seq) + perKey * S,
    decodeFlops: 2 * qo + perKey * S,
    cacheBytes: cache,
    cacheReadPerSeq: cache,
    cacheWritePerSeq: 0,
    formula: [
      paramsLine(s, kvIn === s.d ? 'd' : String(kvIn)) + `${s.gate ? ' + d·H·hd (output gate)' : ''}`,
      `FLOPs/token = 2·(q, o projections) + 2·(k, v projections)·S/L + 4·H·hd·S; S = ${S} (cross-attention: keys from another stream)`,
      `KV cache = 2·KV·hd·S·bytes = 2·${s.KV}·${s.hd}·${S}·${kv} B (computed once, constant in L)`,
    ],
  });
}
