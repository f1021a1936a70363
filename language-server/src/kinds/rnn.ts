/**
 * Classic gated RNNs as sequence mixers, parameters exactly as PyTorch `nn.LSTM` / `nn.GRU` (one layer,
 * unidirectional, bias=True: weight_ih G·h×in, weight_hh G·h×h and the two biases b_ih, b_hh of G·h each).
 * `lstm`: Hochreiter & Schmidhuber 1997, "Long Short-Term Memory" (Neural Computation 9(8)), with the forget gate
 *   of Gers et al. 2000; G = 4 (i, f, g, o): 4·(h·(in + h) + 2h). nn.LSTM(512, 512): 2,101,248.
 * `gru`: Cho et al. 2014, "Learning Phrase Representations using RNN Encoder–Decoder" (arXiv 1406.1078); G = 3
 *   (r, z, n; PyTorch keeps b_hn inside r ⊙ (W_hn·h + b_hn)): 3·(h·(in + h) + 2h). nn.GRU(512, 512): 1,575,936.
 * in = d_model. A `hidden` width other than d_model adds an output projection h×d (no bias) back to the residual
 * stream. FLOPs: the input and recurrent matmuls (2 per MAC); gates and the cell update are elementwise.
 * State: LSTM h and c (2h), GRU h.
 */
import type { BlockKind, Dims, Args } from './types';
import { byteWidths, dModel, num, recurrentCost } from './formulas';
import { scaleArgs } from './probeScale';

function rnnKind(name: 'lstm' | 'gru', gates: number, summary: string, states: number): BlockKind {
  const hidden = (args: Args, dims: Dims): number => num(args, 'hidden') || dModel(dims);
  return {
    name, summary,
    needs: ['d_model'],
    context: 'recurrent',
    decodeState: 'state',
    tpAllReduces: 1,
    role: 'mixer',
    probe: (a, w) => scaleArgs(a, w, 'hidden'),
    params: [
      { name: 'hidden', type: 'int', min: 1, doc: `Hidden width h (PyTorch hidden_size; default d_model; otherwise an output projection h×d_model is added).` },
    ],
    cost(args, dims, ctx) {
      const d = dModel(dims), h = hidden(args, dims);
      const proj = h === d ? 0 : h * d;
      const matmul = gates * h * (d + h) + proj;
      const params = matmul + 2 * gates * h;
      const stateElems = states * h;
      return recurrentCost(dims, ctx, {
        params, flops: 2 * matmul, stateElems,
        formula: [
          `params = ${gates}·(h·(d + h) + 2h) (weight_ih, weight_hh, b_ih, b_hh)${proj ? ' + h·d (out_proj)' : ''} = ${params} (h = ${h})`,
          `FLOPs/token = 2·(${gates}·h·(d + h)${proj ? ' + h·d' : ''}) = ${2 * matmul}, constant in L (gates elementwise)`,
          `state = ${states === 2 ? '2h (h, c)' : 'h'} = ${stateElems} elements × ${byteWidths(dims).state} B (state_dtype)`,
        ],
      });
    },
  };
}

export const lstm = rnnKind('lstm', 4, 'LSTM (Hochreiter & Schmidhuber 1997) as nn.LSTM: input, forget, cell and output gates; state h, c.', 2);
export const gru = rnnKind('gru', 3, 'GRU (Cho et al. 2014) as nn.GRU: reset and update gates; state h.', 1);
