/**
 * Framework kernel variants of the serving engine: TensorRT-LLM before its XQA kernel loads each KV head once per
 * query head of the GQA group (calibration.json `variants`). Checked by hand on Llama-2-70B and against a published
 * with/without measurement that the calibration never sees (XQA-kernel.md is not a row of measured-inference.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { deploymentFor } from '../../language-server/src/serving/deployment';
import { prepare } from '../../language-server/src/serving/workload';
import { estimateServing } from '../../language-server/src/serving/estimate';
import { baseFramework, CALIBRATION, FRAMEWORKS, frameworkSetup } from '../../language-server/src/serving/calibration';
import { KINDS } from '../../language-server/src/kinds';

const root = path.resolve(__dirname, '../..');
const L70 = analyze(path.join(root, 'test/fixtures/measured/models.arch'), nodeHost()).models.find((m) => m.name === 'Llama2_70B')!;
const choice = { hardware: 'h200', dtype: 'fp8', weights: 'fp8', kvDtype: 'fp8' } as const;
const work = { batch: 192, input: 128, output: 2048 };

test('attention declares its GQA group: heads / kv_heads (Llama-2-70B: 64 / 8 = 8; MHA: 1)', () => {
  assert.equal(KINDS.attention.kvGroup?.({ heads: 64, kv_heads: 8 }), 8);
  assert.equal(KINDS.attention.kvGroup?.({ heads: 32 }), 1);
});

test('trtllm-noxqa is trtllm with unshared KV reads: every fitted constant is the base profile\'s', () => {
  assert.ok(FRAMEWORKS.includes('trtllm-noxqa'));
  assert.equal(baseFramework('trtllm-noxqa'), 'trtllm');
  const { fw } = frameworkSetup('trtllm-noxqa');
  const base = CALIBRATION.frameworks.trtllm;
  for (const k of ['stepOverhead', 'blockOverhead', 'gemmScale', 'bandwidthScale', 'workspaceFraction'] as const) assert.equal(fw[k], base[k], k);
  assert.equal(fw.sharedKvReads, false);
  assert.notEqual(frameworkSetup('trtllm').fw.sharedKvReads, false);
});

test('without XQA a decode step loads Llama-2-70B\'s KV cache 8× (its GQA group); weights and FLOPs unchanged', () => {
  const terms = (framework: string) => prepare(L70, deploymentFor(L70, { ...choice, framework }), work).decode;
  const shared = terms('trtllm'), unshared = terms('trtllm-noxqa');
  shared.forEach((t, i) => {
    const u = unshared[i];
    const group = t.kind === 'attention' ? 8 : 1;
    t.pieces.forEach((p, j) => {
      const q = u.pieces[j];
      assert.equal(q.f0, p.f0); assert.equal(q.f1, p.f1); assert.equal(q.y0, p.y0); assert.equal(q.y1, p.y1);
      assert.ok(Math.abs(q.k0 - group * p.k0) <= 1e-9 * Math.abs(group * p.k0) && Math.abs(q.k1 - group * p.k1) <= 1e-9 * Math.abs(group * p.k1), `${t.kind}`);
    });
  });
  assert.ok(shared.some((t) => t.kind === 'attention' && t.pieces.some((p) => p.k1 > 0)), 'attention reads a growing cache');
});

test('XQA-kernel.md (held out): Llama-70B FP8, 1×H200, 128/2048 — 2,941 tok/s/GPU with XQA, 1,227 without (2.40×)', () => {
  // NVIDIA/TensorRT-LLM docs/source/blogs/XQA-kernel.md, table "H200 2.4x with XQA". Batch not printed there; the
  // 2,941 figure is the Falcon180B-H200.md run at BS 192 (measured row W37), so both sides use B = 192.
  const tput = (framework: string) => estimateServing(L70, deploymentFor(L70, { ...choice, framework }), work).outputTokensPerSPerGpu;
  const withXqa = tput('trtllm'), without = tput('trtllm-noxqa');
  const ratio = withXqa / without;
  assert.ok(ratio > 1.6 && ratio < 3.2, `modelled speed-up ${ratio.toFixed(2)}× vs measured 2.40×`);
  assert.ok(Math.abs(Math.log(without / 1227)) < Math.log(1.5), `without XQA: ${without.toFixed(0)} vs 1,227 tok/s/GPU`);
  assert.ok(Math.abs(Math.log(withXqa / 2941)) < Math.log(1.5), `with XQA: ${withXqa.toFixed(0)} vs 2,941 tok/s/GPU`);
});

test('the ideal roofline ignores kernel variants; an unknown framework is a clear error', () => {
  const ideal = prepare(L70, deploymentFor(L70, { ...choice, framework: 'ideal' }), work).decode;
  const trt = prepare(L70, deploymentFor(L70, { ...choice, framework: 'trtllm' }), work).decode;
  assert.deepEqual(ideal, trt);
  assert.throws(() => deploymentFor(L70, { ...choice, framework: 'trtllm-nope' }), /unknown framework 'trtllm-nope'/);
});

test('every kind declaring routed experts (BlockKind.experts) has inactive parameters exactly when experts > top-k', async () => {
  const { CASES } = await import('../helpers/kindCases');
  const { analyzeText } = await import('../helpers/memoryHost');
  const { KIND_NAMES, routedExperts } = await import('../../language-server/src/kinds');
  const { costBlock } = await import('../../language-server/src/cost/engine');
  const declaring = KIND_NAMES.filter((k) => KINDS[k].experts);
  assert.ok(declaring.includes('moe'));
  for (const kind of declaring) {
    for (const c of CASES[kind]) {
      const m = analyzeText(`model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  layers 2 {\n${c.body}\n  }\n  lm_head\n}\n`).models[0];
      for (const b of m.blocks.filter((x) => x.kind === kind)) {
        const r = routedExperts(b)!;
        const cost = costBlock(b, { seq: 8, batch: 1 });
        assert.equal(cost.params > cost.active, r.experts > r.topK, `${kind}: ${c.body}`);
      }
    }
  }
});
