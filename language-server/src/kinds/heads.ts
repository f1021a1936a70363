/**
 * Task heads and hashed inputs beyond the LM head.
 * `head`: a model can end in a classification / regression / multi-action head instead of `lm_head`.
 *   Pooling as the reference implementations: `cls` the first position (BERT, Devlin et al. 2019 §3, HF
 *   `BertPooler`: dense d×d + tanh = `hidden: d`), `last` the last position (HF `LlamaForSequenceClassification`,
 *   a bias-free `score` Linear d×K), `mean` the average over positions (Sentence-BERT, Reimers & Gurevych 2019
 *   §3), `none` every position (token classification; the Phoenix ranker, xai-org/x-algorithm
 *   phoenix/recsys_model.py `PhoenixModel.__call__`: the candidate positions' outputs × `unembeddings`
 *   [emb_size, num_actions], no bias, one logit per engagement action; `positions: C` scores only the last C).
 *   params = (hidden ? d·hidden + hidden·b : 0) + in·K + K·b (in = hidden or d; b = bias).
 *   A pooled head runs once per sequence: its prefill FLOPs per token are 2·(d·hidden + in·K) / L; a decode step
 *   re-pools with the new token (mean: a running sum of d, cls: the first position's d, carried as state).
 * `hashed_embedding`: the hashing trick (Weinberger, Dasgupta, Langford, Smola & Attenberg 2009, "Feature
 *   Hashing for Large Scale Multitask Learning", §2) with k hash functions into one shared table (Svenstrup,
 *   Hansen & Winther 2017, "Hash Embeddings for Efficient Word Representations", §3, without the per-token
 *   importance weights: combine sum with equal weights); Phoenix hashes users, posts and authors with 2 hashes
 *   each (phoenix/recsys_model.py `HashConfig`, concatenated: `block_user_reduce`). params = buckets·dim;
 *   row j of id x for hash i: ((a_i·x + c_i) mod p) mod buckets, p = 2³¹ − 1, a_i odd (universal hashing,
 *   Carter & Wegman 1979). combine sum: dim = d; concat: k·dim = d.
 */
import type { ArgIssue, Args, BlockKind, ContextClass, DecodeState } from './types';
import { bool, byteWidths, denseCost, dModel, linearParams, num, str } from './formulas';
import { scaleArgs } from './probeScale';

export const POOLS = ['none', 'last', 'mean', 'cls'] as const;

/** The head's widths: input d, optional hidden width, outputs K, and the positions it scores per sequence. */
export function headShape(args: Args, d: number, L: number) {
  const pool = str(args, 'pool');
  const hidden = num(args, 'hidden');
  const scored = pool === 'none' ? (num(args, 'positions') > 0 ? Math.min(num(args, 'positions'), L) : L) : 1;
  return { pool, hidden, K: num(args, 'outputs'), bias: bool(args, 'bias'), scored, inner: hidden || d };
}

/** Pooled heads that need an earlier position in a decode step carry it as state (mean: the sum; cls: the first). */
function headClass(args: Args): { context: ContextClass; decodeState: DecodeState } {
  const p = str(args, 'pool');
  return { context: 'position-free', decodeState: p === 'mean' || p === 'cls' ? 'state' : 'none' };
}

const LOSS: Record<string, string> = {
  classify: 'softmax cross-entropy over the K outputs',
  multi_label: 'one sigmoid binary cross-entropy per output (K independent actions)',
  regress: 'squared error per output (identity)',
};

export const head: BlockKind = {
  name: 'head',
  summary: 'Task head: pooled or per-position projection to K outputs (classification, regression, multi-action scores).',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  classify: headClass,
  tpAllReduces: 1,
  role: 'head',
  probe: (a, w) => scaleArgs(a, w, 'hidden'),
  params: [
    { name: 'outputs', type: 'int', required: true, min: 1, doc: 'Outputs K: classes, regression targets or actions (Phoenix: 19 engagement actions).' },
    { name: 'pool', type: 'enum', default: 'last', values: [...POOLS], doc: 'Which positions feed the head: last (decoder classifiers), cls (first position, BERT), mean (average), none (every position).' },
    { name: 'task', type: 'enum', default: 'classify', values: ['classify', 'multi_label', 'regress'], doc: 'The loss the raw outputs feed: softmax over K, a sigmoid per output, or identity.' },
    { name: 'hidden', type: 'int', default: 0, min: 0, doc: 'Width of a dense + tanh layer before the output projection (BERT pooler: d_model); 0 = none.' },
    { name: 'positions', type: 'int', default: 0, min: 0, doc: 'With pool: none, score only the last N positions (Phoenix: the candidates); 0 = all.' },
    { name: 'bias', type: 'bool', default: true, doc: 'Biases on the hidden layer and the output projection (Phoenix and HF Llama classifiers: false).' },
  ],
  validate(args) {
    const issues: ArgIssue[] = [];
    if (num(args, 'positions') > 0 && str(args, 'pool') !== 'none') issues.push({ arg: 'positions', message: `positions applies to pool: none only (pool is ${str(args, 'pool')})` });
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const { pool, hidden, K, bias, scored, inner } = headShape(args, d, ctx.seq);
    const dense = hidden ? linearParams(d, hidden, bias) : 0;
    const params = dense + linearParams(inner, K, bias);
    const perScore = 2 * ((hidden ? d * hidden : 0) + inner * K);
    const state = headClass(args).decodeState === 'state' ? d : 0;
    const cost = denseCost(dims, ctx, {
      params, prefillFlops: ctx.seq > 0 ? (perScore * scored) / ctx.seq : 0, decodeFlops: perScore,
      cacheBytes: state * byteWidths(dims).state, cacheReadPerSeq: state * byteWidths(dims).state, cacheWritePerSeq: state * byteWidths(dims).state,
      formula: [
        `params = ${hidden ? `d·hidden${bias ? ' + hidden' : ''} + hidden·K` : 'd·K'}${bias ? ' + K' : ''} = ${params} (K = ${K}${hidden ? `, hidden = ${hidden}` : ''})`,
        `FLOPs = 2·(${hidden ? 'd·hidden + hidden·K' : 'd·K'}) = ${perScore} per scored position; pool ${pool}: ${scored} of ${ctx.seq} positions scored`,
        `loss: ${LOSS[str(args, 'task')] ?? ''}${state ? `; decode state ${state} (${pool === 'mean' ? 'running sum' : 'first position'})` : ''}`,
      ],
    });
    return cost;
  },
};

/** Row width of each hash: d for sum, d / hashes for concat (unless given). */
export function hashedShape(args: Args, d: number) {
  const k = num(args, 'hashes');
  const concat = str(args, 'combine') === 'concat';
  return { k, concat, buckets: num(args, 'buckets'), dim: num(args, 'dim') || (concat ? Math.floor(d / Math.max(1, k)) : d) };
}

export const hashedEmbedding: BlockKind = {
  name: 'hashed_embedding',
  summary: 'Hashed embedding: each id is hashed by k functions into one table of `buckets` rows, combined by sum or concat.',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'embedding',
  probe: (a, w) => scaleArgs(a, w, 'buckets', 'dim'),
  params: [
    { name: 'buckets', type: 'int', required: true, min: 1, doc: 'Rows of the shared table (hash range).' },
    { name: 'hashes', type: 'int', default: 2, min: 1, doc: 'Hash functions k per id (Phoenix: 2 per user, post and author).' },
    { name: 'combine', type: 'enum', default: 'sum', values: ['sum', 'concat'], doc: 'Sum the k rows (width d) or concatenate them (k·dim = d_model).' },
    { name: 'dim', type: 'int', min: 1, doc: 'Row width (default: d_model for sum, d_model / hashes for concat).' },
  ],
  validate(args, dims) {
    const d = dModel(dims);
    const { k, concat, dim } = hashedShape(args, d);
    if (concat && k * dim !== d) return [{ arg: 'dim', message: `combine: concat needs hashes·dim = d_model (${k}·${dim} ≠ ${d})` }];
    if (!concat && dim !== d) return [{ arg: 'dim', message: `combine: sum needs dim = d_model (${dim} ≠ ${d})` }];
    return [];
  },
  cost(args, dims, ctx) {
    const { k, concat, buckets, dim } = hashedShape(args, dModel(dims));
    const params = buckets * dim;
    const cost = denseCost(dims, ctx, {
      params, prefillFlops: 0, decodeFlops: 0,
      formula: [`params = buckets·dim = ${buckets}·${dim}`,
        `FLOPs = 0: k = ${k} gathers of row ((a_i·id + c_i) mod p) mod buckets, ${concat ? 'concatenated' : 'summed'}`],
    });
    return { ...cost, decodeBytes: ctx.batch * k * dim * byteWidths(dims).weight };
  },
};
