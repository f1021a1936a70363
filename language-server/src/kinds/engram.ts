/**
 * Engram conditional memory (DeepSeek, arXiv 2601.07372; `deepseek-ai/Engram` engram_demo_v1.py).
 * Per token: hash the suffix N-grams (orders × K heads), gather one row of dim/(orders·K) from each
 * sub-table, e_t ∈ R^dim; k^(m) = W_K^(m) e, v = W_V e (shared by the M branches);
 * α^(m) = σ(RMSNorm(h^(m))·RMSNorm(k^(m))/√d); Y = SiLU(Conv1D(RMSNorm(α·v))) + α·v (kernel 4, dilation = max order).
 * Parameters: tables slots·dim (orders·K sub-tables of `slots` rows; the paper's distinct prime sizes are
 * approximated by equal `slots`), W_V dim·d, M·W_K dim·d, 3·M·d RMSNorm weights (h, k, conv input), M·d·kernel conv.
 * Engram-27B per layer: tables 2,262,400·1280 = 2,895,872,000 (Engram paper arXiv 2601.07372 Table 5: 2 layers → "5.7B").
 * Active = all but the tables (only dim table values are gathered per token). FLOPs (from Eqs. 3–5 of the paper):
 * 2·(1+M)·dim·d projections + 2·M·d gate dots + 2·M·d·kernel conv.
 * placement host: the tables live in host memory (paper §2.5) and the gathered rows, B·dim values per
 * decode step, cross the host link; device: the gathers are device-memory traffic.
 * Cache: the dilated conv window, M·d·(kernel−1)·dilation activations (the last max-order token ids are ignored).
 */
import type { ArgIssue, BlockKind } from './types';
import { byteWidths, decodeTraffic, dModel, num, numList, str } from './formulas';
import { arg, down } from './probeScale';

export const engram: BlockKind = {
  name: 'engram',
  summary: 'Engram: hashed N-gram memory lookup with context-aware gating and a short conv (DeepSeek).',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'memory',
  // Always: a full-width probe (`width=1,slots=N`) must still honour the slot cap; at width 1 without a cap nothing changes.
  probeAlways: true,
  probe: (a, w, _d, fit) => {
    const parts = (Array.isArray(a.orders) ? a.orders.length : 1) * arg(a, 'heads');
    a.dim = parts * Math.max(1, Math.round(arg(a, 'dim') / w / parts));
    a.slots = Math.min(fit.maxSlots ?? (w === 1 ? Infinity : 1024), down(arg(a, 'slots'), w));
  },
  params: [
    { name: 'orders', type: 'list', default: [2, 3], doc: 'N-gram orders looked up (paper: [2, 3]).' },
    { name: 'heads', type: 'int', default: 8, min: 1, doc: 'Hash heads K per order; each has its own sub-table.' },
    { name: 'slots', type: 'int', required: true, min: 1, doc: 'Rows per sub-table (Engram-27B: 2,262,400; 40B: 7,239,680).' },
    { name: 'dim', type: 'int', required: true, min: 1, doc: 'Retrieved width d_mem (paper: 1280); row width = dim / (orders·heads).' },
    { name: 'branches', type: 'int', default: 1, min: 1, doc: 'Residual branches M with their own W_K and norms (4 with mHC).' },
    { name: 'conv_kernel', type: 'int', default: 4, min: 1, doc: 'Depthwise causal conv kernel w.' },
    { name: 'dilation', type: 'int', min: 1, doc: 'Conv dilation (default: the largest order, as in the paper).' },
    { name: 'placement', type: 'enum', default: 'device', values: ['device', 'host'],
      doc: 'Where the tables live: device memory, or host memory with rows fetched over the host link.' },
  ],
  validate(args) {
    const issues: ArgIssue[] = [];
    const orders = numList(args, 'orders');
    const K = num(args, 'heads');
    const dim = num(args, 'dim');
    if (orders.length === 0) issues.push({ arg: 'orders', message: 'orders must list at least one N-gram order' });
    else if (dim > 0 && K > 0 && dim % (orders.length * K) !== 0) {
      issues.push({ arg: 'dim', message: `dim (${dim}) must be divisible by orders × heads (${orders.length} × ${K} = ${orders.length * K})` });
    }
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const orders = numList(args, 'orders');
    const dim = num(args, 'dim');
    const M = num(args, 'branches');
    const w = num(args, 'conv_kernel');
    const dil = num(args, 'dilation') || Math.max(1, ...orders);
    const tables = num(args, 'slots') * dim;
    const dense = (1 + M) * dim * d + 3 * M * d + M * d * w;
    const flops = 2 * (1 + M) * dim * d + 2 * M * d + 2 * M * d * w;
    const { weight, kv } = byteWidths(dims);
    const host = str(args, 'placement') === 'host';
    const gather = ctx.batch * dim * weight;
    const windowBytes = M * d * (w - 1) * dil * kv;
    return {
      params: tables + dense,
      active: dense,
      prefillFlops: flops,
      decodeFlops: flops,
      cacheBytes: windowBytes,
      weightBytes: (host ? dense : tables + dense) * weight,
      hostWeightBytes: host ? tables * weight : 0,
      decodeBytes: decodeTraffic(dense * weight, windowBytes, M * d * kv, ctx) + (host ? 0 : gather),
      hostDecodeBytes: host ? gather : 0,
      formula: [
        `params = tables slots·dim + (1+M)·dim·d + 3·M·d + M·d·w = ${tables} + ${dense} (M = ${M}, row = ${dim / (orders.length * num(args, 'heads'))})`,
        `active = params − tables = ${dense}`,
        `FLOPs/token = 2·(1+M)·dim·d + 2·M·d + 2·M·d·w = ${flops}`,
        `lookups = B·dim·bytes = ${gather} B per decode step ${host ? 'over the host link (tables in host memory)' : 'from device memory'}`,
      ],
    };
  },
};
