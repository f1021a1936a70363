/**
 * `rg_lru`: the Griffin / Hawk recurrent block around the Real-Gated Linear Recurrent Unit, De et al. 2024,
 * "Griffin: Mixing Gated Linear Recurrences with Local Attention for Efficient Language Models" (arXiv
 * 2402.19427, §2.4), parameters as HF transformers `RecurrentGemmaRecurrentBlock` + `RecurrentGemmaRglru`
 * (google-deepmind/recurrentgemma): linear_y and linear_x d×w with bias, a causal depthwise conv1d of width
 * d_conv with bias over the x branch, the RG-LRU (input gate and recurrence gate, each block-diagonal with H
 * blocks of (w/H)² plus a bias, and `recurrent_param` Λ, w), linear_out w×d with bias.
 * Check: RecurrentGemma-2B block (d = w = 2560, H = 10, d_conv 4) 20,999,680.
 * Per channel: a_t = exp(−8·r_t·softplus(Λ)), h_t = a_t ⊙ h_{t−1} + √(1 − a_t²) ⊙ (i_t ⊙ x_t); output
 * linear_out(h ⊙ gelu(linear_y(x))). State MACs: 1 per state element (the decay a ⊙ h), as the other
 * recurrent kinds count their products with the state; gates and the normaliser are elementwise.
 */
import type { ArgIssue, Args, BlockKind, Dims } from './types';
import { byteWidths, dModel, num, recurrentCost } from './formulas';
import { arg, divisorAtMost, down, scaleArgs } from './probeScale';

function widthOf(args: Args, dims: Dims): number {
  return num(args, 'width') || dModel(dims);
}

export const rgLru: BlockKind = {
  name: 'rg_lru',
  summary: 'Griffin / RecurrentGemma recurrent block: gated branch × (conv1d → RG-LRU diagonal gated recurrence).',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w, d) => {
    scaleArgs(a, w, 'width');
    a.heads = divisorAtMost(arg(a, 'width') || d, down(arg(a, 'heads'), w));
  },
  params: [
    { name: 'heads', type: 'int', required: true, min: 1, doc: 'Blocks H of the block-diagonal input and recurrence gates (HF num_attention_heads).' },
    { name: 'width', type: 'int', min: 1, doc: 'Recurrence width w (HF lru_width; default: d_model).' },
    { name: 'd_conv', type: 'int', default: 4, min: 1, doc: 'Causal depthwise conv1d width, with bias (Griffin temporal width 4).' },
  ],
  validate(args, dims) {
    const issues: ArgIssue[] = [];
    const H = num(args, 'heads');
    const w = widthOf(args, dims);
    if (H > 0 && w % H !== 0) issues.push({ arg: 'heads', message: `heads (${H}) must divide the recurrence width (${w})` });
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const w = widthOf(args, dims);
    const H = num(args, 'heads');
    const k = num(args, 'd_conv');
    const bw = w / H;
    const matmul = 3 * d * w + 2 * w * bw;
    const params = matmul + 2 * w + d /* linear biases */ + w * k + w /* conv */ + 2 * w /* gate biases */ + w /* Λ */;
    const flops = 2 * matmul + 2 * w * k + 2 * w;
    const stateElems = w * (k - 1) + w;
    return recurrentCost(dims, ctx, {
      params, flops, stateElems,
      formula: [
        `params = 3·d·w + 2w + d (linear_x, linear_y, linear_out with biases) + w·d_conv + w (conv1d) + 2·(w·w/H + w) (gates) + w (Λ) = ${params}` +
          ` (w = ${w}, H = ${H})`,
        `FLOPs/token = 2·(3·d·w + 2·w²/H) + 2·w·d_conv + 2·w (decay a⊙h: 1 MAC per state element) = ${flops}, constant in L`,
        `state = w·(d_conv−1) + w = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};
