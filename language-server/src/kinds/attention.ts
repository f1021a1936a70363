/**
 * Softmax attention: MHA (kv_heads = heads), GQA (1 < kv_heads < heads), MQA (kv_heads = 1),
 * with optional QK-norm, sliding window, attention sinks and biases.
 * Sources: Vaswani et al. 2017 (MHA); Ainslie et al. 2023 (GQA); Shazeer 2019 (MQA);
 * Mistral 7B paper (sliding window); Qwen3 config (q_norm/k_norm of head_dim);
 * gpt-oss model card (per-head learned sinks). KV cache = 2·KV·hd·min(L, W) elements per layer.
 * Sparse masks (Longformer, BigBird, Sparse Transformer): sparseMasks.ts; Longformer's separate global projections
 * (HF LongformerSelfAttention query_global / key_global / value_global, nn.Linear with bias) run Qg on the G global
 * tokens and Kg, Vg on all L (_compute_global_attn_output_from_hidden).
 * Mixture of attention heads (`experts`, `top_k`; JetMoE): attentionExperts.ts.
 */
import type { BlockKind } from './types';
import type { Args, Dims, ArgIssue, Value } from './types';
import { bool, byteWidths, denseCost, dModel, num, str } from './formulas';
import { crossLength, MASKS, prefillKeys, stepKeys } from './masks';
import { BIGBIRD_BLOCK, BIGBIRD_RANDOM, isSparse, sparseIssues, sparseNote, type SparseMask } from './sparseMasks';
import { arg, scaleHeads } from './probeScale';
import { expertIssues, moaLine, projections, withExpertReads } from './attentionExperts';

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
    probeSparse(a, T);
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
    { name: 'global', type: 'int', min: 0, doc: 'mask: global_local (Longformer, with an even `window` w: w/2 keys each side): G global tokens (the first G positions) that see and are seen by every token (default: 0).' },
    { name: 'global_proj', type: 'bool', doc: 'mask: global_local: separate query/key/value projections for the global attention (Longformer query_global, key_global, value_global): + d·H·hd + 2·d·KV·hd parameters (default: false).' },
    { name: 'block', type: 'int', min: 1, doc: 'mask: block_sparse (BigBird ITC): block size b (default: 64).' },
    { name: 'random', type: 'int', min: 0, doc: 'mask: block_sparse: random key blocks r per query block (default: 3).' },
    { name: 'stride', type: 'int', min: 1, doc: 'mask: strided / fixed (Sparse Transformer): stride l; strided sees the l latest and every l-th key, fixed its own block of l.' },
    { name: 'summary', type: 'int', min: 1, doc: 'mask: fixed: c summary positions at the end of each block that every later query sees (default: 1).' },
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
  const out: ArgIssue[] = sparseIssues(args);
  if (mask !== 'causal' && mask !== 'global_local' && num(args, 'window') > 0) out.push({ arg: 'window', message: 'a sliding window is causal: use mask: causal' });
  if (num(args, 'prefix') > 0 && mask !== 'prefix') out.push({ arg: 'prefix', message: "'prefix' needs mask: prefix" });
  if (num(args, 'candidates') > 0 && mask !== 'candidates') out.push({ arg: 'candidates', message: "'candidates' needs mask: candidates" });
  if ((args.kv_len !== undefined || args.kv_dim !== undefined) && mask !== 'cross') out.push({ arg: args.kv_len !== undefined ? 'kv_len' : 'kv_dim', message: "'kv_len' and 'kv_dim' need mask: cross" });
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
  const step = stepKeys(args, ctx.seq, W);
  const mask = str(args, 'mask');
  const glob = globalProjections(args, s, ctx.seq);
  const cost = denseCost(dims, ctx, {
    params: p.all + s.bias + s.extra + glob.params, active: p.active + s.bias + s.extra + glob.params,
    prefillFlops: 2 * p.active + glob.prefillFlops + perKey * prefillKeys(args, ctx.seq, W),
    decodeFlops: 2 * p.active + perKey * step.read,
    cacheBytes: kvPerToken * step.cached,
    cacheReadPerSeq: kvPerToken * step.read,
    cacheWritePerSeq: kvPerToken,
    formula: [
      (s.E ? moaLine(s) : paramsLine(s, 'd')) + `${s.gate ? ' + d·H·hd (output gate)' : ''}${s.bias ? ' + qkv bias' : ''}${bool(args, 'qk_norm') ? ' + 2·hd (qk-norm)' : ''}${bool(args, 'sinks') ? ' + H (sinks)' : ''}${glob.params ? ' + d·H·hd + 2·d·KV·hd (global q/k/v)' : ''}`,
      isSparse(mask) ? sparseFlopsLine(args, ctx.seq, step.read, glob.params > 0)
        : `FLOPs/token = 2·${s.E ? 'active ' : ''}projections + 4·H·hd·keys; keys = ${W ? `min(t, ${W})` : 't'} ${KEYS_NOTE[mask] ?? KEYS_NOTE.causal}`,
      isSparse(mask) ? `KV cache = 2·KV·hd·${step.cached}·bytes = 2·${s.KV}·${s.hd}·${step.cached}·${kv} B${step.cached > step.read ? ` (all L kept; a step reads ${step.read})` : ''}`
        : `KV cache = 2·KV·hd·min(L, W)·bytes = 2·${s.KV}·${s.hd}·${step.cached}·${kv} B`,
    ],
  });
  return withExpertReads(cost, s, ctx.batch, weight);
}

/**
 * Longformer's global projections: Qg on the min(G, L) global tokens, Kg and Vg on all L (per token: their FLOPs
 * amortised over L); a decode step appends a local token, so it needs none.
 */
function globalProjections(args: Args, s: Shape, L: number): { params: number; prefillFlops: number } {
  if (!bool(args, 'global_proj') || str(args, 'mask') !== 'global_local') return { params: 0, prefillFlops: 0 };
  const q = s.d * s.H * s.hd, kv = 2 * s.d * s.KV * s.hd;
  const bias = bool(args, 'qkv_bias') ? (s.H + 2 * s.KV) * s.hd : 0;
  return { params: q + kv + bias, prefillFlops: 2 * kv + (2 * q * Math.min(num(args, 'global'), L)) / Math.max(1, L) };
}

function sparseFlopsLine(args: Args, L: number, read: number, glob: boolean): string {
  const mask = str(args, 'mask') as SparseMask;
  const keys = prefillKeys(args, L, 0);
  return `FLOPs/token = 2·projections${glob ? ' + 2·(Kg, Vg) + 2·Qg·G/L' : ''} + 4·H·hd·keys; keys = ${+keys.toFixed(1)} per prefill query (L = ${L}), ${read} per decode step ${sparseNote(mask, args)}`;
}

/** Probe sizes (seq T): a Longformer window and global count, BigBird blocks and strides that still fit T. */
function probeSparse(a: Record<string, Value>, T: number): void {
  const n = (k: string): number => arg(a, k);
  if (a.mask === 'global_local' && n('window') >= T) a.window = Math.max(2, 2 * Math.floor(T / 4));
  if (n('global') >= T) a.global = Math.max(1, Math.floor(T / 4));
  if (a.mask === 'block_sparse') {
    const r = Math.min(a.random === undefined ? BIGBIRD_RANDOM : n('random'), Math.max(0, Math.floor((T - 6) / 2)));
    a.random = r;
    a.block = Math.max(1, Math.min(a.block === undefined ? BIGBIRD_BLOCK : n('block'), Math.floor(T / (6 + 2 * r))));
  }
  if (n('stride') >= T) a.stride = Math.max(1, Math.floor(Math.sqrt(T)));
  if (n('summary') > n('stride') && a.stride !== undefined) a.summary = a.stride;
}

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
