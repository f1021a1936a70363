/**
 * Selective state-space mixers.
 * `mamba`: Gu & Dao 2023 (arXiv 2312.00752), parameters as HF `MambaMixer`; Jamba (arXiv 2403.19887)
 * adds RMSNorms on dt, B and C (`dt_norms`). Checks: Mamba-2.8B layer 41,241,600; Jamba 105,308,448.
 * `mamba2`: Dao & Gu 2024 (SSD, arXiv 2405.21060), parameters as HF `Mamba2Mixer`. Check: Mamba2-2.7B
 * layer 40,214,000, state 671,488 elements.
 * Recurrent step per state element: h ← Ā·h + B̄·x, y ← C·h — 3 MACs, so the scan costs 6·d_inner·d_state
 * FLOPs per token (the state update is the defining recurrence, so its elementwise products count).
 * Prefill is costed with the same recurrence (the chunked SSD form differs by a chunk-size factor).
 * State (conv window + SSM state) is constant in context length and held in `state_dtype`.
 */
import type { ArgIssue, BlockKind } from './types';
import { bool, byteWidths, dModel, num, recurrentCost } from './formulas';
import { arg, divisorAtMost, down, scaleArgs } from './probeScale';

export const mamba: BlockKind = {
  name: 'mamba',
  summary: 'Mamba (v1) selective SSM mixer: in_proj, causal depthwise conv, selective scan, out_proj.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w) => { scaleArgs(a, w, 'd_inner', 'dt_rank'); a.d_state = Math.max(2, Math.round(arg(a, 'd_state') / w)); },
  params: [
    { name: 'd_state', type: 'int', default: 16, min: 1, doc: 'SSM state size N per channel.' },
    { name: 'expand', type: 'number', default: 2, min: 1, doc: 'd_inner = expand·d_model (unless d_inner is given).' },
    { name: 'd_conv', type: 'int', default: 4, min: 1, doc: 'Causal depthwise conv kernel width.' },
    { name: 'dt_rank', type: 'int', min: 1, doc: 'Rank of the Δ projection (default: ceil(d_model / 16)).' },
    { name: 'd_inner', type: 'int', min: 1, doc: 'Inner width (default: expand·d_model).' },
    { name: 'conv_bias', type: 'bool', default: true, doc: 'Bias on the depthwise conv (d_inner params).' },
    { name: 'bias', type: 'bool', default: false, doc: 'Biases on in_proj and out_proj.' },
    { name: 'dt_norms', type: 'bool', default: false, doc: 'Jamba RMSNorms on Δ, B and C: dt_rank + 2·d_state params.' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const ds = num(args, 'd_state');
    const di = num(args, 'd_inner') || num(args, 'expand') * d;
    const r = num(args, 'dt_rank') || Math.ceil(d / 16);
    const k = num(args, 'd_conv');
    const b = bool(args, 'bias');
    const matmul = d * 2 * di + di * (r + 2 * ds) + r * di + di * d;
    const params = matmul + (b ? 2 * di + d : 0) + di * k + (bool(args, 'conv_bias') ? di : 0)
      + di /* dt_proj bias */ + di * ds /* A_log */ + di /* D */ + (bool(args, 'dt_norms') ? r + 2 * ds : 0);
    const flops = 2 * matmul + 2 * di * k + 6 * di * ds;
    const stateElems = di * (k - 1) + di * ds;
    return recurrentCost(dims, ctx, {
      params, flops, stateElems,
      formula: [
        `params = d·2di + di·d_conv + di·(dt_rank+2N) + dt_rank·di + di + di·N + di + di·d (+ biases) = ${params}` +
          ` (di = ${di}, N = ${ds}, dt_rank = ${r})`,
        `FLOPs/token = 2·matmul + 2·di·d_conv + 6·di·N (scan: 3 MACs per state element) = ${flops}, constant in L`,
        `state = di·(d_conv−1) + di·N = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};

export const mamba2: BlockKind = {
  name: 'mamba2',
  summary: 'Mamba-2 (SSD) mixer: multi-head scalar-decay SSM with grouped B/C and a gated RMSNorm.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    const di = arg(a, 'd_inner') ? down(arg(a, 'd_inner'), w) : arg(a, 'expand') * d;
    if (arg(a, 'd_inner')) a.d_inner = di;
    a.head_dim = divisorAtMost(di, down(arg(a, 'head_dim'), w));
    a.n_groups = divisorAtMost(di / (a.head_dim as number), arg(a, 'n_groups'));
    a.d_state = Math.max(2, Math.round(arg(a, 'd_state') / w));
  },
  params: [
    { name: 'd_state', type: 'int', default: 128, min: 1, doc: 'SSM state size N per head channel.' },
    { name: 'head_dim', type: 'int', default: 64, min: 1, doc: 'Channels per SSM head P; heads = d_inner / head_dim.' },
    { name: 'n_groups', type: 'int', default: 1, min: 1, doc: 'Groups sharing B and C (like GQA groups).' },
    { name: 'expand', type: 'number', default: 2, min: 1, doc: 'd_inner = expand·d_model (unless d_inner is given).' },
    { name: 'd_conv', type: 'int', default: 4, min: 1, doc: 'Causal depthwise conv kernel width (over x, B, C).' },
    { name: 'd_inner', type: 'int', min: 1, doc: 'Inner width (default: expand·d_model).' },
    { name: 'norm', type: 'bool', doc: 'Gated RMSNorm before out_proj (di params); false = none (Falcon-H1 mamba_rms_norm: false) (default: true).' },
  ],
  validate(args, dims) {
    const issues: ArgIssue[] = [];
    const di = num(args, 'd_inner') || num(args, 'expand') * dModel(dims);
    const hd = num(args, 'head_dim');
    const ng = num(args, 'n_groups');
    if (hd > 0 && di % hd !== 0) issues.push({ arg: 'head_dim', message: `head_dim (${hd}) must divide d_inner (${di})` });
    else if (hd > 0 && ng > 0 && (di / hd) % ng !== 0) {
      issues.push({ arg: 'n_groups', message: `n_groups (${ng}) must divide the number of heads (${di / hd})` });
    }
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const ds = num(args, 'd_state');
    const di = num(args, 'd_inner') || num(args, 'expand') * d;
    const ng = num(args, 'n_groups');
    const k = num(args, 'd_conv');
    const nh = di / num(args, 'head_dim');
    const convDim = di + 2 * ng * ds;
    const matmul = d * (2 * di + 2 * ng * ds + nh) + di * d;
    const normed = args.norm !== false; // absent = the gated norm (kept out of the defaults so reports stay as they were)
    const params = matmul + convDim * k + convDim + 3 * nh /* dt_bias, A_log, D */ + (normed ? di : 0) /* gated norm */;
    const flops = 2 * matmul + 2 * convDim * k + 6 * di * ds;
    const stateElems = convDim * (k - 1) + di * ds;
    return recurrentCost(dims, ctx, {
      params, flops, stateElems,
      formula: [
        `params = d·(2di + 2·G·N + H) + (di + 2·G·N)·(d_conv+1) + 3·H + ${normed ? 'di + ' : ''}di·d = ${params} (di = ${di}, H = ${nh}, N = ${ds}, G = ${ng})`,
        `FLOPs/token = 2·matmul + 2·(di+2GN)·d_conv + 6·H·P·N (scan: 3 MACs per state element) = ${flops}, constant in L`,
        `state = (di + 2GN)·(d_conv−1) + H·P·N = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};
