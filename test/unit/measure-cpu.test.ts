/**
 * CPU micro-benchmark (language-server/src/measure/cpu.ts): sane figures, cached once per machine key in
 * ARCHLENS_CACHE_DIR (a temp dir here), a cache hit does not re-measure, a corrupt file is ignored; the
 * Hardware record built from it feeds the cost engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cacheDir, cpuCachePath, cpuFigures, cpuHardware, cpuKey, isCpuFigures } from '../../language-server/src/measure/cpu';
import { peakFlops } from '../../language-server/src/cost/hardware';
import type { Timer } from '../../language-server/src/measure/types';
import { ortTimer, ortVersion } from '../../language-server/src/runtime/ortTimer';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-cache-'));

test('cache dir: ARCHLENS_CACHE_DIR, else XDG_CACHE_HOME/archlens, else ~/.cache/archlens', () => {
  assert.equal(cacheDir({ ARCHLENS_CACHE_DIR: '/x/y' }), '/x/y');
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/c' }), path.join('/c', 'archlens'));
  assert.equal(cacheDir({}), path.join(os.homedir(), '.cache', 'archlens'));
  assert.match(path.basename(cpuCachePath(cpuKey('rt'), { ARCHLENS_CACHE_DIR: '/x' })), /^cpu-[0-9a-f]{16}\.json$/);
  assert.notEqual(cpuKey('onnxruntime-node 1.30.0'), cpuKey('onnxruntime-node 1.31.0'), 'another runtime re-measures');
});

test('micro-benchmark: finite, plausible peak FLOP/s and bandwidth; measured once, then read from the cache', async () => {
  const env = { ARCHLENS_CACHE_DIR: tmp() };
  let loads = 0;
  const counting: Timer = { load: (b, p) => { loads++; return ortTimer.load(b, p); } };
  const opts = { runtime: ortVersion(), matmulN: 512, streamBytes: 16 * 2 ** 20, runs: 3 };
  const first = await cpuFigures(counting, opts, env);
  assert.equal(first.cached, false);
  assert.equal(loads, 2, 'one MatMul and one stream session');
  const f = first.figures;
  assert.ok(isCpuFigures(f));
  assert.ok(f.flops > 1e8 && f.flops < 1e14, `peak ${f.flops} FLOP/s`);
  assert.ok(f.bandwidth > 1e8 && f.bandwidth < 1e13, `bandwidth ${f.bandwidth} B/s`);
  assert.equal(f.cores, os.cpus().length);
  assert.ok(fs.existsSync(cpuCachePath(f.key, env)));
  const second = await cpuFigures(counting, opts, env);
  assert.equal(second.cached, true);
  assert.equal(loads, 2, 'a cache hit runs nothing');
  assert.deepEqual(second.figures, f);
  const hw = cpuHardware(f);
  assert.equal(peakFlops(hw, 'fp32'), f.flops);
  assert.equal(peakFlops(hw, 'bf16'), f.flops);
  assert.equal(hw.bandwidth, f.bandwidth);
});

test('a corrupt or foreign cache file is ignored and replaced', async () => {
  const env = { ARCHLENS_CACHE_DIR: tmp() };
  const key = cpuKey('fake');
  fs.writeFileSync(cpuCachePath(key, env), '{"key": "other", "flops": -1}');
  const fake: Timer = { load: async () => ({ provider: 'cpu', attempts: [], time: async () => [2, 1, 3], release: async () => undefined }) };
  const r = await cpuFigures(fake, { runtime: 'fake', matmulN: 100, streamBytes: 4e6 }, env);
  assert.equal(r.cached, false);
  assert.equal(r.figures.flops, (2 * 100 ** 3) / 1e-3, 'best (minimum) time of the samples');
  assert.equal(r.figures.bandwidth, 4e6 / 1e-3);
  assert.equal((await cpuFigures(fake, { runtime: 'fake' }, env)).cached, true);
});
