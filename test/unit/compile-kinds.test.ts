/**
 * Every built-in block kind, compiled in a tiny model, run on onnxruntime (CPU), checked against the cost engine:
 * parameters equal, FLOPs per token within 1 % (in practice exact), gate outputs present where the kind has one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../helpers/memoryHost';
import { CASES, model } from '../helpers/kindCases';
import { compileRunCheck, gateNames } from './compile-harness';

for (const [kind, cases] of Object.entries(CASES)) {
  cases.forEach((c, i) => {
    test(`compile ${kind} #${i + 1}: runs on CPU, params exact, FLOPs within 1 %`, async () => {
      const text = model(c);
      const a = analyzeText(text);
      assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], text);
      const r = await compileRunCheck(a.models[0], 16);
      assert.ok(a.models[0].blocks.some((b) => b.kind === kind));
      for (const g of c.gates ?? []) {
        assert.ok(gateNames(r).includes(g), `gate ${g} in ${gateNames(r)}`);
        assert.ok(r.outputs[g], `output ${g}`);
      }
    });
  });
}

test('gate outputs follow docs/gates.md shapes and ranges', async () => {
  const a = analyzeText(model(CASES.engram[1]));
  const { outputs } = await compileRunCheck(a.models[0], 8);
  assert.deepEqual(outputs.engram_alpha_l1.dims, [1, 8, 4]);
  assert.ok((outputs.engram_alpha_l1.data as Float32Array).every((x) => x > 0 && x < 1));
  const res = outputs.hc_res_l0.data as Float32Array;
  assert.deepEqual(outputs.hc_res_l0.dims, [1, 8, 4, 4]);
  for (let r = 0; r < 4; r++) { // doubly stochastic after Sinkhorn: columns sum to 1, rows close to 1
    const col = [0, 1, 2, 3].reduce((s, k) => s + res[k * 4 + r], 0);
    assert.ok(Math.abs(col - 1) < 1e-4, `column ${r} sums to ${col}`);
  }
  const attn = analyzeText(model(CASES.attention[0]));
  const p = (await compileRunCheck(attn.models[0], 6)).outputs.attn_probs_l0;
  const probs = p.data as Float32Array;
  assert.deepEqual(p.dims, [1, 4, 6, 6]);
  assert.equal(probs[0 * 6 + 1], 0, 'causal: query 0 does not see key 1');
  assert.ok(Math.abs(probs.slice(12, 18).reduce((s, x) => s + x, 0) - 1) < 1e-5);
});
