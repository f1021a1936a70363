/** Shared by the compile-*.test.ts suites: compile, run on onnxruntime (CPU) and compare with the cost engine. */
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { ModelInstance } from '../../language-server/src/semantic/instances';
import { checkModel, type CheckResult } from '../../language-server/src/compile/check';
import { readOnnxInfo } from '../../language-server/src/onnx/info';
import { headShape } from '../../language-server/src/kinds/heads';
import type { Compiled } from '../../language-server/src/compile/compile';
import { feedTensors } from '../../language-server/src/runtime/ortTimer';

/** The encoder streams a cross-attention reads (inputs `memory…`): the measure harness's deterministic float feeds. */
export function memoryFeeds(c: Compiled): Record<string, ort.Tensor> {
  return feedTensors(c.inputs.filter((i) => i.name.startsWith('memory')));
}

ort.env.logLevel = 'error';

export interface RunResult { check: CheckResult; outputs: Record<string, ort.Tensor> }

/**
 * Compiles `model` at T tokens with every intermediate exposed, runs it (cross-attention streams fed by memoryFeeds), and asserts: logits [1, T, V] and all
 * outputs finite; run-time shapes equal the value_info shapes count.ts reads; parameters equal the engine's;
 * FLOPs per token within 1 % of the engine's prefill FLOPs per token at seq T.
 */
export async function compileRunCheck(model: ModelInstance, T = 16): Promise<RunResult> {
  const check = checkModel(model, { seq: T, exposeIntermediates: true });
  const session = await ort.InferenceSession.create(check.compiled.bytes, { executionProviders: ['cpu'] });
  const ids = BigInt64Array.from({ length: T }, (_, i) => BigInt((i * 7 + 3) % Math.min(50, model.dims.vocab ?? 50)));
  const outputs = await session.run({ input_ids: new ort.Tensor('int64', ids, [1, T]), ...memoryFeeds(check.compiled) });
  const head = model.blocks.find((b) => b.kind === 'head');
  if (head) { const s = headShape(head.args, model.dims.d_model ?? 0, T); assert.deepEqual(outputs.logits.dims, [1, s.scored, s.K]); }
  else if (model.dims.vocab && model.blocks.some((b) => b.kind === 'lm_head')) assert.deepEqual(outputs.logits.dims, [1, T, model.dims.vocab]);
  else assert.deepEqual(outputs.output.dims, [1, T, model.dims.d_model]); // no lm_head: the final stream
  const declared = new Map(readOnnxInfo(check.compiled.bytes).outputs.map((o) => [o.name, o.dims]));
  for (const [name, t] of Object.entries(outputs)) {
    assert.deepEqual([...t.dims], declared.get(name), `run-time shape of ${name}`);
    if (t.type === 'float32') assert.ok((t.data as Float32Array).every(Number.isFinite), `${name} is finite`);
  }
  assert.equal(check.graph.params, check.engine.params, `${model.name}: initializer parameters = engine parameters`);
  assert.ok(Math.abs(check.flopsError) <= 0.01,
    `${model.name}: graph ${check.graph.flopsPerToken} vs engine ${check.engine.flopsPerToken} FLOPs/token (${(check.flopsError * 100).toFixed(2)} %)`);
  return { check, outputs };
}

export const gateNames = (r: RunResult): string[] => r.check.compiled.gates.slice();
