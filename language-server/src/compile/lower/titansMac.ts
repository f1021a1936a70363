/**
 * Titans MAC, memory as context (Behrouz et al. 2024, arXiv 2501.00663 §4.1, Eqs. 21–25; costs in
 * kinds/titansVariants.ts). The sequence is cut into segments of C = `segment` tokens (the last one may be
 * shorter), lowered one after another, the memory state carried between them:
 *   h_i = M_{s−1}(q_i) for the segment's tokens (q = l2(conv(W_Q x)), a read with the memory before the segment);
 *   y = W_O^a · Attn over [P; h; the segment] with its own W_Q^a, W_K^a, W_V^a of x; the N_p persistent tokens P
 *     and the retrieved h enter as keys and values directly (the engine's 4·d² attention projections);
 *   the memory is trained on y (k = l2(conv(W_K y)), v = conv(W_V y); S ← η·S − θ·∇, M ← (1 − α)·M + S) and read
 *     with l2(y) after each token's update: o = y ⊗ σ(M_t(y)), then W_O.
 * Mask: the paper (§4.1: h = M*_{t−1}(q) for the segment, S̃ = [P ‖ h ‖ S], y = Attn(S̃), M_t = M_{t−1}(y)) retrieves
 * h for the whole segment, and its MAC figure (Fig. 3, as we read it; the stored sources here do not carry the
 * figure's text, so this is not re-checked) draws the persistent and retrieved tokens as a prefix every query sees,
 * with a causal mask over the segment only. A query would then see retrieval from later tokens of its segment,
 * a leak for a causal language model that no one-token decode step can reproduce. Our decision: the retrieved part
 * is causal too; the query at position t of its segment sees P, h_1 … h_t and x_1 … x_t (N_p + 2·t keys, `#mask`
 * tags), h_t depending on x_t and the memory before the segment only.
 * Per token: two reads and one update of the memory (12·P_mem FLOPs), 4·d² + 15·d memory-side and 4·d²
 * attention-side projection MACs, 2·d MACs per visible key. The causal convs continue across segments.
 * Decode step (state names in docs/run-json.md): the running memory and momentum (`memory{l}`, `momentum{l}`),
 * the memory as of the open segment's start (`retrieval{l}`, h's memory), the open segment's rows so far
 * (`seg_h`, `seg_k`, `seg_v` [B, C, d]: h, W_K^a x, W_V^a x of its first p tokens, zeros after) and the conv
 * windows (`conv_q`, `conv_k`, `conv_v`). The position p = L mod C is fixed when the step is compiled (as the KV
 * cache length is). A step that closes a segment hands on its memory as the next segment's retrieval memory and
 * empty rows, exactly as a prefill ending there does.
 */
import { num } from '../../kinds/formulas';
import type { BlockInstance } from '../../semantic/instances';
import type { GraphBuilder, Tensor } from '../graph';
import { add, causalConv, concat, expand, linear, matmul, mul, slice, softmax, transpose, unary, unsqueeze } from './ops';
import { dModelOf, type Ctx } from './context';
import { checkElements } from '../limits';
import { zeros } from './scan';
import { convState, stateIn, stateOut, stateScope } from './state';
import { l2, memoryGates, memoryInit, memoryScan, memoryWidths, readMemory } from './titansMemory';
import { memoryRule } from '../../kinds/miras';

const KERNEL = 4;

/**
 * Additive mask [n, N_p + 2·(prev + n)] for the queries at positions prev … prev + n − 1 of a segment over
 * [P; h_0 … h_{prev+n−1}; x_0 … x_{prev+n−1}]: persistent keys visible to every query, h_j and x_j when j ≤ its position.
 */
function segmentMask(g: GraphBuilder, Np: number, prev: number, n: number): Tensor {
  const m = prev + n;
  const S = Np + 2 * m;
  checkElements(n * S, `the MAC attention mask [${n}, ${S}]`);
  const a = new Float32Array(n * S);
  for (let t = 0; t < n; t++) for (let j = prev + t + 1; j < m; j++) a[t * S + Np + j] = a[t * S + Np + m + j] = -1e9;
  return g.constF(a, [n, S], `mask_mac_${Np}_${prev}_${n}`);
}

/** A causal depthwise conv with weight w over one segment, continuing from the last k − 1 inputs before it (zeros first). */
function convPiece(g: GraphBuilder, x: Tensor, w: Tensor, history: Tensor): { y: Tensor; history: Tensor } {
  const full = concat(g, [history, x], 1);
  const n = full.shape[1];
  return { y: causalConv(g, full, KERNEL, '', { weight: w, prepadded: true }), history: slice(g, full, 1, n - KERNEL + 1, n) };
}

interface MacWeights { Wk: Tensor; Wv: Tensor; kConv: Tensor; vConv: Tensor; WoA: Tensor; P?: Tensor }
/** Rows [B, p, d] of the open segment: its retrieved h and attention keys / values of x. */
interface Rows { h: Tensor; k: Tensor; v: Tensor }

function macWeights(g: GraphBuilder, d: number, Np: number): MacWeights {
  const param = (name: string, shape: number[], fan: number): Tensor => g.param(name, shape, { normal: 1 / Math.sqrt(fan) });
  return {
    Wk: param('wk', [d, d], d), kConv: param('k_conv', [d, 1, KERNEL], KERNEL),
    Wv: param('wv', [d, d], d), vConv: param('v_conv', [d, 1, KERNEL], KERNEL),
    WoA: param('attn_wo', [d, d], d), P: Np > 0 ? g.param('persistent', [Np, d], { normal: 0.1 }) : undefined,
  };
}

/** Attention of new segment rows (q, h, k, v [B, n, d]) over [P; earlier rows of the segment ⧺ these rows] → [B, n, d]. */
function segmentAttend(c: Ctx, q: Tensor, now: Rows, w: MacWeights, before?: Rows): Tensor {
  const { g, B } = c;
  const [, n, d] = q.shape;
  const Np = w.P ? w.P.shape[0] : 0;
  const P = w.P ? [expand(g, unsqueeze(g, w.P, 0), [B, Np, d])] : [];
  const rows = (r: keyof Rows): Tensor[] => (before ? [before[r], now[r]] : [now[r]]);
  const keys = concat(g, [...P, ...rows('h'), ...rows('k')], 1);
  const vals = concat(g, [...P, ...rows('h'), ...rows('v')], 1);
  const prev = before ? before.h.shape[1] : 0;
  const mask = n > 1 ? segmentMask(g, Np, prev, n) : undefined; // one query (the segment's last) sees every key
  const tag = mask ? `#mask=${mask.name}` : undefined;
  const s = mul(g, matmul(g, q, transpose(g, keys, [0, 2, 1]), tag), g.scalar(1 / Math.sqrt(d)));
  return matmul(g, matmul(g, softmax(g, mask ? add(g, s, mask) : s), vals, tag), w.WoA);
}

/** Decode: the open segment's first p rows and its retrieval memory from the state inputs (every input is declared). */
function openSegment(c: Ctx, scope: string | undefined, widths: number[], C: number, d: number): { ret?: Tensor[]; rows?: Rows } {
  if (!scope || !c.cache?.decode) return {};
  const { g, B } = c;
  const ret = widths.slice(1).map((o, l) => stateIn(c, scope, `retrieval${l}`, [B, widths[l], o]));
  const [h, k, v] = ['h', 'k', 'v'].map((r) => stateIn(c, scope, `seg_${r}`, [B, C, d]));
  const p = c.past % C;
  if (p === 0) return {};
  const first = (t: Tensor): Tensor => slice(g, t, 1, 0, p);
  return { ret, rows: { h: first(h), k: first(k), v: first(v) } };
}

/** The state after the last token: memory, momentum, conv windows on y, the open segment's retrieval memory and rows. */
interface MacState { Ms: Tensor[]; Ss: Tensor[]; kHist: Tensor; vHist: Tensor; ret: Tensor[]; rows?: Rows }

/** State outputs; the open segment's rows are padded to C with zeros (all zeros when it is empty). */
function stateOuts(c: Ctx, scope: string, st: MacState, C: number, d: number): void {
  const { rows } = st;
  st.Ms.forEach((M, l) => stateOut(c, scope, `memory${l}`, M));
  st.Ss.forEach((S, l) => stateOut(c, scope, `momentum${l}`, S));
  stateOut(c, scope, 'conv_k', st.kHist);
  stateOut(c, scope, 'conv_v', st.vHist);
  st.ret.forEach((M, l) => stateOut(c, scope, `retrieval${l}`, M));
  (['h', 'k', 'v'] as const).forEach((r) => {
    const p = rows ? rows[r].shape[1] : 0;
    const pad = zeros(c.g, [c.B, C - p, d]);
    stateOut(c, scope, `seg_${r}`, !rows ? pad : p < C ? concat(c.g, [rows[r], pad], 1) : rows[r]);
  });
}

export function lowerMac(c: Ctx, blk: BlockInstance): Tensor {
  const { g, T, B } = c;
  const d = dModelOf(blk);
  const C = num(blk.args, 'segment') || 512;
  const x = c.h ?? c.x;
  const scope = stateScope(c, 'titans');
  const q = l2(g, convState(c, scope, 'conv_q', linear(g, x, d, 'wq'), KERNEL, 'q_conv'));
  const w = macWeights(g, d, num(blk.args, 'persistent'));
  const rule = memoryRule(blk.args);
  const gates = memoryGates(c, x, rule);
  const widths = memoryWidths(d, num(blk.args, 'memory_depth'), num(blk.args, 'memory_width') || d);
  let m = memoryInit(c, scope, widths, rule);
  const qa = linear(g, x, d, 'attn_wq'), ka = linear(g, x, d, 'attn_wk'), va = linear(g, x, d, 'attn_wv');
  const hist = (name: string): Tensor => stateIn(c, scope, name, [B, KERNEL - 1, d]);
  let kHist = hist('conv_k'), vHist = hist('conv_v');
  const open = openSegment(c, scope, widths, C, d);
  let ret = open.ret && open.rows ? open.ret : m.Ms, rows = open.rows;
  const outs: Tensor[] = [];
  for (let s0 = 0; s0 < T;) {
    const prev = rows ? rows.h.shape[1] : 0;
    const n = Math.min(T - s0, C - prev);
    const seg = (t: Tensor): Tensor => slice(g, t, 1, s0, s0 + n);
    const now: Rows = { h: readMemory(g, ret, seg(q)), k: seg(ka), v: seg(va) };
    const y = segmentAttend(c, seg(qa), now, w, rows);
    const kc = convPiece(g, matmul(g, y, w.Wk), w.kConv, kHist);
    const vc = convPiece(g, matmul(g, y, w.Wv), w.vConv, vHist);
    kHist = kc.history; vHist = vc.history;
    const r = memoryScan(g, m, [l2(g, y), l2(g, kc.y), vc.y, ...gates.map(seg)], rule);
    m = r;
    outs.push(mul(g, y, unary(g, 'Sigmoid', r.y)));
    rows = rows ? { h: concat(g, [rows.h, now.h], 1), k: concat(g, [rows.k, now.k], 1), v: concat(g, [rows.v, now.v], 1) } : now;
    if (prev + n === C) { ret = m.Ms; rows = undefined; } // the segment closes: the next one retrieves with this memory
    s0 += n;
  }
  if (scope) stateOuts(c, scope, { Ms: m.Ms, Ss: m.Ss, kHist, vHist, ret, rows }, C, d);
  return linear(g, outs.length > 1 ? concat(g, outs, 1) : outs[0], c.d, 'wo');
}
