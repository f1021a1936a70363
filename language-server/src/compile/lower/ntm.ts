/**
 * Neural Turing Machine (kinds/ntm.ts; Graves et al. 2014 §3): an ONNX Scan over time with state controller h, c
 * (LSTM), the previous reads [B, R·M], memory [B, N, M], read weights [B, R, N] and write weights [B, W, N].
 * Per step: controller over [x_t, r_{t−1}], interface = h·W_heads + b, then the R read heads address the memory
 * before this step's writes (content, interpolation, circular shift, sharpening; §3.3) and read r = wM (§3.1);
 * the W write heads address and write one after another (erase, add; §3.2). Output Linear([h, r_t]) → d_model.
 */
import { ntmInterface, ntmShape } from '../../kinds/ntm';
import type { GraphBuilder, Tensor } from '../graph';
import { add, concat, div, linear, matmul, mul, reduceSum, reshape, slice, sub, unary, unsqueeze } from './ops';
import { type KindLowering } from './context';
import { scanTime } from './scan';
import { stateIn, stateScope } from './state';
import { contentWeights, controllerInit, controllerNames, controllerStep, controllerWeights, eraseAdd, fields, oneplus, outputStates, sigmoid, softplus } from './memoryNet';

type G = GraphBuilder;

/** Circular shift w̃(i) = Σ_o s(o)·w(i − o), o = −(S−1)/2 … (S−1)/2, for w [B, K, N] and s [B, K, S]: one MatMul (N·S MACs per head). */
export function shiftWeights(s: G, w: Tensor, sh: Tensor): Tensor {
  const [B, K, N] = w.shape, S = sh.shape[2];
  const rolled = Array.from({ length: S }, (_, j) => {
    const r = (((j - (S - 1) / 2) % N) + N) % N;
    const t = r === 0 ? w : concat(s, [slice(s, w, -1, N - r, N), slice(s, w, -1, 0, N - r)], -1);
    return unsqueeze(s, t, 2);
  });
  const out = matmul(s, reshape(s, sh, [B, K, 1, S]), concat(s, rolled, 2));
  return reshape(s, out, [B, K, N]);
}

interface HeadInputs { k: Tensor; beta: Tensor; g: Tensor; sh: Tensor; gamma: Tensor }

/** Reads k, β, g, s, γ of K heads (keys K·M first, then K of each scalar and K·S shifts) as [B, K, …]. */
function headInputs(s: G, take: (n: number) => Tensor, B: number, K: number, M: number, S: number): HeadInputs {
  const k = reshape(s, take(K * M), [B, K, M]);
  const col = (n: number): Tensor => reshape(s, take(K * n), [B, K, n]);
  const beta = softplus(s, col(1)), g = sigmoid(s, col(1));
  const sh = s.op('Softmax', [col(S)], [B, K, S], { axis: { int: -1 } });
  return { k, beta, g, sh, gamma: oneplus(s, col(1)) };
}

/** Content, interpolation with the previous weights, shift and sharpening (§3.3): weights [B, K, N]. */
function address(s: G, mem: Tensor, h: HeadInputs, wPrev: Tensor): Tensor {
  const wc = contentWeights(s, mem, h.k, h.beta);
  const wg = add(s, mul(s, h.g, wc), mul(s, sub(s, s.scalar(1), h.g), wPrev));
  // w̃^γ as exp(γ·log w̃): onnxruntime's WebGPU Pow fails on a broadcast exponent inside a Scan (w̃ > 0 here)
  const p = unary(s, 'Exp', mul(s, h.gamma, unary(s, 'Log', shiftWeights(s, wg, h.sh))));
  return div(s, p, add(s, reduceSum(s, p, [-1]), s.scalar(1e-16)));
}

export const ntm: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B } = c;
    const sh = ntmShape(b.args, b.dims);
    const { N, M, R, W, S } = sh, H = sh.ctrl.H;
    const scope = stateScope(c, 'ntm');
    const w = controllerWeights(g, sh.ctrl, c.h ?? c.x, R * M);
    const Wh = g.param('heads', [H, ntmInterface(sh)], { normal: 1 / Math.sqrt(H) });
    const bh = g.param('heads_bias', [ntmInterface(sh)], { normal: 0.02 });
    const ctrlN = controllerNames(sh.ctrl);
    const names = [...ctrlN, 'reads', 'memory', 'read_w', 'write_w'];
    const init = [...controllerInit(c, scope, sh.ctrl), stateIn(c, scope, 'reads', [B, R * M]), stateIn(c, scope, 'memory', [B, N, M]),
      stateIn(c, scope, 'read_w', [B, R, N]), stateIn(c, scope, 'write_w', [B, W, N])];
    const k = ctrlN.length;
    const { states, ys } = scanTime(g, init, [w.xs], (s, st, [xt]) => {
      const [readsPrev, memPrev, wrPrev, wwPrev] = st.slice(k);
      const ctrl = controllerStep(s, w, xt, readsPrev, st.slice(0, k));
      const take = fields(s, add(s, matmul(s, ctrl.h, Wh), bh));
      const wr = address(s, memPrev, headInputs(s, take, B, R, M, S), wrPrev);
      const reads = reshape(s, matmul(s, wr, memPrev), [B, R * M]);
      let mem = memPrev;
      const ws: Tensor[] = [];
      for (let j = 0; j < W; j++) {
        const ww = address(s, mem, headInputs(s, take, B, 1, M, S), slice(s, wwPrev, 1, j, j + 1));
        const e = sigmoid(s, reshape(s, take(M), [B, 1, M]));
        mem = eraseAdd(s, mem, ww, e, reshape(s, take(M), [B, 1, M]));
        ws.push(ww);
      }
      const wwAll = W === 1 ? ws[0] : concat(s, ws, 1);
      return { states: [...ctrl.state, reads, mem, wr, wwAll], ys: [concat(s, [ctrl.h, reads], -1)] };
    });
    outputStates(c, scope, names, states);
    return linear(g, ys[0], c.d, 'out', true);
  },
};
