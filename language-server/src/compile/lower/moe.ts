/**
 * Mixture of experts: softmax router (+ optional bias) → `moe_probs_l{i}`, TopK selection, renormalised
 * top-k weights, routed experts computed densely for every token (stacked [E, d, f] weights) and then
 * masked by the weights, plus always-on shared experts.
 * Dense-compute-then-mask does E/k times the work the engine counts, so routed-expert MatMuls carry
 * `#routed=<TopK values>`: count.ts counts them as top_k/E of their MACs (k and E read from that TopK node),
 * i.e. the MACs of the k experts each token actually uses — the engine's formula.
 */
import { bool, num } from '../../kinds/formulas';
import type { Tensor } from '../graph';
import { BOOL } from '../../onnx/writer';
import { activation, add, div, linear, matmul, mul, reduceSum, reshape, slice, softmax, transpose, unsqueeze } from './ops';
import { dModelOf, type Ctx, type KindLowering } from './context';

interface Experts { n: number; f: number; gated: boolean; bias: boolean; tag?: string; name: string }

/** x [1, N, d] through n stacked experts → [n, N, d]. */
function stacked(c: Ctx, x: Tensor, e: Experts): Tensor {
  const { g, d } = c;
  const w = (name: string, din: number, dout: number): Tensor => g.param(`${e.name}_${name}`, [e.n, din, dout], { normal: 1 / Math.sqrt(din) });
  const b = (name: string, width: number): Tensor => g.param(`${e.name}_${name}_bias`, [e.n, 1, width], { normal: 0.02 });
  const proj = (name: string, input: Tensor, din: number, dout: number): Tensor => {
    const y = matmul(g, input, w(name, din, dout), e.tag);
    return e.bias ? add(g, y, b(name, dout)) : y;
  };
  let hid = activation(g, proj(e.gated ? 'gate' : 'up', x, d, e.f), e.gated ? 'silu' : 'gelu');
  if (e.gated) hid = mul(g, hid, proj('up', x, d, e.f));
  return proj('down', hid, e.f, d);
}

export const moe: KindLowering = {
  role: 'sublayer',
  lower(c, b) {
    const { g, B, T } = c;
    const d = dModelOf(b);
    const E = num(b.args, 'experts');
    const k = num(b.args, 'top_k');
    const S = num(b.args, 'shared');
    const f = num(b.args, 'd_ff');
    const gated = bool(b.args, 'gated');
    const bias = bool(b.args, 'expert_bias');
    const h = c.h ?? c.x;
    const probs = softmax(g, linear(g, h, E, 'router', bool(b.args, 'router_bias')));
    c.gate(`moe_probs_l${c.layer}`, probs);
    const [values] = g.multi('TopK', [probs, g.constI([k])], [{ shape: [B, T, k] }, { shape: [B, T, k], type: 7 }], { axis: { int: -1 } });
    const keep = g.op('GreaterOrEqual', [probs, slice(g, values, -1, k - 1, k)], [B, T, E], {}, { type: BOOL });
    const chosen = g.op('Where', [keep, probs, g.scalar(0)], [B, T, E]);
    const weights = div(g, chosen, reduceSum(g, chosen, [-1]));
    const x = reshape(g, h, [1, B * T, d]);
    const routed = stacked(c, x, { n: E, f, gated, bias, tag: `#routed=${values.name}`, name: 'expert' });
    const wE = unsqueeze(g, transpose(g, reshape(g, weights, [B * T, E]), [1, 0]), 2); // [E, BT, 1]
    let y = reduceSum(g, mul(g, routed, wE), [0], false);
    if (S > 0) {
      const shared = stacked(c, x, { n: S, f: num(b.args, 'shared_d_ff') || f, gated, bias, name: 'shared' });
      y = add(g, y, reduceSum(g, shared, [0], false));
    }
    if (bool(b.args, 'out_bias')) y = add(g, y, g.param('out_bias', [d], { normal: 0.02 })); // JetMoeMoE.bias
    return reshape(g, y, [B, T, d]);
  },
};
