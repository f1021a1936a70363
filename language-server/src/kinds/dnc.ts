/**
 * Differentiable Neural Computer, Graves et al. 2016, "Hybrid computing using a neural network with dynamic external
 * memory" (Nature 538, 471–476; Methods), as a sequence mixer d_model → d_model with one write head (the paper's;
 * deepmind/dnc's num_write_heads default 1). Parameters as deepmind/dnc (dnc/dnc.py `DNC`, dnc/access.py
 * `MemoryAccess._read_inputs`):
 *   controller `lstm`: Sonnet snt.LSTM over u = [x_t, r_{t−1}^1..R] (in = d + R·W): w_gates (u + H)×4H and one
 *     bias b_gates 4H, zero initial state; `mlp`: one tanh layer H·u + H, no state (our option, not the reference's);
 *   interface: one snt.Linear with bias per field, R·W + 3W + 5R + 3 outputs in all (Methods "Interface parameters":
 *     read keys R·W, read strengths R, write key W, write strength 1, erase W, write vector W, free gates R,
 *     allocation gate 1, write gate 1, read modes 3R);
 *   output: `output_linear` over [h, r_t^1..R] → d with bias.
 * Check: deepmind/dnc train.py defaults (hidden 64, memory 16 × 16, 4 read heads, 1 write head; repeat_copy with
 *   num_bits 4: 6 in, 5 out): LSTM 134·256 + 256 = 34,560, interface 65·135 = 8,775, output 129·5 = 645: 43,980.
 * Per token (Methods): usage u = (u + w^w − u⊙w^w)⊙Π_i(1 − f_i·w^{r,i}); allocation a[φ_j] = (1 − u[φ_j])·Π_{k<j} u[φ_k]
 * over the usage sorted ascending (the sort, N·log N comparisons, counted as 0 FLOPs: no multiply-add); write
 * weights w^w = g^w·(g^a·a + (1 − g^a)·c^w); M ← M ⊙ (1 − w^w eᵀ) + w^w vᵀ (3·N·W MACs); link
 * L[i,j] ← (1 − w^w_i − w^w_j)·L[i,j] + w^w_i·p_j (2·N² MACs), p ← (1 − Σw^w)·p + w^w; forward and backward weights
 * L·w^r, Lᵀ·w^r (2·R·N²); content weights softmax(β·cos) for the write key on the old memory and the R read keys on
 * the new one ((R + 1)·N·W); read weights π_b·b + π_c·c + π_f·f; reads r = w^r·M (R·N·W). Elementwise products,
 * norms and softmaxes are not counted (formulas.ts). State: memory N·W, link N², precedence, usage and write weights
 * 3N, read weights R·N, reads R·W, the LSTM's h, c (2H): constant in L.
 */
import type { Args, BlockKind, Dims } from './types';
import { byteWidths, dModel, num, recurrentCost, str } from './formulas';
import { arg, down } from './probeScale';
import { controllerCount, type Controller } from './ntm';

export interface DncShape { readonly ctrl: Controller; readonly N: number; readonly W: number; readonly R: number }

export function dncShape(args: Args, dims: Dims): DncShape {
  const kind = str(args, 'controller') === 'mlp' ? 'mlp' : 'lstm';
  return {
    ctrl: { kind, H: num(args, 'hidden') || dModel(dims), biases: 1, learnedInit: false },
    N: num(args, 'slots'), W: num(args, 'width'), R: num(args, 'read_heads'),
  };
}

/** Interface vector width (Methods): R·W + 3W + 5R + 3. */
export const dncInterface = (s: DncShape): number => s.R * s.W + 3 * s.W + 5 * s.R + 3;

/** Parameters, MACs per token and state elements for an input dIn and output dOut. */
export function dncCount(s: DncShape, dIn: number, dOut: number) {
  const { N, W, R } = s, H = s.ctrl.H;
  const ctrl = controllerCount(s.ctrl, dIn + R * W);
  const I = dncInterface(s);
  const iface = H * I + I, out = (H + R * W) * dOut + dOut;
  const memMacs = (R + 1) * N * W + 3 * N * W + 2 * N * N + 2 * R * N * N + R * N * W;
  return {
    ctrl, I, iface, out, memMacs,
    params: ctrl.params + iface + out,
    macs: ctrl.macs + H * I + (H + R * W) * dOut + memMacs,
    state: N * W + N * N + 3 * N + R * N + R * W + ctrl.state,
  };
}

export const dnc: BlockKind = {
  name: 'dnc',
  summary: 'Differentiable Neural Computer (Graves et al. 2016): content, allocation and temporal-link addressing of an N×W memory.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w) => {
    if (arg(a, 'hidden') > 0) a.hidden = down(arg(a, 'hidden'), w);
    a.width = down(arg(a, 'width') || 20, w);
    a.slots = down(arg(a, 'slots') || 128, w);
  },
  params: [
    { name: 'controller', type: 'enum', values: ['lstm', 'mlp'], default: 'lstm', doc: 'Controller: `lstm` (Sonnet snt.LSTM, one bias; deepmind/dnc) or `mlp` (one tanh layer, no state).' },
    { name: 'hidden', type: 'int', min: 1, doc: 'Controller width H (deepmind/dnc hidden_size; default d_model).' },
    { name: 'slots', type: 'int', default: 128, min: 1, doc: 'Memory locations N (deepmind/dnc MemoryAccess memory_size 128).' },
    { name: 'width', type: 'int', default: 20, min: 1, doc: 'Memory word width W (MemoryAccess word_size 20).' },
    { name: 'read_heads', type: 'int', default: 1, min: 1, doc: 'Read heads R, each with backward, content and forward read modes (MemoryAccess num_reads 1).' },
  ],
  cost(args, dims, ctx) {
    const s = dncShape(args, dims), d = dModel(dims);
    const c = dncCount(s, d, d);
    const { N, W, R } = s, H = s.ctrl.H;
    const ctrlLine = s.ctrl.kind === 'lstm' ? '4H·(d + R·W + H) + 4H (snt.LSTM)' : 'H·(d + R·W) + H (mlp)';
    return recurrentCost(dims, ctx, {
      params: c.params, flops: 2 * c.macs, stateElems: c.state,
      formula: [
        `params = ${ctrlLine} + (H + 1)·(R·W + 3W + 5R + 3) (interface ${c.I}) + (H + R·W + 1)·d (output) = ${c.params} (H = ${H}, N = ${N}, W = ${W}, R = ${R})`,
        `FLOPs/token = 2·(controller ${c.ctrl.macs} + H·${c.I} + (H + R·W)·d + (R + 1)·N·W (content) + 3·N·W (erase, write) + 2N² (link) + 2R·N² (forward, backward) + R·N·W (read)) = ${2 * c.macs}, constant in L; the allocation sort (N·log N comparisons) counted as 0`,
        `state = N·W + N² (link) + 3N (precedence, usage, write weights) + R·N + R·W${c.ctrl.state ? ' + 2H' : ''} = ${c.state} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};
