/**
 * Neural Turing Machine, Graves, Wayne & Danihelka 2014, "Neural Turing Machines" (arXiv 1410.5401), as a sequence
 * mixer d_model → d_model. Parameters as loudinthecloud/pytorch-ntm (ntm/aio.py `EncapsulatedNTM`, ntm/ntm.py,
 * ntm/controller.py, ntm/head.py):
 *   controller `lstm`: nn.LSTM over u = [x_t, r_{t−1}^1..R] (in = d + R·M): 4H·(u + H) + 8H, plus the learned initial
 *     state lstm_h_bias, lstm_c_bias (2H); `mlp`: one hidden layer H·u + H, tanh (our choice: the paper leaves the
 *     feedforward controller's nonlinearity open), no state;
 *   heads: one Linear(H → P) with bias per head, read P = M + 1 + 1 + S + 1 (k, β, g, s, γ; §3.3), write adds the
 *     erase and add vectors (+2M; §3.2): P = R·(M + 3 + S) + W·(3M + 3 + S) in all;
 *   output: Linear([h, r_t^1..R] → d) with bias (ntm.py `fc`; its sigmoid is the copy task's, not the mixer's).
 * Check: pytorch-ntm copy task (tasks/copytask.py: 9 in, 8 out, H 100, N 128, M 20, 1 read + 1 write head, S 3):
 *   52,400 + 200 + 2,626 + 6,666 + 968 = 62,860.
 * Per token (§3): content weights w^c = softmax(β·cos(k, M_i)) (N·M MACs per head for k·M_i; norms not counted),
 * interpolation w^g = g·w^c + (1 − g)·w_{t−1}, circular shift w̃(i) = Σ_o s(o)·w^g(i − o) (N·S MACs per head),
 * sharpening w ∝ w̃^γ; read r = wᵀM (N·M); write M ← M ⊙ (1 − w eᵀ) + w aᵀ (3·N·M: two outer products and the
 * product with M). Reads use the memory before this step's writes (pytorch-ntm's read-then-write head order);
 * write heads apply one after another. State: memory N·M, read and write weights (R + W)·N, the previous reads R·M,
 * and the LSTM's h, c (2H).
 */
import type { ArgIssue, Args, BlockKind, Dims } from './types';
import { byteWidths, dModel, num, recurrentCost, str } from './formulas';
import { arg, down } from './probeScale';

/** A memory network's controller: `lstm` with PyTorch's two biases (`torch`) or Sonnet's one (`sonnet`), or `mlp`. */
export interface Controller { readonly kind: 'lstm' | 'mlp'; readonly H: number; readonly biases: 1 | 2; readonly learnedInit: boolean }

/** Controller parameters, MACs and state elements for an input of width u. */
export function controllerCount(c: Controller, u: number): { params: number; macs: number; state: number } {
  if (c.kind === 'mlp') return { params: c.H * u + c.H, macs: c.H * u, state: 0 };
  const macs = 4 * c.H * (u + c.H);
  return { params: macs + c.biases * 4 * c.H + (c.learnedInit ? 2 * c.H : 0), macs, state: 2 * c.H };
}

export interface NtmShape { readonly ctrl: Controller; readonly N: number; readonly M: number; readonly R: number; readonly W: number; readonly S: number }

export function ntmShape(args: Args, dims: Dims): NtmShape {
  const kind = str(args, 'controller') === 'mlp' ? 'mlp' : 'lstm';
  const H = num(args, 'hidden') || dModel(dims);
  return {
    ctrl: { kind, H, biases: 2, learnedInit: kind === 'lstm' },
    N: num(args, 'slots'), M: num(args, 'width'), R: num(args, 'read_heads'), W: num(args, 'write_heads'), S: num(args, 'shift'),
  };
}

/** Interface width P: read heads M + 3 + S each, write heads 3M + 3 + S each. */
export const ntmInterface = (s: NtmShape): number => s.R * (s.M + 3 + s.S) + s.W * (3 * s.M + 3 + s.S);

/** Parameters, MACs per token (controller, heads, output, memory) and state elements for an input dIn and output dOut. */
export function ntmCount(s: NtmShape, dIn: number, dOut: number) {
  const { N, M, R, W, S } = s, H = s.ctrl.H;
  const ctrl = controllerCount(s.ctrl, dIn + R * M);
  const P = ntmInterface(s);
  const heads = H * P + P, out = (H + R * M) * dOut + dOut;
  const memMacs = (R + W) * (N * M + N * S) + R * N * M + 3 * W * N * M;
  return {
    ctrl, P, heads, out, memMacs,
    params: ctrl.params + heads + out,
    macs: ctrl.macs + H * P + (H + R * M) * dOut + memMacs,
    state: N * M + (R + W) * N + R * M + ctrl.state,
  };
}

function validate(args: Args, dims: Dims): ArgIssue[] {
  const { N, S } = ntmShape(args, dims);
  const issues: ArgIssue[] = [];
  if (S % 2 === 0) issues.push({ arg: 'shift', message: `shift (${S}) must be odd: offsets −(S−1)/2 … (S−1)/2` });
  if (S > N) issues.push({ arg: 'shift', message: `shift (${S}) must not exceed slots (${N})` });
  return issues;
}

export const ntm: BlockKind = {
  name: 'ntm',
  summary: 'Neural Turing Machine (Graves et al. 2014): controller, content + location addressing, erase/add writes to an N×M memory.',
  needs: ['d_model'],
  context: 'recurrent',
  decodeState: 'state',
  tpAllReduces: 1,
  role: 'mixer',
  probe: (a, w) => {
    if (arg(a, 'hidden') > 0) a.hidden = down(arg(a, 'hidden'), w);
    a.width = down(arg(a, 'width') || 20, w);
    a.slots = Math.max(arg(a, 'shift') || 3, down(arg(a, 'slots') || 128, w));
  },
  params: [
    { name: 'controller', type: 'enum', values: ['lstm', 'mlp'], default: 'lstm', doc: 'Controller: `lstm` (nn.LSTM with a learned initial h, c; pytorch-ntm) or `mlp` (one tanh layer, no state).' },
    { name: 'hidden', type: 'int', min: 1, doc: 'Controller width H (pytorch-ntm controller_size; default d_model).' },
    { name: 'slots', type: 'int', default: 128, min: 1, doc: 'Memory locations N (pytorch-ntm memory_n 128).' },
    { name: 'width', type: 'int', default: 20, min: 1, doc: 'Memory word width M (pytorch-ntm memory_m 20).' },
    { name: 'read_heads', type: 'int', default: 1, min: 1, doc: 'Read heads R; their reads feed the controller at the next step and the output.' },
    { name: 'write_heads', type: 'int', default: 1, min: 1, doc: 'Write heads W, each with erase and add vectors of width M.' },
    { name: 'shift', type: 'int', default: 3, min: 1, doc: 'Shift offsets S of the location addressing (odd: −(S−1)/2 … (S−1)/2; paper and pytorch-ntm 3).' },
  ],
  validate,
  cost(args, dims, ctx) {
    const s = ntmShape(args, dims), d = dModel(dims);
    const c = ntmCount(s, d, d);
    const { N, M, R, W, S } = s, H = s.ctrl.H;
    const ctrlLine = s.ctrl.kind === 'lstm'
      ? `4H·(d + R·M + H) + 8H + 2H (nn.LSTM, learned h₀, c₀)` : `H·(d + R·M) + H (mlp)`;
    return recurrentCost(dims, ctx, {
      params: c.params, flops: 2 * c.macs, stateElems: c.state,
      formula: [
        `params = ${ctrlLine} + (H + 1)·P (heads) + (H + R·M + 1)·d (output) = ${c.params} (H = ${H}, N = ${N}, M = ${M}, R = ${R}, W = ${W}, S = ${S})`,
        `P = R·(M + 3 + S) + W·(3M + 3 + S) = ${c.P} (k, β, g, s, γ per head; erase e and add a per write head)`,
        `FLOPs/token = 2·(controller ${c.ctrl.macs} + H·P + (H + R·M)·d + (R + W)·(N·M + N·S) (content, shift) + R·N·M (read) + 3·W·N·M (erase, add)) = ${2 * c.macs}, constant in L`,
        `state = N·M + (R + W)·N + R·M${c.ctrl.state ? ' + 2H' : ''} = ${c.state} elements × ${byteWidths(dims).state} B (state_dtype)`,
      ],
    });
  },
};
