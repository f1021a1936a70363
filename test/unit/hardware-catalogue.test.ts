/**
 * The hardware catalogue's serving fields (fp4, int8, interconnect per direction, gpusPerNode) on every entry,
 * sane ridge points, the datasheet figures of the interconnects, and user-defined devices
 * (`archlens.customHardware` parsing, the server's settings reader, `archlens report --hardware-file`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HARDWARE, findHardware } from '../../language-server/src/cost/hardware';
import { parseCustomHardware } from '../../language-server/src/cost/customHardware';
import { costOptions, readSettingsReport } from '../../language-server/src/server/features/settings';
import { main } from '../../language-server/src/cli/main';

const GB = 1e9;
const hw = (id: string) => findHardware(id)!;

test('every catalogue entry has the serving fields and a source', () => {
  assert.ok(HARDWARE.length >= 22);
  assert.equal(new Set(HARDWARE.map((h) => h.id)).size, HARDWARE.length, 'ids are distinct');
  for (const h of HARDWARE) {
    assert.ok(h.source.trim().length > 20, `${h.id}: source`);
    assert.ok(h.interconnect.name.trim() && h.interconnect.source.trim(), `${h.id}: interconnect name and source`);
    assert.ok(Number.isFinite(h.interconnect.bandwidth) && h.interconnect.bandwidth >= 0, `${h.id}: interconnect bandwidth`);
    assert.ok(Number.isInteger(h.gpusPerNode) && h.gpusPerNode >= 1, `${h.id}: gpusPerNode`);
    for (const k of ['fp8', 'fp4', 'int8'] as const) assert.ok(h[k] === null || (Number.isFinite(h[k]) && h[k]! > 0), `${h.id}: ${k}`);
    assert.equal(h.interconnect.bandwidth === 0, h.gpusPerNode === 1 && h.interconnect.name.startsWith('none'), `${h.id}: no fabric exactly on single devices without one`);
  }
});

test('ridge points (peak / memory bandwidth) lie between 10 and 2000 FLOP/B for every dtype', () => {
  for (const h of HARDWARE) {
    for (const peak of [h.bf16, h.fp8, h.fp4, h.int8]) {
      if (peak === null) continue;
      const ridge = peak / h.bandwidth;
      assert.ok(ridge > 10 && ridge < 2000, `${h.id}: ridge ${ridge.toFixed(0)} FLOP/B`);
    }
  }
});

test('interconnects are per direction (datasheet totals halved)', () => {
  const bw = (id: string): number => hw(id).interconnect.bandwidth / GB;
  assert.equal(bw('h100'), 450);
  assert.equal(bw('h200'), 450);
  assert.equal(bw('h800'), 200);
  assert.equal(bw('a100'), 300);
  assert.equal(bw('b200'), 900);
  assert.equal(bw('gb200'), 900);
  assert.equal(bw('mi300x'), 448);
  assert.equal(bw('l4'), 32);
  assert.equal(bw('rtx5090'), 64);
  assert.equal(bw('tpu-v6e'), 400);
  assert.equal(bw('m4max'), 0);
  assert.deepEqual([hw('h100').gpusPerNode, hw('gb200').gpusPerNode, hw('rtx4090').gpusPerNode, hw('tpu-v5p').gpusPerNode], [8, 72, 1, 4]);
});

test('native fp4 only where the datasheet has it; dense figures of the new devices', () => {
  const withFp4 = HARDWARE.filter((h) => h.fp4 !== null).map((h) => h.id).sort();
  assert.deepEqual(withFp4, ['b200', 'b300', 'gb200', 'mi355x', 'rtx5090']);
  assert.equal(hw('h20').bf16, 148e12);
  assert.equal(hw('l4').fp8, 242.5e12, 'sparse-only datasheet halved');
  assert.equal(hw('gaudi3').int8, null);
  assert.equal(hw('mi325x').memory, 256 * GB);
  assert.equal(hw('tpu-v6e').bandwidth, 1638 * GB);
  for (const id of ['a10g', 'm3max', 'm4max']) assert.equal(hw(id).estimated, true, `${id} is marked estimated`);
});

const GOOD = { id: 'my-gpu', name: 'My GPU 64GB', bf16: 400, fp8: 800, bandwidth: 2000, memory: 64, interconnect: 100, gpusPerNode: 4 };

test('custom devices: friendly units become catalogue units', () => {
  const { devices, problems } = parseCustomHardware([GOOD]);
  assert.deepEqual(problems, []);
  const d = devices[0];
  assert.deepEqual([d.bf16, d.fp8, d.fp4, d.int8, d.bandwidth, d.memory], [400e12, 800e12, null, null, 2000e9, 64e9]);
  assert.deepEqual([d.interconnect.bandwidth, d.gpusPerNode, d.custom, d.short], [100e9, 4, true, 'my-gpu']);
  assert.equal(findHardware('my-gpu', devices), d);
  assert.equal(findHardware('my-gpu'), undefined, 'not in the catalogue');
});

test('bad custom entries are reported one by one and left out; nothing throws', () => {
  const { devices, problems } = parseCustomHardware([
    GOOD,
    { id: 'H100', bf16: 1, bandwidth: 1, memory: 1 },
    { id: 'my-gpu', bf16: 1, bandwidth: 1, memory: 1 },
    { id: 'slow', bf16: 10, memory: 8 },
    { id: 'neg', bf16: -5, bandwidth: 100, memory: 8 },
    { id: 'bad id!', bf16: 1, bandwidth: 1, memory: 1 },
    'h100',
    { id: 'typo', bf16: 10, bandwidth: 100, memory: 8, bandwith: 3 },
    { id: 'bytes', bf16: 10, bandwidth: 100, memory: 80e9 },
  ]);
  assert.deepEqual(devices.map((d) => d.id), ['my-gpu', 'typo']);
  const expect = [
    /\[1\] \("H100"\): id 'H100' is a catalogue device; choose another id; entry ignored/,
    /\[2\] \("my-gpu"\): id 'my-gpu' is already defined by an earlier entry; entry ignored/,
    /\[3\] \("slow"\): 'bandwidth' is required \(Device memory bandwidth, GB\/s\.\); entry ignored/,
    /\[4\] \("neg"\): 'bf16' must be a positive number \(TFLOP\/s\); entry ignored/,
    /\[5\] \("bad id!"\): 'id' must match/,
    /\[6\]: must be an object; entry ignored/,
    /\[7\] \("typo"\): unknown field 'bandwith' ignored/,
    /\[8\] \("bytes"\): 'memory' = 80000000000 is implausibly large for GB; entry ignored/,
  ];
  assert.equal(problems.length, expect.length, problems.join('\n'));
  problems.forEach((p, i) => assert.match(p, expect[i]));
  assert.deepEqual(parseCustomHardware({ id: 'x' }).problems, ['archlens.customHardware must be an array of device objects; ignored']);
  assert.deepEqual(parseCustomHardware(undefined), { devices: [], problems: [] });
});

test('the server reader: a custom device can be chosen; unknown hardware is reported', () => {
  const { settings, problems } = readSettingsReport({ hardware: 'my-gpu', customHardware: [GOOD, { id: 'broken' }] });
  assert.equal(settings.hardware, 'my-gpu');
  assert.equal(costOptions(settings).hardware.name, 'My GPU 64GB');
  assert.equal(problems.length, 1);
  assert.match(problems[0], /archlens\.customHardware\[1\] \("broken"\): 'bf16' is required/);
  const unknown = readSettingsReport({ hardware: 'broken', customHardware: [{ id: 'broken' }] });
  assert.equal(unknown.settings.hardware, 'h100');
  assert.match(unknown.problems[1], /archlens\.hardware 'broken' is neither a catalogue device nor an archlens\.customHardware id; using 'h100'/);
});

test('archlens report --hardware-file FILE.json uses a custom device; a bad file is an error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-hw-'));
  const good = path.join(dir, 'devices.json'), bad = path.join(dir, 'bad.json');
  fs.writeFileSync(good, JSON.stringify([GOOD]));
  fs.writeFileSync(bad, JSON.stringify([{ id: 'a100', bf16: 1, bandwidth: 1, memory: 1 }]));
  const model = path.join(__dirname, '..', '..', 'language-server', 'stdlib', 'llama3.arch');
  let out = '', err = '';
  const io = { out: (s: string) => { out += s; return true; }, err: (s: string) => { err += s; return true; } };
  assert.equal(await main(['report', model, '--model', 'Llama3_8B', '--hardware', 'my-gpu', '--hardware-file', good, '--json'], io), 0, err);
  assert.deepEqual(JSON.parse(out).hardware, { id: 'my-gpu', name: 'My GPU 64GB' });
  assert.equal(await main(['report', model, '--hardware', 'my-gpu', '--hardware-file', bad], io), 2);
  assert.match(err, /--hardware-file: .*bad\.json\[0\] \("a100"\): id 'a100' is a catalogue device/);
  assert.equal(await main(['report', model, '--hardware', 'my-gpu'], io), 2, 'without the file the id is unknown');
  fs.rmSync(dir, { recursive: true, force: true });
});
