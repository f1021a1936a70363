/** The ONNX writer (language-server/src/compile/onnxWriter.ts) read back by the reader of extension/inference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { encodeVarint, writeModel, type GraphSpec } from '../../language-server/src/onnx/writer';
import { initializerFloats, initializerInt64s, readOnnxInfo } from '../../language-server/src/onnx/info';
import { readVarint } from '../../language-server/src/onnx/protobuf';
import { GraphBuilder, mulberry32 } from '../../language-server/src/compile/graph';
import { countGraph } from '../../language-server/src/compile/count';
import { matmul } from '../../language-server/src/compile/lower/ops';
import { scanTime } from '../../language-server/src/compile/lower/scan';

ort.env.logLevel = 'error';

test('varints round-trip, negatives as 10-byte two\'s complement', () => {
  for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 40 + 5, -1, -17]) {
    const b = Uint8Array.from(encodeVarint(v));
    assert.equal(readVarint(b, 0, b.length).value, v);
  }
  assert.equal(encodeVarint(-1).length, 10);
});

const graph: GraphSpec = {
  name: 'g',
  nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'], name: 'mm', attrs: { note: { string: 's' }, k: { int: -3 }, f: { float: 0.5 }, ks: { ints: [1, -2] }, fs: { floats: [1.5] } } }],
  inputs: [{ name: 'x', dims: ['batch', 3] }],
  outputs: [{ name: 'y', dims: ['batch', 2] }],
  initializers: [{ name: 'w', dims: [3, 2], floats: Float32Array.from([1, 2, 3, 4, 5, 6]) }, { name: 'const/i', dims: [2], int64s: [-5, 2 ** 40] }],
  valueInfo: [],
};

test('ModelProto round-trip: versions, metadata, inputs with symbolic dims, float and int64 initializers, nodes', () => {
  const info = readOnnxInfo(writeModel({ graph, opset: 18, metadata: { a: 'b' } }));
  assert.equal(info.irVersion, 8);
  assert.deepEqual(info.opsets, [{ domain: '', version: 18 }]);
  assert.deepEqual(info.metadata, { a: 'b' });
  assert.deepEqual(info.inputs[0].dims, ['batch', 3]);
  assert.equal(info.inputs[0].elemTypeName, 'float32');
  assert.deepEqual(Array.from(initializerFloats(info.initializers[0])), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(initializerInt64s(info.initializers[1]), [-5, 2 ** 40]);
  assert.deepEqual(info.nodes.map((n) => [n.opType, n.name, n.inputs, n.outputs]), [['MatMul', 'mm', ['x', 'w'], ['y']]]);
});

test('onnxruntime runs a written model (symbolic batch)', async () => {
  const s = await ort.InferenceSession.create(writeModel({ graph: { ...graph, nodes: [{ ...graph.nodes[0], attrs: {} }] } }));
  const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 0, 0, 0, 1, 0]), [2, 3]) });
  assert.deepEqual(Array.from(out.y.data as Float32Array), [1, 2, 3, 4]);
});

test('GraphBuilder: seeded weights are deterministic; Scan bodies (graph attribute) run and are counted × T', async () => {
  assert.deepEqual(Array.from({ length: 3 }, mulberry32(7)), Array.from({ length: 3 }, mulberry32(7)));
  const build = (): Uint8Array => {
    const g = new GraphBuilder(42);
    const x = g.input('input_ids', [1, 5, 4]);
    const w = g.param('w', [4, 4], { normal: 0.5 });
    const { ys } = scanTime(g, [g.constF(new Float32Array(4), [1, 4], 'zero')], [x], (b, [h], [xt]) => {
      const h2 = b.op('Add', [matmul(b, h, w), xt], h.shape);
      return { states: [h2], ys: [h2] };
    });
    g.output(ys[0], 'logits');
    return g.serialize('scan');
  };
  const a = build();
  assert.deepEqual(a, build());
  const c = countGraph(a);
  assert.equal(c.params, 16);
  assert.equal(c.macs, 5 * 16);
  const s = await ort.InferenceSession.create(a);
  const out = await s.run({ input_ids: new ort.Tensor('float32', new Float32Array(20).fill(1), [1, 5, 4]) });
  assert.deepEqual(out.logits.dims, [1, 5, 4]);
});
