/**
 * `linformer`: Wang, Li, Khabsa, Fang & Ma 2020, "Linformer: Self-Attention with Linear Complexity" (arXiv
 * 2006.04768), eq. 7: head_i = softmax(Q W_i^Q (E_i K W_i^K)ᵀ / √hd) · F_i V W_i^V, with E_i, F_i ∈ R^{k×n}
 * projecting the n key/value positions down to k. §4 "parameter sharing": headwise (one E, F per layer, shared by
 * the heads), key-value (E = F per layer) and layerwise (one E for every layer, head, key and value).
 * Parameters as fairseq `examples/linformer/linformer_src/modules/multihead_linear_attention.py`: q, k, v, out
 * projections d×d (bias on all four, fairseq's default; `bias`), compress_k / compress_v = nn.Linear(n, k,
 * bias=False), sliced to the first L columns for a shorter input. Its layerwise layer (linformer_sentence_encoder.py)
 * also has a bias of k, not in the paper and not counted here.
 * Costs follow eq. 7's order (project, then compress): per token 2·(4·d·H·hd) for the projections, 2·(2·H·k·hd)
 * for compressing K and V (k·hd MACs per head each), 4·H·k·hd for the scores and the weighted sum over k keys:
 * constant in L (the paper's O(n·k)). fairseq compresses X before k_proj / v_proj when E is shared across heads,
 * which moves the K/V projections to k rows per sequence; not modelled.
 * A bidirectional encoder: every position is mixed into the k projected keys, so there is no causal decode step
 * (the compiled graph has none); no KV cache.
 */
import type { Args, ArgIssue, BlockKind } from './types';
import { bool, denseCost, dModel, num, str } from './formulas';
import { arg, divisorAtMost, down } from './probeScale';

export const SHARING = ['none', 'headwise', 'kv', 'layerwise'] as const;

/** E/F matrices of n×k one block holds: per head E_i and F_i, one E and F, one E = F, or the model's one (reuse: 0). */
export function projectionCount(args: Args): number {
  const share = str(args, 'share');
  if (share === 'none') return 2 * num(args, 'heads');
  if (share === 'headwise') return 2;
  return share === 'layerwise' && bool(args, 'reuse') ? 0 : 1;
}


export const linformer: BlockKind = {
  name: 'linformer',
  summary: 'Linformer self-attention (Wang 2020): keys and values projected along the sequence from n to k positions; a bidirectional encoder.',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d, fit) => {
    if (arg(a, 'head_dim')) { a.heads = down(arg(a, 'heads'), w); a.head_dim = down(arg(a, 'head_dim'), w); }
    else a.heads = divisorAtMost(d, down(arg(a, 'heads'), w));
    const T = fit.seq ?? 16;
    a.max_len = T;
    if (arg(a, 'k') > T) a.k = Math.max(1, Math.floor(T / 2));
  },
  probeAlways: true,
  holds: (a) => (str(a, 'share') === 'layerwise' && !bool(a, 'reuse') ? 'linformer E' : undefined),
  reads: (a) => (str(a, 'share') === 'layerwise' && bool(a, 'reuse') ? 'linformer E' : undefined),
  params: [
    { name: 'heads', type: 'int', required: true, min: 1, doc: 'Number of heads H.' },
    { name: 'k', type: 'int', required: true, min: 1, doc: 'Projected length k: the keys and values each query attends to.' },
    { name: 'max_len', type: 'int', required: true, min: 1, doc: 'Sequence length n the projections E, F (k×n) are built for (their parameters are n·k each); longer inputs are refused.' },
    { name: 'head_dim', type: 'int', min: 1, doc: 'Dimension per head hd (default: d_model / heads).' },
    { name: 'share', type: 'enum', default: 'headwise', values: [...SHARING],
      doc: 'none: E_i, F_i per head (2·H·n·k); headwise: one E, F per layer (2·n·k, fairseq default); kv: E = F per layer (n·k); layerwise: one E for all layers (n·k once).' },
    { name: 'reuse', type: 'bool', default: false, doc: 'share: layerwise: use the E of an earlier linformer layer (0 parameters here); the first layer holds it.' },
    { name: 'bias', type: 'bool', default: false, doc: 'Biases on the q, k, v and output projections (fairseq: true).' },
  ],
  validate(args, dims) {
    const issues: ArgIssue[] = [];
    const H = num(args, 'heads');
    const d = dModel(dims);
    if (args.head_dim === undefined && H > 0 && d % H !== 0) issues.push({ arg: 'heads', message: `heads (${H}) must divide d_model (${d}) unless head_dim is given` });
    const n = num(args, 'max_len');
    if (num(args, 'k') > n) issues.push({ arg: 'k', message: `k (${num(args, 'k')}) must not exceed max_len (${n})` });
    if (bool(args, 'reuse') && str(args, 'share') !== 'layerwise') issues.push({ arg: 'reuse', message: "'reuse' needs share: layerwise" });
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const H = num(args, 'heads');
    const hd = num(args, 'head_dim') || d / H;
    const n = num(args, 'max_len');
    const k = num(args, 'k');
    const projections = 4 * d * H * hd;
    const bias = bool(args, 'bias') ? 3 * H * hd + d : 0;
    const E = projectionCount(args) * n * k;
    const flops = 2 * projections + 2 * (2 * H * k * hd) + 4 * H * k * hd;
    return denseCost(dims, ctx, {
      params: projections + bias + E, prefillFlops: flops, decodeFlops: flops,
      formula: [
        `params = 4·d·H·hd${bias ? ' + 3·H·hd + d (biases)' : ''} + ${projectionCount(args)}·n·k (E, F: share ${str(args, 'share')}) = ` +
          `${projections}${bias ? ` + ${bias}` : ''} + ${E} (n = ${n}, k = ${k})`,
        `FLOPs/token = 2·4·d·H·hd + 2·(2·H·k·hd) (E·K, F·V) + 4·H·k·hd (scores and sum over k keys), constant in L ≤ n`,
        'bidirectional encoder: no causal decode step (every position is mixed into the k keys), no KV cache',
      ],
    });
  },
};
