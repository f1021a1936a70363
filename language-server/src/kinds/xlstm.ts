/**
 * xLSTM mixers, Beck, Pöppel, Spanring, Auer, Prudnikova, Kopp, Klambauer, Brandstetter & Hochreiter 2024,
 * "xLSTM: Extended Long Short-Term Memory" (NeurIPS 2024, arXiv 2405.04517); parameters as the NX-AI/xlstm
 * reference layers (xlstm/blocks/mlstm/layer.py `mLSTMLayer` + cell.py `mLSTMCell`; xlstm/blocks/slstm/layer.py
 * `sLSTMLayer` + cell.py `sLSTMCell`). The block's pre-norm (and the sLSTM block's FFN) are written as their own blocks.
 * `mlstm`: inner width di = proj_factor·d rounded up to a multiple of 64; proj_up d×2di, headwise q, k, v
 *   (di/qkv_blocksize blocks of qkv_blocksize² each), a causal depthwise conv1d with bias on the q/k branch,
 *   input and forget gates Linear(3di → H) with bias, a per-head LayerNorm weight di (no bias), learnable_skip di,
 *   proj_down di×d; `bias` adds the biases of proj_up, q, k, v and proj_down.
 *   Check: xLSTM-125M block (d 768, H 4, proj_factor 2, conv 4, blocksize 4) 3,605,000 (24 such blocks + their
 *   768 pre-norms + a 50,304×768 embedding + the final norm = 125,172,672, the paper's "125M").
 *   Per head (state C dh×dh, n dh, m 1; dh = di/H): m' = max(log σ(f̃) + m, ĩ), i = exp(ĩ − m'), f = exp(log σ(f̃) + m − m'),
 *   C ← f·C + (i·k)vᵀ, n ← f·n + i·k, h = qC / max(|q·n|, e^{−m'}): 3 MACs per C and per n element (decay, update,
 *   read-out), as the other recurrent kinds count theirs.
 * `mlstm(variant: large)`: the xLSTM-7B layer (Beck, Pöppel, Lippe, Kurle, Blies, Klambauer, Böck & Hochreiter
 *   2025, "xLSTM 7B: A Recurrent LLM for Fast and Efficient Inference", arXiv 2503.13427 §3; NX-AI/xlstm
 *   xlstm/xlstm_large/model.py `mLSTMLayer`): no up-projection, conv or skip; q, k Linear(d → qk = qk_dim_factor·d),
 *   v and the output gate Linear(d → v = v_dim_factor·d), input and forget gates Linear(d → H) with bias and
 *   soft-capped (cap·tanh(x/cap), gate_soft_cap), a per-head norm weight v, out_proj v×d; `bias` adds the q, k, v,
 *   o-gate, out_proj and norm biases. Per head C is dk×dv (dk = qk/H, dv = v/H): 3 MACs per C and n element.
 *   Check: xLSTM-7B (d 4096, H 8, qk 0.5, v 1) layer 67,178,512.
 * `slstm`: a causal depthwise conv1d with bias feeding the i, f gates; four headwise gate projections (H blocks of
 *   (d/H)² each, no bias), the recurrent kernel R (H blocks of (d/H)×4(d/H)), bias 4d, the per-head LayerNorm
 *   weight d. Check: xLSTM-125M sLSTM block (d 768, H 4, conv 4) 1,187,328. States h, c, n, m (d each), updated
 *   elementwise (not counted); the recurrent product R·h is a matmul.
 */
import type { ArgIssue, Args, BlockCost, BlockKind, CostContext, Dims } from './types';
import { bool, byteWidths, dModel, num, recurrentCost } from './formulas';
import { arg, divisorAtMost, down } from './probeScale';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** mLSTM widths: inner di (rounded up to round_to), heads H, head width dh, q/k/v block size bs, conv kernel k. */
export function mlstmShape(args: Args, dims: Dims) {
  const d = dModel(dims);
  const r = Math.max(1, num(args, 'round_to'));
  const di = Math.ceil((num(args, 'proj_factor') * d) / r) * r;
  const H = num(args, 'heads');
  return { d, di, H, dh: di / H, bs: num(args, 'qkv_blocksize'), k: num(args, 'd_conv') };
}

function mlstmValidate(args: Args, dims: Dims): ArgIssue[] {
  const { di, H, bs } = mlstmShape(args, dims);
  const issues: ArgIssue[] = [];
  if (H > 0 && di % H !== 0) issues.push({ arg: 'heads', message: `heads (${H}) must divide the inner width (${di})` });
  if (bs > 0 && di % bs !== 0) issues.push({ arg: 'qkv_blocksize', message: `qkv_blocksize (${bs}) must divide the inner width (${di})` });
  return issues;
}

/** xLSTM-7B mLSTM widths (variant: large): q/k width qk, value width v, heads H, per-head dk and dv. */
export function mlstmLargeShape(args: Args, dims: Dims) {
  const d = dModel(dims), H = num(args, 'heads');
  const qk = Math.floor(d * num(args, 'qk_dim_factor')), v = Math.floor(d * num(args, 'v_dim_factor'));
  return { d, H, qk, v, dk: qk / H, dv: v / H };
}

function largeValidate(args: Args, dims: Dims): ArgIssue[] {
  const { H, qk, v } = mlstmLargeShape(args, dims);
  if (qk === 0) return [{ arg: 'qk_dim_factor', message: `qk_dim_factor gives a q/k width of 0 (d_model ${dModel(dims)})` }];
  if (v === 0) return [{ arg: 'v_dim_factor', message: `v_dim_factor gives a value width of 0 (d_model ${dModel(dims)})` }];
  if (H > 0 && (qk % H !== 0 || v % H !== 0)) return [{ arg: 'heads', message: `heads (${H}) must divide the q/k width (${qk}) and the value width (${v})` }];
  return [];
}

function largeCost(args: Args, dims: Dims, ctx: CostContext): BlockCost {
  const { d, H, qk, v, dk, dv } = mlstmLargeShape(args, dims);
  const matmul = 2 * d * qk + 2 * d * v + 2 * d * H + v * d;
  const biases = bool(args, 'bias') ? 2 * qk + 3 * v + d : 0;
  const params = matmul + 2 * H + v /* norm weight */ + biases;
  const cell = H * dk * dv + H * dk;
  const flops = 2 * matmul + 6 * cell;
  const stateElems = cell + H;
  return recurrentCost(dims, ctx, {
    params, flops, stateElems,
    formula: [
      `params = 2·d·qk (q, k) + 2·d·v (v, o-gate) + 2·(d·H + H) (gates) + v (norm) + v·d (out_proj)${biases ? ' + biases' : ''} = ${params} (qk = ${qk}, v = ${v}, H = ${H})`,
      `FLOPs/token = 2·matmul + 6·H·(dk·dv + dk) (decay, update, read-out of C and n) = ${flops}, constant in L`,
      `state = H·(dk·dv + dk + 1) (C, n, m) = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
    ],
  });
}

export const mlstm: BlockKind = {
  name: 'mlstm',
  summary: 'xLSTM mLSTM layer (Beck et al. 2024): up-projection, conv, matrix-memory LSTM with exponential gating, gated down-projection.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    if (a.variant === 'large') {
      const qk = Math.floor(d * (typeof a.qk_dim_factor === 'number' ? a.qk_dim_factor : 0.5)), v = Math.floor(d * (typeof a.v_dim_factor === 'number' ? a.v_dim_factor : 1));
      a.heads = divisorAtMost(gcd(qk, v), down(arg(a, 'heads') || 4, w));
      return;
    }
    const r = arg(a, 'round_to') || 64;
    const di = Math.ceil(((typeof a.proj_factor === 'number' ? a.proj_factor : 2) * d) / r) * r;
    a.heads = divisorAtMost(di, down(arg(a, 'heads') || 4, w));
    a.qkv_blocksize = divisorAtMost(di, arg(a, 'qkv_blocksize') || 4);
  },
  params: [
    { name: 'heads', type: 'int', default: 4, min: 1, doc: 'Heads H, each with a dh×dh matrix memory C, dh = di/H (reference default 4).' },
    { name: 'proj_factor', type: 'number', default: 2, min: 0, doc: 'Inner width di = proj_factor·d_model, rounded up to round_to (reference 2).' },
    { name: 'round_to', type: 'int', default: 64, min: 1, doc: 'The inner width is rounded up to a multiple of this (reference 64).' },
    { name: 'qkv_blocksize', type: 'int', default: 4, min: 1, doc: 'Block size of the headwise q, k, v projections (di/bs blocks of bs×bs; reference 4).' },
    { name: 'd_conv', type: 'int', default: 4, min: 1, doc: 'Causal depthwise conv1d kernel on the q/k branch, with bias (reference 4).' },
    { name: 'bias', type: 'bool', default: false, doc: 'Biases on proj_up, q, k, v and proj_down (reference default false); large: on q, k, v, o-gate, out_proj and the norm.' },
    { name: 'variant', type: 'enum', default: 'block', values: ['block', 'large'], doc: 'block: the xLSTM paper layer (up-projection, conv, skip); large: the xLSTM-7B layer (no up-projection, separate FFN, soft-capped gates).' },
    { name: 'qk_dim_factor', type: 'number', default: 0.5, min: 0, doc: 'variant: large: q/k width = qk_dim_factor·d_model (xLSTM-7B: 0.5).' },
    { name: 'v_dim_factor', type: 'number', default: 1, min: 0, doc: 'variant: large: value and output-gate width = v_dim_factor·d_model (xLSTM-7B: 1).' },
    { name: 'gate_soft_cap', type: 'number', default: 15, min: 0, doc: 'variant: large: input/forget gate pre-activations soft-capped to cap·tanh(x/cap) (xLSTM-7B: 15); 0 = none.' },
  ],
  validate: (args, dims) => (args.variant === 'large' ? largeValidate(args, dims) : mlstmValidate(args, dims)),
  cost(args, dims, ctx) {
    if (args.variant === 'large') return largeCost(args, dims, ctx);
    const { d, di, H, dh, bs, k } = mlstmShape(args, dims);
    const matmul = 2 * d * di + 3 * di * bs + 2 * 3 * di * H + di * d;
    const biases = bool(args, 'bias') ? 2 * di + 3 * di + d : 0;
    const params = matmul + biases + 2 * H + di * k + di /* conv */ + di /* outnorm */ + di /* skip */;
    const cell = H * dh * dh + H * dh;
    const flops = 2 * matmul + 2 * di * k + 6 * cell;
    const stateElems = di * (k - 1) + cell + H;
    return recurrentCost(dims, ctx, {
      params, flops, stateElems,
      formula: [
        `params = 2·d·di (proj_up) + 3·di·bs (q, k, v) + 2·(3·di·H + H) (gates) + di·k + di (conv) + 2·di (norm, skip) + di·d (proj_down)` +
          `${biases ? ' + biases' : ''} = ${params} (di = ${di}, H = ${H}, bs = ${bs})`,
        `FLOPs/token = 2·matmul + 2·di·k + 6·H·(dh² + dh) (decay, update, read-out of C and n) = ${flops}, constant in L`,
        `state = di·(k−1) (conv) + H·(dh² + dh + 1) (C, n, m) = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};

export const slstm: BlockKind = {
  name: 'slstm',
  summary: 'xLSTM sLSTM layer (Beck et al. 2024): scalar-memory LSTM with exponential gating and block-diagonal recurrence.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => { a.heads = divisorAtMost(d, down(arg(a, 'heads') || 4, w)); },
  params: [
    { name: 'heads', type: 'int', default: 4, min: 1, doc: 'Heads H: the gate projections and the recurrent kernel are block-diagonal with H blocks (reference 4).' },
    { name: 'd_conv', type: 'int', default: 4, min: 1, doc: 'Causal depthwise conv1d kernel feeding the input and forget gates, with bias (reference 4).' },
  ],
  validate(args, dims) {
    const d = dModel(dims), H = num(args, 'heads');
    return H > 0 && d % H !== 0 ? [{ arg: 'heads', message: `heads (${H}) must divide d_model (${d})` }] : [];
  },
  cost(args, dims, ctx) {
    const d = dModel(dims), H = num(args, 'heads'), k = num(args, 'd_conv');
    const matmul = 8 * d * (d / H);
    const params = matmul + 4 * d /* bias */ + d * k + d /* conv */ + d /* group norm */;
    const flops = 2 * matmul + 2 * d * k;
    const stateElems = d * (k - 1) + 4 * d;
    return recurrentCost(dims, ctx, {
      params, flops, stateElems,
      formula: [
        `params = 4·d²/H (i, f, z, o headwise) + 4·d²/H (recurrent R) + 4d (bias) + d·k + d (conv) + d (norm) = ${params} (H = ${H})`,
        `FLOPs/token = 2·8·d²/H + 2·d·k = ${flops}, constant in L (gating elementwise)`,
        `state = d·(k−1) (conv) + 4d (h, c, n, m) = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};
