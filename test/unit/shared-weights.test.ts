/**
 * Weight tying across depth (`layers N shared { … }`, `Use shared`): parameters and resident weights count once
 * per distinct weight set (BlockInstance.paramCount), FLOPs, caches and times once per occurrence; the ONNX
 * graph reuses the initializers, so its parameter count equals the engine's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { parse } from '../../language-server/src/syntax/parser';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { probeModel } from '../../language-server/src/compile/probe';
import { checkModel } from '../../language-server/src/compile/check';
import { costModel } from '../../language-server/src/cost/engine';
import { HARDWARE } from '../../language-server/src/cost/hardware';
import { weightCopies, type ModelInstance } from '../../language-server/src/semantic/instances';
import { trainingMemory } from '../../language-server/src/training/memory';
import { trainingSetupFor } from '../../language-server/src/training/layout';
import { handleFormat, sameTokens } from '../../language-server/src/server/features/format';
import { handleHover } from '../../language-server/src/server/features/hover';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { analyzeText } from '../helpers/memoryHost';
import { compileRunCheck } from './compile-harness';

const ROOT = path.join(__dirname, '..', '..');
const hw = HARDWARE[0];
const model = (text: string) => {
  const a = analyzeText(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return a.models[0];
};
const counts = (text: string) => model(text).blocks.map((b) => [b.path.join(' › '), b.count, weightCopies(b)]);
const file = (rel: string) => analyze(path.join(ROOT, rel), nodeHost()).models[0];

const LOOPED = `model Looped {
  vocab = 1000
  d_model = 64
  embedding
  layers 6 shared {
    rmsnorm
    attention(heads: 4)
    rmsnorm
    mlp(d_ff: 256)
  }
  rmsnorm
  lm_head
}
`;
const UNSHARED = LOOPED.replace(' shared', '');

test('parser: shared after the layer count and after a use, with spans; shared as an argument name still parses', () => {
  const f = parse('model M {\n  layers 4 shared {\n    mlp(d_ff: 8) x 2 shared at 1\n  }\n  moe(experts: 4, top_k: 1, d_ff: 8, shared: 1)\n}\n');
  assert.deepEqual(f.diagnostics, []);
  const body = (f.items[0] as unknown as { body: any[] }).body;
  assert.equal(body[0].kind, 'Layers');
  assert.deepEqual(body[0].shared, { start: 21, end: 27 });
  assert.ok(body[0].body[0].shared && body[0].body[0].selector, 'x 2 shared at 1');
  assert.equal(body[1].shared, undefined, "the moe argument 'shared' is not the keyword");
});

test('semantic: paramCount vs count (groups, x N, nested groups, shared uses, block definitions)', () => {
  assert.deepEqual(counts(LOOPED).slice(1, 3), [['layers 6 shared › rmsnorm', 6, 1], ['layers 6 shared › attention', 6, 1]]);
  assert.deepEqual(counts('model M {\n  d_model = 8\n  layers 6 shared {\n    mlp(d_ff: 8) x 2\n    layers 3 {\n      rmsnorm\n    }\n    rmsnorm at every 2\n  }\n}\n'),
    [['layers 6 shared › mlp', 12, 2], ['layers 6 shared › layers 3 › rmsnorm', 18, 3], ['layers 6 shared › rmsnorm', 3, 1]]);
  assert.deepEqual(counts('model M {\n  d_model = 8\n  layers 2 {\n    layers 6 shared {\n      rmsnorm\n    }\n  }\n  rmsnorm x 4 shared\n}\n'),
    [['layers 2 › layers 6 shared › rmsnorm', 12, 2], ['rmsnorm', 4, 1]]);
  // Zamba-style: one shared attention block applied every 6 layers of a Mamba stack.
  const zamba = 'block Shared {\n  rmsnorm\n  attention(heads: 4)\n}\nmodel Z {\n  d_model = 64\n  layers 12 {\n    mamba\n    Shared shared at every 6\n    Shared at 1\n  }\n}\n';
  assert.deepEqual(counts(zamba), [['layers 12 › mamba', 12, 12], ['layers 12 › Shared › rmsnorm', 2, 1], ['layers 12 › Shared › attention', 2, 1],
    ['layers 12 › Shared › rmsnorm', 1, 1], ['layers 12 › Shared › attention', 1, 1]]);
  // A definition used twice replays its remembered expansion: weight copies scale with it.
  assert.deepEqual(counts('block B {\n  layers 3 shared {\n    rmsnorm\n  }\n}\nblock C {\n  B\n  B\n}\nmodel M {\n  d_model = 8\n  C\n}\n'), [['C › B › layers 3 shared › rmsnorm', 6, 2]]);
});

test('cost: parameters and weight bytes once, FLOPs, KV cache and decode bytes per occurrence', () => {
  const s = costModel(model(LOOPED), { hardware: hw, seq: 128 }), u = costModel(model(UNSHARED), { hardware: hw, seq: 128 });
  const layer = 2 * 64 + 4 * 64 * 64 + 2 * 64 * 256;
  assert.equal(u.totals.params.total - s.totals.params.total, 5 * layer);
  assert.equal(s.totals.flops.prefillPerToken, u.totals.flops.prefillPerToken);
  assert.equal(s.totals.flops.decodePerToken, u.totals.flops.decodePerToken);
  assert.equal(s.totals.cacheBytesPerSequence, u.totals.cacheBytesPerSequence);
  assert.equal(s.totals.decodeBytesPerStep, u.totals.decodeBytesPerStep, 'every step reads the shared weights again');
  assert.equal(u.totals.weightBytes - s.totals.weightBytes, 5 * layer * 2);
  const setup = (m: ModelInstance) => trainingSetupFor(m, { hardware: 'h100', gpus: 1, zero: '0', seq: 128, tokens: 1e9 });
  const tm = trainingMemory(model(LOOPED), setup(model(LOOPED))), tu = trainingMemory(model(UNSHARED), setup(model(UNSHARED)));
  assert.ok(tm.weights < tu.weights && tm.optimizer < tu.optimizer, 'training holds one copy of the shared weights and its optimizer state');
});

test('published counts: ALBERT-base 11,683,584 (paper "12M"), Universal Transformer base (t2t sizes) 46,148,608', () => {
  const albert = costModel(file('examples/albert_base.arch'), { hardware: hw });
  assert.equal(albert.totals.params.total, 11_683_584);
  const ut = costModel(file('examples/universal_transformer.arch'), { hardware: hw });
  assert.equal(ut.totals.params.total, 46_148_608);
});

test('compile: the graph reuses the shared initializers (graph parameters = engine parameters), runs on CPU', async () => {
  const c = checkModel(model(LOOPED), { seq: 8 });
  assert.equal(c.graph.params, c.engine.params);
  assert.equal(c.graph.params, costModel(model(LOOPED), { hardware: hw }).totals.params.total);
  assert.ok(Math.abs(c.flopsError) <= 0.01);
  const unshared = checkModel(model(UNSHARED), { seq: 8 });
  assert.ok(Math.abs(unshared.graph.flopsPerToken - c.graph.flopsPerToken) < 1e-6, 'same graph FLOPs with and without sharing');
  for (const rel of ['examples/albert_base.arch', 'examples/universal_transformer.arch']) {
    await compileRunCheck(probeModel(file(rel), { layers: 2, d_model: 64, seq: 16 }), 16);
  }
});

test('editor: formatting keeps every token; the hover card says "shared ×N"', () => {
  const messy = 'model M {\n d_model = 64\n   layers 6   shared {\n  mlp(d_ff: 8)  x 2   shared\n }\n}\n';
  const doc = (t: string) => new DocState('file:///mem/main.arch', '/mem/main.arch', t, analyzeText(t), DEFAULT_SETTINGS);
  const out = handleFormat(doc(messy));
  assert.ok(out && sameTokens(out, messy));
  assert.equal(out, 'model M {\n  d_model = 64\n  layers 6 shared {\n    mlp(d_ff: 8) x 2 shared\n  }\n}\n');
  const h = handleHover(doc(LOOPED), LOOPED.indexOf('attention') + 1)!;
  assert.match(h.markdown, /attention × 6 · layers 0…5 \(all 6\) · shared ×6 \(1 weight set for 6 occurrences\)/);
  const g = handleHover(doc(LOOPED), LOOPED.indexOf('layers') + 1)!;
  assert.match(g.markdown, /shared ×6/);
});
