/**
 * The shipped model models/engram-moe-tiny.onnx against its architecture file models/engram-moe-tiny.arch:
 * the cost engine's parameter count must equal the number of elements of the ONNX float initializers.
 * models/export.py exports with do_constant_folding=False and checks that the initializers are exactly the
 * torch parameters (same names, same values, nothing folded or deduplicated), so no constant needs excluding.
 * Also checks the `archlens report --json` CLI path and a per-kind breakdown against initializer names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel, type ModelReport } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { parameterCount, readOnnxInfo, type OnnxInfo } from '../../language-server/src/onnx/info';

const ROOT = path.join(__dirname, '..', '..');
const ARCH = path.join(ROOT, 'models', 'engram-moe-tiny.arch');
const ONNX = path.join(ROOT, 'models', 'engram-moe-tiny.onnx');
const EXPECTED = 2_002_688;

function archReport(): ModelReport {
  const a = analyze(ARCH, nodeHost());
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  const m = a.models.find((x) => x.name === 'EngramMoETiny');
  assert.ok(m, 'model EngramMoETiny in engram-moe-tiny.arch');
  return costModel(m, { hardware: findHardware('h100')! });
}

function onnx(): OnnxInfo {
  return readOnnxInfo(new Uint8Array(fs.readFileSync(ONNX)));
}

/** Elements of the float initializers whose name matches. */
function initSum(info: OnnxInfo, re: RegExp): number {
  return info.initializers.filter((t) => t.dataType === 1 && re.test(t.name)).reduce((s, t) => s + t.size, 0);
}

test('engram-moe-tiny: .arch parameter count equals the ONNX float initializers', () => {
  const info = onnx();
  const r = archReport();
  // every initializer is a float32 trainable weight (export.py asserts the same against torch)
  assert.deepEqual(info.initializers.filter((t) => t.dataType !== 1).map((t) => t.name), []);
  assert.equal(parameterCount(info, { floatOnly: true }), EXPECTED);
  assert.equal(r.totals.params.total, EXPECTED);
  assert.equal(r.totals.params.total, parameterCount(info, { floatOnly: true }));
});

test('engram-moe-tiny: per-kind parameters match initializer groups', () => {
  const info = onnx();
  const r = archReport();
  const kind = (k: string): number => r.blocks.filter((b) => b.instance.kind === k).reduce((s, b) => s + b.all.params, 0);
  assert.equal(kind('embedding'), initSum(info, /^embed\./));
  assert.equal(kind('lm_head'), initSum(info, /^lm_head\./));
  assert.equal(kind('engram'), initSum(info, /\.engram\./));
  assert.equal(kind('attention'), initSum(info, /\.attn\./));
  assert.equal(kind('moe'), initSum(info, /^layers\.[13]\.ffn\./));
  assert.equal(kind('gated_mlp'), initSum(info, /^layers\.[02]\.ffn\./));
  assert.equal(kind('rmsnorm'), initSum(info, /^(norm|layers\.\d+\.norm_(attn|ffn))\./));
  // Engram tables: 2 layers × 8191 slots × 64 dims (4 sub-tables of 16-dim rows)
  assert.equal(initSum(info, /\.engram\.table\./), 2 * 8191 * 64);
});

test('engram-moe-tiny: `archlens report --json` gives the same total', () => {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'archlens.js'), 'report', ARCH, '--json'], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  const json = JSON.parse(res.stdout) as { models: { name: string; totals: { params: { total: number } } }[] };
  assert.equal(json.models[0].name, 'EngramMoETiny');
  assert.equal(json.models[0].totals.params.total, EXPECTED);
});

test('engram-moe-tiny: graph interface follows docs/gates.md', () => {
  const info = onnx();
  assert.deepEqual(info.inputs.map((i) => [i.name, i.elemTypeName, i.dims]), [['input_ids', 'int64', ['batch', 'seq']]]);
  assert.deepEqual(info.outputs.map((o) => o.name), [
    'logits', 'engram_alpha_l1', 'engram_alpha_l2', 'moe_probs_l1', 'moe_probs_l3',
    'attn_probs_l0', 'attn_probs_l1', 'attn_probs_l2', 'attn_probs_l3',
  ]);
  const dims = Object.fromEntries(info.outputs.map((o) => [o.name, o.dims]));
  assert.deepEqual(dims.logits, ['batch', 'seq', 256]);
  assert.deepEqual(dims.engram_alpha_l1, ['batch', 'seq']);
  assert.deepEqual(dims.moe_probs_l3, ['batch', 'seq', 4]);
  assert.deepEqual(dims.attn_probs_l0, ['batch', 4, 'seq', 'seq']);
  assert.equal(info.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version, 17);
  assert.ok(info.byteLength < 10 * 1024 * 1024, `${info.byteLength} bytes`);
});
