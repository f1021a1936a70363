/** `npm run gpu-check` without a GPU: its argument handling, and a dry run that plans and checks the setup only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gpuCheckPlan, parseGpuCheckArgs } from '../bench/gpuCheckArgs';

test('gpu-check arguments: realistic defaults, validated flags', () => {
  const d = parseGpuCheckArgs([]);
  assert.deepEqual(d, { providers: ['cuda', 'webgpu'], probe: 'layers=8,d_model=1024', seq: 2048, runs: 5, examples: undefined, out: 'docs/gpu-results.md', dryRun: false, help: false });
  const o = parseGpuCheckArgs(['--providers', 'webgpu', '--seq', '64', '--examples', 'a.arch, b.arch', '--dry-run']);
  assert.deepEqual([o.providers, o.seq, o.examples, o.dryRun], [['webgpu'], 64, ['a.arch', 'b.arch'], true]);
  assert.throws(() => parseGpuCheckArgs(['--providers', 'cpu']), /--providers takes GPU providers \(cuda, webgpu, dml, coreml\), not 'cpu'/);
  assert.throws(() => parseGpuCheckArgs(['--seq', '0']), /--seq must be a positive integer, not '0'/);
  assert.throws(() => parseGpuCheckArgs(['--probe', 'depth=3']), /bad probe setting 'depth=3'/);
  assert.throws(() => parseGpuCheckArgs(['--bogus']), /Unknown option '--bogus'/);
  assert.deepEqual(gpuCheckPlan(o, ['mlp'], ['a.arch']), [
    'webgpu: bundled model (T = 32) vs cpu', 'webgpu: compiled probes of 1 block kinds (T = 8) vs cpu: mlp',
    'webgpu: measure 1 example models at probe layers=8,d_model=1024, seq 64, 5 runs: a.arch', 'write docs/gpu-results.md',
  ]);
});

test('gpu-check --dry-run plans every provider and names what CUDA lacks, running nothing', () => {
  const root = join(__dirname, '..', '..');
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/bench/gpuCheck.ts', '--dry-run', '--providers', 'cuda'], { cwd: root, encoding: 'utf8' });
  assert.match(out, /plan: cuda: bundled model \(T = 32\) vs cpu/);
  assert.match(out, /plan: cuda: measure \d+ example models at probe layers=8,d_model=1024, seq 2048/);
  assert.match(out, /^cuda: (available|.*not found.*|the CUDA provider needs .*)$/m);
  const bad = (() => { try { execFileSync(process.execPath, ['--import', 'tsx', 'test/bench/gpuCheck.ts', '--runs', 'x'], { cwd: root, encoding: 'utf8', stdio: 'pipe' }); return 0; } catch (e) { return (e as { status: number }).status; } })();
  assert.equal(bad, 2, 'bad arguments exit 2 with the usage');
});
