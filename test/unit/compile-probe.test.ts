/** Probes: layer selection keeps the selector pattern; widths keep divisibility; the engine costs the probe itself. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { divisorAtMost, parseProbe, probeModel } from '../../language-server/src/compile/probe';
import { schedule } from '../../language-server/src/compile/compile';
import { runCompile, compileOptions } from '../../language-server/src/cli/compile';
import { parseArgs } from 'util';
import * as fs from 'fs';
import * as os from 'os';
import { readOnnxInfo, validateModel } from '../../language-server/src/onnx/info';

const ROOT = path.join(__dirname, '..', '..');
const model = (file: string, name: string) => analyze(path.join(ROOT, file), nodeHost()).models.find((m) => m.name === name)!;

test('parseProbe reads layers, width, d_model, vocab, seq and slots; rejects unknown keys', () => {
  assert.deepEqual(parseProbe('layers=2,width=8'), { layers: 2, width: 8 });
  assert.deepEqual(parseProbe('d_model=64, vocab=256, slots=100'), { d_model: 64, vocab: 256, maxSlots: 100 });
  assert.throws(() => parseProbe('depth=2'), /bad probe setting/);
  assert.throws(() => parseProbe('layers=0'), /bad probe setting/);
});

test('layer probe keeps the first layers plus the first occurrence of every selector', () => {
  const jamba = probeModel(model('language-server/stdlib/jamba.arch', 'Jamba_v0_1'), { layers: 2 });
  // layers 0, 1 plus layer 4 (first attention, `every 8 from 4`): 3 layers; MoE `every 2 from 1` at layer 1.
  const at = (k: string) => jamba.blocks.filter((b) => b.kind === k && b.layers).map((b) => b.layers!.indices);
  assert.deepEqual(at('attention'), [[2]]);
  assert.deepEqual(at('mamba'), [[0, 1]]);
  assert.deepEqual(at('moe'), [[1]]);
  assert.deepEqual(at('gated_mlp'), [[0, 2]]);
  const steps = schedule(jamba).map((s) => `${s.layer}:${s.block.kind}`);
  assert.deepEqual(steps.slice(0, 5), ['0:embedding', '0:rmsnorm', '0:mamba', '0:rmsnorm', '0:gated_mlp']);
  assert.equal(steps.filter((s) => s.endsWith('attention')).length, 1);
});

test('the engine reports the probe\'s own numbers and they are smaller than the model\'s', () => {
  const m = model('examples/deepseek_v2_lite.arch', 'DeepSeekV2Lite');
  const p = probeModel(m, { layers: 2, width: 32 });
  const hw = findHardware('h100')!;
  const full = costModel(m, { hardware: hw, seq: 16 });
  const small = costModel(p, { hardware: hw, seq: 16 });
  assert.equal(p.dims.d_model, 64);
  assert.ok(small.totals.params.total < full.totals.params.total / 1000);
  // Layer 0 (dense FFN) and layer 1 (MoE): 2 layers of norm, MLA, norm, FFN, plus embedding, final norm, head.
  assert.equal(schedule(p).length, 2 * 4 + 3);
  assert.equal(small.blocks.reduce((s, b) => s + b.instance.count, 0), schedule(p).length);
  const moe = p.blocks.find((b) => b.kind === 'moe')!;
  assert.ok((moe.args.top_k as number) <= (moe.args.experts as number));
});

test('divisorAtMost', () => {
  assert.equal(divisorAtMost(48, 10), 8);
  assert.equal(divisorAtMost(7, 5), 1);
  assert.equal(divisorAtMost(64, 64), 64);
});

test('archlens compile writes a valid gate model and reports the check', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-compile-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'probe.onnx');
  let text = '';
  const args = [path.join(ROOT, 'examples/mhc_llama.arch'), '--model', 'Llama3_8B_mHC', '--probe', 'layers=1,d_model=32', '--seq', '8', '-o', out];
  const rc = runCompile(parseArgs({ args, options: compileOptions, allowPositionals: true, strict: true }), { out: (s) => { text += s; }, err: (s) => { text += s; } });
  assert.equal(rc, 0, text);
  assert.match(text, /params {3}graph (\d+) {2}engine \1 {2}equal/);
  const bytes = new Uint8Array(fs.readFileSync(out));
  const v = validateModel(bytes);
  assert.ok(v.ok, v.ok ? '' : v.message);
  assert.deepEqual(readOnnxInfo(bytes).inputs[0].dims, [1, 8]);
});

test('a full-width probe honours the Engram slot cap (width=1,slots=N); without a cap width 1 changes nothing', () => {
  const m = model('examples/engram_host_offload.arch', analyze(path.join(ROOT, 'examples/engram_host_offload.arch'), nodeHost()).models[0].name);
  const slots = (p: ReturnType<typeof probeModel>) => p.blocks.filter((b) => b.kind === 'engram').map((b) => b.args.slots);
  assert.ok(slots(m).every((s) => (s as number) > 64));
  assert.deepEqual(slots(probeModel(m, parseProbe('layers=2,width=1,slots=64'))).filter((s) => s !== 64), []);
  assert.deepEqual(slots(probeModel(m, parseProbe('width=1'))), slots(m));
});
