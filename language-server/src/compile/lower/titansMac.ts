/**
 * Titans MAC, memory as context (Behrouz et al. 2024, arXiv 2501.00663 §4.1, Eqs. 21–25; costs in
 * kinds/titansVariants.ts). The sequence is cut into segments of C = `segment` tokens (the last one may be
 * shorter), lowered one after another, the memory state carried between them:
 *   h = M_{s−1}(q) for the segment's tokens (q = l2(conv(W_Q x)), a read with the memory before the segment);
 *   y = W_O^a · Attn over [P; h; the segment, causal] with its own W_Q^a, W_K^a, W_V^a of x; the N_p persistent
 *     tokens P and the retrieved h enter as keys and values directly (the engine's 4·d² attention projections);
 *   the memory is trained on y (k = l2(conv(W_K y)), v = conv(W_V y); S ← η·S − θ·∇, M ← (1 − α)·M + S) and read
 *     with l2(y) after each token's update: o = y ⊗ σ(M_t(y)), then W_O.
 * Per token: two reads and one update of the memory (12·P_mem FLOPs), 4·d² + 15·d memory-side and 4·d²
 * attention-side projection MACs, 2·d MACs per visible key (N_p + n + position in segment; `#mask` tags).
 * The causal convs on W_K y and W_V y continue across segments. As costed (every query sees all C retrieved
 * tokens of its segment, Eq. 21's h = M*(q) of the whole segment), a query also sees retrieval of later tokens in
 * its segment, which a one-token decode step cannot reproduce; there is no decode step (the segment K/V and the
 * segment-start memory would be its state): titans(variant: mac) is listed by decodeUnsupported.
 */
import { num } from '../../kinds/formulas';
import type { BlockInstance } from '../../semantic/instances';
import type { GraphBuilder, Tensor } from '../graph';
import { add, causalConv, concat, expand, linear, matmul, mul, slice, softmax, transpose, unary, unsqueeze } from './ops';
import { dModelOf, type Ctx } from './context';
import { checkElements } from '../limits';
import { zeros } from './scan';
import { l2, memoryGates, memoryInit, memoryScan, memoryWidths, readMemory } from './titansMemory';

const KERNEL = 4;

/** Additive mask [n, N_p + 2n]: persistent and retrieved keys visible to every query, the segment's own keys causal. */
function segmentMask(g: GraphBuilder, Np: number, n: number): Tensor {
  const S = Np + 2 * n;
  checkElements(n * S, `the MAC attention mask [${n}, ${S}]`);
  const m = new Float32Array(n * S);
  for (let t = 0; t < n; t++) for (let s = Np + n; s < S; s++) if (s - Np - n > t) m[t * S + s] = -1e9;
  return g.constF(m, [n, S], `mask_mac_${Np}_${n}`);
}

/** A causal depthwise conv with weight w over one segment, continuing from the last k − 1 inputs before it (zeros first). */
function convPiece(g: GraphBuilder, x: Tensor, w: Tensor, history: Tensor): { y: Tensor; history: Tensor } {
  const full = concat(g, [history, x], 1);
  const n = full.shape[1];
  return { y: causalConv(g, full, KERNEL, '', { weight: w, prepadded: true }), history: slice(g, full, 1, n - KERNEL + 1, n) };
}

interface MacWeights { Wk: Tensor; Wv: Tensor; kConv: Tensor; vConv: Tensor; WoA: Tensor; P?: Tensor }

/** Attention of one segment over [P; h; segment]: q, k, v [B, n, d] of the segment, h [B, n, d] → [B, n, d]. */
function segmentAttend(c: Ctx, q: Tensor, k: Tensor, v: Tensor, h: Tensor, w: MacWeights): Tensor {
  const { g, B } = c;
  const [, n, d] = q.shape;
  const Np = w.P ? w.P.shape[0] : 0;
  const P = w.P ? [expand(g, unsqueeze(g, w.P, 0), [B, Np, d])] : [];
  const keys = concat(g, [...P, h, k], 1);
  const vals = concat(g, [...P, h, v], 1);
  const mask = segmentMask(g, Np, n);
  const tag = `#mask=${mask.name}`;
  const s = add(g, mul(g, matmul(g, q, transpose(g, keys, [0, 2, 1]), tag), g.scalar(1 / Math.sqrt(d))), mask);
  return matmul(g, matmul(g, softmax(g, s), vals, tag), w.WoA);
}

export function lowerMac(c: Ctx, blk: BlockInstance): Tensor {
  const { g, T } = c;
  const d = dModelOf(blk);
  const Np = num(blk.args, 'persistent');
  const C = num(blk.args, 'segment') || 512;
  const x = c.h ?? c.x;
  const q = l2(g, causalConv(g, linear(g, x, d, 'wq'), KERNEL, 'q_conv'));
  const param = (name: string, shape: number[], fan: number): Tensor => g.param(name, shape, { normal: 1 / Math.sqrt(fan) });
  const w: MacWeights = {
    Wk: param('wk', [d, d], d), kConv: param('k_conv', [d, 1, KERNEL], KERNEL),
    Wv: param('wv', [d, d], d), vConv: param('v_conv', [d, 1, KERNEL], KERNEL),
    WoA: param('attn_wo', [d, d], d), P: Np > 0 ? g.param('persistent', [Np, d], { normal: 0.1 }) : undefined,
  };
  const gates = memoryGates(c, x);
  let m = memoryInit(c, undefined, memoryWidths(d, num(blk.args, 'memory_depth'), num(blk.args, 'memory_width') || d));
  const qa = linear(g, x, d, 'attn_wq'), ka = linear(g, x, d, 'attn_wk'), va = linear(g, x, d, 'attn_wv');
  const outs: Tensor[] = [];
  let kHist = zeros(g, [c.B, KERNEL - 1, d]), vHist = kHist;
  for (let s0 = 0; s0 < T; s0 += C) {
    const seg = (t: Tensor): Tensor => slice(g, t, 1, s0, Math.min(T, s0 + C));
    const h = readMemory(g, m.Ms, seg(q));
    const y = segmentAttend(c, seg(qa), seg(ka), seg(va), h, w);
    const kc = convPiece(g, matmul(g, y, w.Wk), w.kConv, kHist);
    const vc = convPiece(g, matmul(g, y, w.Wv), w.vConv, vHist);
    kHist = kc.history; vHist = vc.history;
    const r = memoryScan(g, m, [l2(g, y), l2(g, kc.y), vc.y, ...gates.map(seg)]);
    m = r;
    outs.push(mul(g, y, unary(g, 'Sigmoid', r.y)));
  }
  return linear(g, outs.length > 1 ? concat(g, outs, 1) : outs[0], c.d, 'wo');
}
