/**
 * adaLN-Zero conditioning (Peebles & Xie 2023, "Scalable Diffusion Models with Transformers", arXiv 2212.09748;
 * facebookresearch/DiT `models.py` DiTBlock / FinalLayer): a LayerNorm without affine parameters whose output
 * is modulated, x̂·(1 + scale) + shift, by chunks of SiLU → Linear(cond_dim → chunks·d) applied to the image's
 * conditioning vector c (timestep + class embedding). That MLP runs ONCE PER IMAGE (sequence), not per token:
 * its FLOPs are 2·cond_dim·chunks·d per sequence, averaged over the L tokens of the prefill. `chunks: 0` is a
 * norm modulated by an earlier adaln's chunks (DiT's norm2 uses the block's one adaLN MLP).
 */
import type { BlockKind } from './types';
import { bool, denseCost, dModel, num } from './formulas';
import { arg } from './probeScale';

export const adaln: BlockKind = {
  name: 'adaln',
  summary: 'adaLN-Zero: LayerNorm without affine, modulated by a per-image conditioning MLP (DiT); its FLOPs are per image, not per token.',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 0,
  role: 'other',
  probe: (a, w) => { if (arg(a, 'cond_dim') > 0) a.cond_dim = Math.max(1, Math.round(arg(a, 'cond_dim') / w)); },
  params: [
    { name: 'chunks', type: 'int', default: 6, min: 0, doc: 'Modulation vectors produced (DiT block: 6 = shift, scale, gate × 2; final layer: 2); 0 = use an earlier adaln\'s.' },
    { name: 'cond_dim', type: 'int', min: 1, doc: 'Width of the conditioning vector c (default: d_model).' },
    { name: 'bias', type: 'bool', default: true, doc: 'Bias of the modulation Linear.' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const k = num(args, 'chunks');
    const cd = num(args, 'cond_dim') || d;
    const params = cd * k * d + (bool(args, 'bias') ? k * d : 0);
    const perImage = 2 * cd * k * d;
    const L = Math.max(1, ctx.seq);
    return denseCost(dims, ctx, {
      params, prefillFlops: perImage / L, decodeFlops: 0,
      formula: [
        `params = cond_dim·chunks·d${bool(args, 'bias') ? ' + chunks·d' : ''} = ${cd}·${k}·${d}${bool(args, 'bias') ? ` + ${k * d}` : ''} = ${params}`,
        `FLOPs = 2·cond_dim·chunks·d = ${perImage} once per image: ${perImage}/L per token; norm and modulation elementwise, not counted`,
        'decode: the modulation is computed once per sequence (no per-token FLOPs)',
      ],
    });
  },
};
