/**
 * Compiled probe files (extension/inference/probeFiles.ts): a private folder (owner-only, never a symbolic link),
 * files created exclusively and named by their hash, a planted link or foreign file at that name is neither
 * followed nor reused, cleanup deletes probe files only; the worker refuses to run a probe whose bytes changed;
 * Restricted Mode measures probes only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deleteProbeFiles, ensurePrivateDir, fileHasHash, sha256, writeProbeFile } from '../../extension/inference/probeFiles';
import { handleCompileProbe } from '../../extension/inference/probeJob';
import { InferenceRunner } from '../../extension/inference/runner';
import { measureTrustProblem } from '../../extension/panels/trust';
import { serverSnapshot } from '../helpers/snapshot';

const ROOT = path.join(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'dist', 'inference.js');
const BYTES = new Uint8Array([8, 7, 1, 2, 3]);

function withTmp(fn: (tmp: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-probefiles-')));
    try { await fn(tmp); } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  };
}

test('probe files: private folder, exclusive creation, verified reuse; planted links and files are not used', withTmp((tmp) => {
  const dir = path.join(tmp, 'storage', 'probes');
  const first = writeProbeFile(dir, 'M', BYTES);
  assert.equal(first.path, path.join(dir, `M-${sha256(BYTES)}.onnx`));
  assert.equal(fs.statSync(dir).mode & 0o077, 0, 'the folder is owner-only');
  assert.equal(fs.statSync(first.path).mode & 0o077, 0, 'the file is owner-only');
  assert.deepEqual(writeProbeFile(dir, 'M', BYTES), first, 'an identical verified file is reused');
  fs.writeFileSync(first.path, 'planted');
  assert.ok(!fileHasHash(first.path, first.sha256));
  writeProbeFile(dir, 'M', BYTES);
  assert.ok(fileHasHash(first.path, first.sha256), 'a foreign file at the name is replaced');
  const victim = path.join(tmp, 'victim.txt');
  fs.writeFileSync(victim, 'keep me');
  fs.rmSync(first.path);
  fs.symlinkSync(victim, first.path);
  writeProbeFile(dir, 'M', BYTES);
  assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me', 'a planted link is not followed');
  assert.ok(!fs.lstatSync(first.path).isSymbolicLink() && fileHasHash(first.path, first.sha256));
  assert.ok(writeProbeFile(dir, '../../evil name', BYTES).path.startsWith(`${dir}${path.sep}______evil_name-`));
}));

test('probe folder: a symbolic link or a relative path is refused; cleanup deletes only probe files', withTmp((tmp) => {
  fs.mkdirSync(path.join(tmp, 'elsewhere'));
  fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(tmp, 'linked'));
  assert.throws(() => ensurePrivateDir(path.join(tmp, 'linked')), /not a plain directory/);
  assert.throws(() => writeProbeFile('relative/probes', 'M', BYTES), /absolute path/);
  const dir = path.join(tmp, 'probes');
  writeProbeFile(dir, 'A', BYTES);
  writeProbeFile(dir, 'B', new Uint8Array([1]));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
  assert.equal(deleteProbeFiles(dir), 2);
  assert.deepEqual(fs.readdirSync(dir), ['notes.txt']);
  assert.equal(deleteProbeFiles(path.join(tmp, 'missing')), 0);
  fs.chmodSync(dir, 0o755);
  ensurePrivateDir(dir);
  assert.equal(fs.statSync(dir).mode & 0o077, 0, 'an existing folder with looser rights is made owner-only');
}));

test('the worker runs a compiled probe only while its bytes match the hash it was compiled with', { skip: !fs.existsSync(WORKER) && 'build first: node esbuild.mjs' }, withTmp(async (tmp) => {
  const snapshot = serverSnapshot(path.join(ROOT, 'examples', 'deepseek_v2_lite.arch'), { root: ROOT });
  const p = handleCompileProbe({ snapshot, probe: 'layers=1,width=16', seq: 8, dir: path.join(tmp, 'probes') });
  const runner = new InferenceRunner(WORKER, { timeoutMs: 60_000 });
  try {
    const ok = await runner.run({ modelPath: p.path, inputIds: [1, 2, 3, 4, 5, 6, 7, 8], sha256: p.sha256, providers: ['cpu'] });
    assert.ok(ok.outputs.length > 0);
    const other = path.join(tmp, 'other.onnx');
    fs.copyFileSync(p.path, other);
    fs.appendFileSync(other, new Uint8Array([0]));
    await assert.rejects(runner.run({ modelPath: other, inputIds: [1], sha256: p.sha256, providers: ['cpu'] }), /changed on disk/);
  } finally {
    runner.dispose();
  }
}));

test('Restricted Mode: the dashboard measures probes only', () => {
  assert.equal(measureTrustProblem('', true), undefined);
  assert.equal(measureTrustProblem('layers=2,width=8', false), undefined);
  assert.match(measureTrustProblem('', false) ?? '', /^Restricted Mode: only a probe/);
  assert.match(measureTrustProblem('  ', false) ?? '', /^Restricted Mode/);
});
