import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  initializerFloats, parameterCount, parseGates, readOnnxInfo, validateModel, ProtobufError,
} from '../../language-server/src/onnx/info';
import { readVarint } from '../../language-server/src/onnx/protobuf';
import { encodeVarint, randomFloats, tinyGateModel, writeModel } from '../helpers/onnxWriter';

test('varints: small, large, and negative int64 values round-trip', () => {
  for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 40 + 5, 2 ** 52, -1, -2, -300]) {
    const bytes = Uint8Array.from(encodeVarint(v));
    assert.deepEqual(readVarint(bytes, 0, bytes.length), { value: v, next: bytes.length }, `value ${v}`);
  }
  assert.throws(() => readVarint(Uint8Array.from([0x80, 0x80]), 0, 2), /truncated varint at byte 0/);
});

test('readOnnxInfo: IR, opsets, graph, inputs/outputs with symbolic dims, nodes', () => {
  const m = tinyGateModel();
  const info = readOnnxInfo(m.bytes);
  assert.equal(info.irVersion, 8);
  assert.deepEqual(info.opsets, [{ domain: '', version: 17 }]);
  assert.equal(info.graphName, 'test_graph');
  assert.deepEqual(info.producer, { name: 'archlens-test', version: '1' });
  assert.deepEqual(info.inputs, [{ name: 'input_ids', elemType: 7, elemTypeName: 'int64', dims: ['batch', 'seq'] }]);
  assert.deepEqual(
    info.outputs.map((o) => [o.name, o.elemTypeName, o.dims]),
    [['logits', 'float32', ['batch', 'seq', 16]], ['engram_alpha_l0', 'float32', ['batch', 'seq']]],
  );
  assert.equal(info.nodeCount, 5);
  assert.deepEqual(info.opTypes, { Gather: 1, MatMul: 2, Sigmoid: 1, Squeeze: 1 });
  assert.deepEqual(info.nodes[0], { opType: 'Gather', domain: '', name: 'Gather_0', inputs: ['embed.weight', 'input_ids'], outputs: ['h'], ints: {}, graphs: {} });
});

test('readOnnxInfo: initializers with element counts and float data from raw_data and float_data', () => {
  const m = tinyGateModel({ vocab: 10, d: 6 });
  const info = readOnnxInfo(m.bytes);
  assert.deepEqual(
    info.initializers.map((t) => [t.name, t.dataTypeName, t.dims, t.size]),
    [
      ['embed.weight', 'float32', [10, 6], 60],
      ['lm_head.weight', 'float32', [6, 10], 60],
      ['gate.weight', 'float32', [6, 1], 6],
      ['squeeze_axes', 'int64', [1], 1],
    ],
  );
  const [embed, head, gate, axes] = info.initializers;
  assert.ok(embed.rawData && !embed.floatData);
  assert.ok(head.floatData && !head.rawData, 'lm_head is stored as float_data');
  assert.deepEqual(initializerFloats(embed), m.embed);
  assert.deepEqual(initializerFloats(head), m.wOut);
  assert.deepEqual(initializerFloats(gate), m.wGate);
  assert.throws(() => initializerFloats(axes), /int64, not float32/);
  assert.equal(parameterCount(info), 127);
  assert.equal(parameterCount(info, { floatOnly: true }), 126);
});

test('readOnnxInfo: odd offsets still give exact floats (unaligned raw_data is copied)', () => {
  const floats = randomFloats(7, 9);
  for (const name of ['w', 'wx', 'wxy', 'wxyz']) {
    const bytes = writeModel({ nodes: [], inputs: [], outputs: [], initializers: [{ name, dims: [7], floats }] });
    assert.deepEqual(initializerFloats(readOnnxInfo(bytes).initializers[0]), floats);
  }
});

test('readOnnxInfo: errors carry a byte offset', () => {
  const m = tinyGateModel();
  assert.throws(() => readOnnxInfo(m.bytes.subarray(0, m.bytes.length - 5)), (e: unknown) => {
    assert.ok(e instanceof ProtobufError);
    assert.match(e.message, /at byte \d+$/);
    return true;
  });
  assert.throws(() => readOnnxInfo(Uint8Array.from([0x08, 0x07])), /no graph in the model at byte 2/);
  assert.throws(() => readOnnxInfo(Uint8Array.from([0x0a, 0x01, 0x00])), /ir_version \(field 1\) has wire type 2, expected 0 at byte 0/);
});

test('validateModel: a conforming model is accepted with its gates', () => {
  const v = validateModel(tinyGateModel().bytes);
  assert.ok(v.ok);
  assert.deepEqual(v.gates, [{ kind: 'engram_alpha', layer: 0, name: 'engram_alpha_l0' }]);
});

test('parseGates: every kind, sorted by kind then layer; other names ignored', () => {
  const gates = parseGates(['logits', 'attn_probs_l1', 'engram_alpha_l2', 'attn_probs_l0', 'hc_res_l3', 'moe_probs_l1', 'hc_pre_l0', 'hc_post_l10', 'engram_alpha_lx', 'xattn_probs_l0']);
  assert.deepEqual(gates.map((g) => `${g.kind}:${g.layer}`), ['engram_alpha:2', 'moe_probs:1', 'attn_probs:0', 'attn_probs:1', 'hc_res:3', 'hc_pre:0', 'hc_post:10']);
});

function rejects(bytes: Uint8Array, pattern: RegExp, opts = {}): void {
  const v = validateModel(bytes, opts);
  assert.equal(v.ok, false);
  if (!v.ok) assert.match(v.message, pattern);
}

test('validateModel: empty, truncated, corrupt, oversized', () => {
  const m = tinyGateModel().bytes;
  rejects(new Uint8Array(0), /the file is empty/);
  rejects(m.subarray(0, 100), /not a valid ONNX model \(corrupt or truncated protobuf\): .* at byte \d+/);
  rejects(m.subarray(0, m.length - 1), /not a valid ONNX model/);
  rejects(new TextEncoder().encode('this is not a model, just some text\n'), /not a valid ONNX model/);
  rejects(m, /over the limit of 0\.0 MiB/, { maxBytes: 1000 });
  assert.ok(validateModel(m, { maxBytes: m.length }).ok);
});

test('validateModel: random bytes and bit flips are rejected or accepted, never thrown', () => {
  let rejected = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const noise = Uint8Array.from(randomFloats(64 + seed, seed), (x) => Math.floor((x + 1) * 128) & 0xff);
    if (!validateModel(noise).ok) rejected++;
  }
  assert.equal(rejected, 200);
  const m = tinyGateModel().bytes;
  for (let i = 0; i < m.length; i += 3) {
    const copy = m.slice();
    copy[i] ^= 0x5a;
    assert.doesNotThrow(() => validateModel(copy));
  }
});

test('validateModel: unsupported IR or opset', () => {
  rejects(tinyGateModel({ irVersion: 2 }).bytes, /unsupported ONNX IR version 2 \(supported: 3 to 13\)/);
  rejects(tinyGateModel({ irVersion: 14 }).bytes, /IR version 14/);
  const base = { nodes: [], initializers: [], inputs: [{ name: 'input_ids', elemType: 7 }], outputs: [{ name: 'logits' }, { name: 'attn_probs_l0' }] };
  rejects(writeModel({ ...base, opset: 6 }), /unsupported ai\.onnx opset 6 \(supported: 7 to 26\)/);
  rejects(writeModel({ ...base, opset: 27 }), /opset 27/);
  assert.ok(validateModel(writeModel({ ...base, opset: 26 })).ok);
});

test('validateModel: missing input_ids, logits or gates', () => {
  rejects(tinyGateModel({ omit: 'input_ids' }).bytes, /no input named input_ids .*its inputs are tokens/);
  rejects(tinyGateModel({ omit: 'logits' }).bytes, /no output named logits; its outputs are engram_alpha_l0/);
  rejects(
    tinyGateModel({ omit: 'gates' }).bytes,
    /no gate outputs: looked for engram_alpha_l\{i\}, moe_probs_l\{i\}, attn_probs_l\{i\}, hc_res_l\{i\}, hc_pre_l\{i\}, hc_post_l\{i\}, ssm_delta_l\{i\}, decay_l\{i\}, write_l\{i\}, titans_theta_l\{i\}, titans_alpha_l\{i\}, titans_eta_l\{i\}; its outputs are logits, alpha/,
  );
  const floatIds = writeModel({ nodes: [], initializers: [], inputs: [{ name: 'input_ids', elemType: 1 }], outputs: [{ name: 'logits' }, { name: 'moe_probs_l0' }] });
  rejects(floatIds, /input_ids must be int64, found float32/);
});
