/**
 * Memory-augmented networks (issue 13): the NTM (Graves et al. 2014) and the DNC (Graves et al. 2016). Parameter
 * counts against the reference implementations' parameter lists written out term by term, FLOPs and decode state by
 * hand, the two examples, the DNC's sort-based allocation and the NTM's circular shift run on onnxruntime against
 * their formulas, and the compiled state (weightings, usage, link matrix) checked for the invariants the papers give.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { probeModel } from '../../language-server/src/compile/probe';
import { compileModel } from '../../language-server/src/compile/compile';
import { GraphBuilder } from '../../language-server/src/compile/graph';
import { allocation } from '../../language-server/src/compile/lower/dnc';
import { shiftWeights } from '../../language-server/src/compile/lower/ntm';
import { ntmCount, ntmShape } from '../../language-server/src/kinds/ntm';
import { dncCount, dncInterface, dncShape } from '../../language-server/src/kinds/dnc';
import { analyzeText } from '../helpers/memoryHost';
import { dims, run } from '../helpers/kinds';
import { compileRunCheck } from './compile-harness';

ort.env.logLevel = 'error';
const ROOT = path.join(__dirname, '..', '..');
const FP32 = 4;

// loudinthecloud/pytorch-ntm, tasks/copytask.py CopyTaskParams: sequence_width 8 (9 inputs with the delimiter,
// 8 outputs), controller_size 100, controller_layers 1, num_heads 1 (one NTMReadHead + one NTMWriteHead, ntm/aio.py),
// memory_n 128, memory_m 20. Parameter list: controller nn.LSTM(9 + 20, 100) weight_ih 400·29, weight_hh 400·100,
// b_ih, b_hh 400 each, lstm_h_bias, lstm_c_bias 100 each (ntm/controller.py); fc_read Linear(100, 20 + 1 + 1 + 3 + 1),
// fc_write Linear(100, 26 + 2·20) (ntm/head.py); fc Linear(100 + 20, 8) (ntm/ntm.py). mem_bias and the read
// biases are buffers, not parameters.
test('ntm: pytorch-ntm copy-task model 62,860 (its parameter list, term by term)', () => {
  const s = ntmShape({ controller: 'lstm', hidden: 100, slots: 128, width: 20, read_heads: 1, write_heads: 1, shift: 3 }, dims(9));
  const c = ntmCount(s, 9, 8);
  assert.equal(c.params, 400 * 29 + 400 * 100 + 2 * 400 + 2 * 100 + (100 * 26 + 26) + (100 * 66 + 66) + (120 * 8 + 8));
  assert.equal(c.params, 62_860);
  assert.equal(c.P, 26 + 66);
  // one feedforward layer instead: Linear(29, 100) and no state
  assert.equal(ntmCount({ ...s, ctrl: { ...s.ctrl, kind: 'mlp' } }, 9, 8).params, 29 * 100 + 100 + 2626 + 6666 + 968);
});

// deepmind/dnc train.py flags: hidden_size 64, memory_size 16, word_size 16, num_write_heads 1, num_read_heads 4;
// repeat_copy.RepeatCopy(num_bits 4): observations num_bits + 2 = 6, target_size num_bits + 1 = 5. Parameter list:
// snt.LSTM(64) over [input 6, previous reads 4·16] w_gates (70 + 64)×256, b_gates 256 (dnc/dnc.py); MemoryAccess
// (dnc/access.py _read_inputs) snt.Linear with bias from 64 to write_vectors 16, erase_vectors 16, free_gate 4,
// allocation_gate 1, write_gate 1, read_mode 4·3, write_keys 16, write_strengths 1, read_keys 64, read_strengths 4;
// output_linear (64 + 64) → 5 with bias.
test('dnc: deepmind/dnc train.py model 43,980 (its parameter list); interface R·W + 3W + 5R + 3 = 135 (Nature Methods)', () => {
  const s = dncShape({ controller: 'lstm', hidden: 64, slots: 16, width: 16, read_heads: 4 }, dims(6));
  const fields = [16, 16, 4, 1, 1, 12, 16, 1, 64, 4];
  assert.equal(dncInterface(s), fields.reduce((a, b) => a + b, 0));
  assert.equal(dncInterface(s), 4 * 16 + 3 * 16 + 5 * 4 + 3);
  const c = dncCount(s, 6, 5);
  assert.equal(c.params, 134 * 256 + 256 + fields.reduce((a, f) => a + 64 * f + f, 0) + 128 * 5 + 5);
  assert.equal(c.params, 43_980);
  // state: memory 16·16, link 16², precedence, usage, write weights 3·16, read weights 4·16, reads 4·16, h, c 2·64
  assert.equal(c.state, 256 + 256 + 48 + 64 + 64 + 128);
});

test('ntm / dnc in a model: the kind costs its block d_model → d_model; FLOPs per token and state by hand', () => {
  const n = run('ntm', { hidden: 100 }, dims(128), { seq: 4096, batch: 1 }).cost;
  assert.equal(n.params, 124_980);
  // controller 4·100·248, heads 100·92, output 120·128, content + shift 2·(128·20 + 128·3), read 128·20, write 3·128·20
  assert.equal(n.prefillFlops, 2 * (99_200 + 9_200 + 15_360 + 5_888 + 2_560 + 7_680));
  assert.equal(n.decodeFlops, n.prefillFlops);
  assert.equal(n.cacheBytes, (128 * 20 + 2 * 128 + 20 + 200) * FP32);
  const d = run('dnc', { hidden: 64, slots: 16, width: 16, read_heads: 4 }, dims(64), { seq: 4096, batch: 1 }).cost;
  assert.equal(d.params, 66_439);
  // controller 4·64·192, interface 64·135, output 128·64, content 5·256, erase/write 3·256, link 2·256, fwd/bwd 8·256, read 4·256
  assert.equal(d.prefillFlops, 2 * (49_152 + 8_640 + 8_192 + 1_280 + 768 + 512 + 2_048 + 1_024));
  assert.equal(d.cacheBytes, 816 * FP32);
  assert.equal(run('ntm', { controller: 'mlp', hidden: 100 }, dims(128)).cost.cacheBytes, (128 * 20 + 2 * 128 + 20) * FP32);
});

test('ntm: an even shift or one wider than the memory is a located error on `shift`', () => {
  assert.deepEqual(run('ntm', { shift: 4 }, dims(64)).issues.map((i) => i.arg), ['shift']);
  assert.deepEqual(run('ntm', { shift: 5, slots: 4 }, dims(64)).issues.map((i) => i.arg), ['shift']);
  const text = 'model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  ntm(shift: 2)\n  lm_head\n}\n';
  const err = analyzeText(text).diagnostics.filter((d) => d.severity === 'error');
  assert.equal(err.length, 1);
  assert.match(err[0].message, /shift \(2\) must be odd/);
  assert.equal(text.slice(err[0].start, err[0].end), 'shift: 2');
});

function example(file: string, seq: number) {
  const a = analyze(path.join(ROOT, 'examples', file), nodeHost());
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = costModel(a.models[0], { hardware: findHardware('h100')!, seq });
  return { m: a.models[0], params: r.totals.params.total, state: r.totals.cacheBytesPerSequence };
}

test('examples: ntm_copy.arch 190,516 and dnc_repeat_copy.arch 99,207; constant state; probes compile and match', async () => {
  const n = example('ntm_copy.arch', 1024);
  assert.equal(n.params, 124_980 + 2 * 256 * 128);
  assert.equal(n.state, 3_036 * FP32);
  assert.equal(example('ntm_copy.arch', 65_536).state, n.state);
  const d = example('dnc_repeat_copy.arch', 1024);
  assert.equal(d.params, 66_439 + 2 * 256 * 64);
  assert.equal(d.state, 816 * FP32);
  for (const m of [n.m, d.m]) await compileRunCheck(probeModel(m, { layers: 2, d_model: 64, seq: 16 }), 16);
});

async function runGraph(g: GraphBuilder, feeds: Record<string, ort.Tensor>) {
  return (await ort.InferenceSession.create(g.serialize('t'))).run(feeds);
}

// Nature Methods "Dynamic memory allocation": φ sorts the usage ascending, a[φ_j] = (1 − u[φ_j])·Π_{i<j} u[φ_i].
test('dnc allocation (TopK, CumSum, ScatterElements) = the paper formula over the sorted usage', async () => {
  const u = [0.9, 0.1, 0.5, 0.999, 0.3, 0.7, 0.2, 0.05];
  const g = new GraphBuilder(0);
  g.output(allocation(g, g.input('u', [1, 1, u.length])), 'a');
  const got = (await runGraph(g, { u: new ort.Tensor('float32', Float32Array.from(u), [1, 1, u.length]) })).a.data as Float32Array;
  const uu = u.map((x) => 1e-6 + (1 - 1e-6) * x);
  const order = uu.map((x, i) => [x, i]).sort((p, q) => p[0] - q[0]).map((p) => p[1]);
  let prod = 1;
  const want = new Array(u.length).fill(0);
  for (const i of order) { want[i] = (1 - uu[i]) * prod; prod *= uu[i]; }
  want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-6, `a[${i}] = ${got[i]}, want ${w}`));
  assert.ok(got[7] > got[1] && got[1] > got[6], 'the least used slot gets the most');
});

// Graves et al. 2014 eq. (8): w̃(i) = Σ_j w(j)·s(i − j), indices modulo N.
test('ntm circular shift (one MatMul over rolled copies) = eq. (8) of the NTM paper', async () => {
  const w = [0.1, 0.6, 0.05, 0.05, 0.2], s = [0.2, 0.3, 0.1, 0.25, 0.15]; // offsets −2 … 2
  const g = new GraphBuilder(0);
  g.output(shiftWeights(g, g.input('w', [1, 1, 5]), g.input('s', [1, 1, 5])), 'y');
  const out = await runGraph(g, { w: new ort.Tensor('float32', Float32Array.from(w), [1, 1, 5]), s: new ort.Tensor('float32', Float32Array.from(s), [1, 1, 5]) });
  const got = out.y.data as Float32Array;
  for (let i = 0; i < 5; i++) {
    const want = [-2, -1, 0, 1, 2].reduce((acc, o, j) => acc + s[j] * w[(((i - o) % 5) + 5) % 5], 0);
    assert.ok(Math.abs(got[i] - want) < 1e-6, `w̃[${i}] = ${got[i]}, want ${want}`);
  }
});

async function prefillStates(body: string) {
  const a = analyzeText(`model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  ${body}\n  lm_head\n}\n`);
  const bytes = compileModel(a.models[0], { seq: 12, exposeCache: true }).bytes;
  const ids = BigInt64Array.from({ length: 12 }, (_, i) => BigInt((i * 5 + 1) % 64));
  return (await ort.InferenceSession.create(bytes)).run({ input_ids: new ort.Tensor('int64', ids, [1, 12]) });
}

const rows = (t: ort.Tensor): number[][] => {
  const n = t.dims[t.dims.length - 1], v = Array.from(t.data as Float32Array);
  return Array.from({ length: v.length / n }, (_, r) => v.slice(r * n, (r + 1) * n));
};
const sum = (r: number[]): number => r.reduce((a, b) => a + b, 0);

test('compiled ntm: every head weighting after 12 tokens is a distribution over the slots (§3.3)', async () => {
  const out = await prefillStates('ntm(hidden: 16, slots: 10, width: 6, read_heads: 2, write_heads: 2, shift: 3)');
  for (const name of ['new_state_ntm_0_read_w', 'new_state_ntm_0_write_w']) {
    for (const r of rows(out[name])) {
      assert.ok(r.every((x) => x >= 0), name);
      assert.ok(Math.abs(sum(r) - 1) < 1e-5, `${name} sums to ${sum(r)}`);
    }
  }
});

test('compiled dnc: usage in [0, 1], link with zero diagonal and rows ≤ 1, precedence and read weights ≤ 1 (Methods)', async () => {
  const out = await prefillStates('dnc(hidden: 16, slots: 8, width: 6, read_heads: 2)');
  const st = (n: string) => out[`new_state_dnc_0_${n}`];
  assert.ok(rows(st('usage'))[0].every((x) => x >= 0 && x <= 1));
  const L = rows(st('link'));
  L.forEach((r, i) => {
    assert.equal(r[i], 0, `L[${i}][${i}]`);
    assert.ok(r.every((x) => x >= 0) && sum(r) <= 1 + 1e-5, `link row ${i}`);
  });
  assert.ok(sum(rows(st('precedence'))[0]) <= 1 + 1e-5);
  for (const r of rows(st('read_w'))) assert.ok(r.every((x) => x >= 0) && sum(r) <= 1 + 1e-5);
  assert.ok(sum(rows(st('write_w'))[0]) > 0, 'the write weighting is not all zero');
});
