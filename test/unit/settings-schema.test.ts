/**
 * One source of truth for settings, hardware and dtypes: package.json `contributes.configuration` and the
 * hardware table of docs/costs.md are what the schema and the catalogue generate (`npm run gen`), and the
 * server's reader takes its defaults and enums from the same schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { generatedFiles } from '../../extension/dev/contributions';
import { SETTINGS, configurationContribution, hardwareDescription, dtypeDescription, siFigure } from '../../language-server/src/settings/schema';
import { HARDWARE, findHardware } from '../../language-server/src/cost/hardware';
import { DTYPES } from '../../language-server/src/kinds/dtypes';
import { DEFAULT_SETTINGS, readSettings, readSettingsReport } from '../../language-server/src/server/features/settings';
import { parseParallel } from '../../language-server/src/settings/parallel';
import { FRAMEWORKS } from '../../language-server/src/serving/calibration';
import { gpuHardware } from '../../language-server/src/measure/measure';

const root = path.join(__dirname, '..', '..');

for (const g of generatedFiles(root)) {
  test(`${g.file} is what the schema and the catalogue generate (run npm run gen)`, () => {
    assert.equal(g.current, g.expected);
  });
}

test('package.json lists every catalogue device and every dtype, with a description each', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  // Catalogue ids in the first anyOf branch (completions with descriptions), any other id in the second
  // (custom devices): no top-level enum, which VS Code would flag custom ids against.
  const hw = props['archlens.hardware'];
  assert.equal(hw.enum, undefined);
  assert.deepEqual(hw.anyOf[0].enum, HARDWARE.map((h) => h.id));
  assert.equal(hw.anyOf[0].enumDescriptions.length, HARDWARE.length);
  assert.ok(new RegExp(hw.anyOf[1].pattern).test('my-gpu.v2'));
  assert.equal(props['archlens.customHardware'].type, 'array');
  assert.deepEqual(props['archlens.customHardware'].items.required, ['id', 'bf16', 'bandwidth', 'memory']);
  assert.equal(props['archlens.customHardware'].items.additionalProperties, false);
  assert.deepEqual(props['archlens.dtype'].enum, ['', ...DTYPES]);
  assert.equal(props['archlens.dtype'].enumDescriptions.length, DTYPES.length + 1);
  assert.deepEqual(Object.keys(props), Object.keys(configurationContribution().properties));
});

test('hardware descriptions keep the datasheet wording', () => {
  const d = (id: string): string => hardwareDescription(findHardware(id)!);
  assert.equal(d('h100'), 'NVIDIA H100 SXM5 80GB — 989 TFLOP/s bf16, 3.35 TB/s HBM3');
  assert.equal(d('b200'), 'NVIDIA B200 180GB (HGX) — 2.25 PFLOP/s bf16, 7.7 TB/s HBM3e');
  assert.equal(d('a100'), 'NVIDIA A100 SXM 80GB — 312 TFLOP/s bf16, 2.04 TB/s HBM2e, no fp8');
  assert.equal(d('rtx4090'), 'NVIDIA GeForce RTX 4090 24GB — 165 TFLOP/s bf16, 1.01 TB/s GDDR6X');
  assert.equal(d('tpu-v5e'), 'Google TPU v5e — 197 TFLOP/s bf16, 819 GB/s HBM2, 16 GB, no fp8');
  assert.match(d('m3max'), /^Apple M3 Max \(40-core GPU, 128GB\) — ~14\.2 TFLOP\/s bf16 \(estimate\), 400 GB\/s unified memory/);
  assert.equal(siFigure(1307.4e12, [['PFLOP/s', 1e15], ['TFLOP/s', 1e12]]), '1.31 PFLOP/s');
});

test('dtype descriptions come from the byte widths', () => {
  assert.equal(dtypeDescription('fp32'), '4 bytes');
  assert.equal(dtypeDescription('tf32'), '4 bytes (TF32 tensor cores)');
  assert.equal(dtypeDescription('int8'), '1 byte');
  assert.equal(dtypeDescription('nf4'), '0.5 byte (NormalFloat4)');
});

test('the server reader: schema defaults, enums and minimums; nested and flat keys', () => {
  assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
  assert.equal(DEFAULT_SETTINGS.hardware, SETTINGS.hardware.default);
  assert.deepEqual(readSettings({ hardware: 'a100', seq: 8192.7, batch: 4, dtype: 'fp8', inlayHints: { enabled: false }, 'codeLens.enabled': false }),
    { ...DEFAULT_SETTINGS, hardware: 'a100', seq: 8192, batch: 4, dtype: 'fp8', inlayHints: false, codeLens: false, customHardware: [] });
  assert.deepEqual(readSettings({ hardware: 'nope', seq: -1, batch: 0, dtype: 'fp7', inlayHints: 'x' }), DEFAULT_SETTINGS);
  assert.equal(readSettings({ hardware: 'H200' }).hardware, 'H200', 'findHardware spellings are accepted');
});

test('the serving settings: gpus, parallel (tp=N,pp=N,ep=N), framework, input, output', () => {
  assert.deepEqual(
    [DEFAULT_SETTINGS.gpus, DEFAULT_SETTINGS.parallel, DEFAULT_SETTINGS.framework, DEFAULT_SETTINGS.input, DEFAULT_SETTINGS.output], [1, '', 'vllm', 1024, 256]);
  const ok = readSettingsReport({ gpus: 8, parallel: 'tp=4, pp=2', framework: 'sglang', input: 0, output: 128 });
  assert.deepEqual(ok.problems, []);
  assert.deepEqual([ok.settings.gpus, ok.settings.parallel, ok.settings.framework, ok.settings.input, ok.settings.output], [8, 'tp=4, pp=2', 'sglang', 0, 128]);
  const bad = readSettingsReport({ gpus: 0, parallel: 'tp:4', framework: 'tgi', input: -1 });
  assert.deepEqual([bad.settings.gpus, bad.settings.parallel, bad.settings.framework, bad.settings.input], [1, '', 'vllm', 1024]);
  assert.equal(bad.problems.length, 2);
  assert.match(bad.problems[0], /archlens\.parallel 'tp:4' is not of the form/);
  assert.match(bad.problems[1], /archlens\.framework 'tgi' is unknown/);
  assert.deepEqual(parseParallel('', 8), { tp: 8, pp: 1, ep: 1 });
  assert.deepEqual(parseParallel('pp=2,tp=4', 8), { tp: 4, pp: 2, ep: 1 });
  assert.deepEqual(parseParallel('tp=8,ep=8', 8), { tp: 8, pp: 1, ep: 8 });
  assert.match((parseParallel('tp=2,tp=4', 8) as { error: string }).error, /tp twice/);
  assert.ok('error' in parseParallel('tp=0', 8) && 'error' in parseParallel('dp=2', 8));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).contributes.configuration.properties;
  assert.deepEqual(pkg['archlens.framework'].enum, FRAMEWORKS);
  const re = new RegExp(pkg['archlens.parallel'].pattern);
  assert.ok(['', 'tp=8', 'tp=4,pp=2', ' tp = 2 , ep = 2 '].every((v) => re.test(v)));
  assert.ok(!['tp=', 'tp=0', 'tp=4;pp=2', 'dp=2', 'tp=4,'].some((v) => re.test(v)));
});

test('the status bar and the GPU detection use the catalogue', () => {
  assert.equal(new Set(HARDWARE.map((h) => h.short)).size, HARDWARE.length, 'short names are distinct');
  const statusBar = fs.readFileSync(path.join(root, 'extension/statusBar.ts'), 'utf8');
  assert.ok(statusBar.includes('findHardware(id)?.short') && !statusBar.includes("'RTX 4090'"), 'the status bar labels come from the catalogue');
  assert.equal(gpuHardware('NVIDIA H100 80GB HBM3')?.id, 'h100');
  assert.equal(gpuHardware('NVIDIA H200')?.id, 'h200');
  assert.equal(gpuHardware('NVIDIA GeForce RTX 4090')?.id, 'rtx4090');
  assert.equal(gpuHardware('AMD Instinct MI300X')?.id, 'mi300x');
  assert.equal(gpuHardware('Tesla T4'), undefined);
  // Keys that are substrings of others: the longest match wins.
  assert.equal(gpuHardware('NVIDIA H20')?.id, 'h20');
  assert.equal(gpuHardware('NVIDIA GB200')?.id, 'gb200');
  assert.equal(gpuHardware('NVIDIA L4')?.id, 'l4');
  assert.equal(gpuHardware('NVIDIA L40S')?.id, 'l40s');
  assert.equal(gpuHardware('NVIDIA A10G')?.id, 'a10g');
});

test('the README points at the generated hardware table instead of listing ids', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.ok(readme.includes('docs/costs.md#hardware-catalogue'));
  assert.ok(!/`h100`, `h200`/.test(readme), 'README repeats the hardware list');
});
