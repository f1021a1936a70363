/**
 * The command-line tool as a user installs it: `npm pack` → `npm install -g` of the tarball into a temp prefix
 * (offline: the package has no run-time dependencies) → `archlens report` from a folder outside the checkout,
 * importing the standard library. The tarball carries only the launcher, the CLI bundle and the stdlib.
 * Needs the build (`node esbuild.mjs`, done by test/run.sh); `npm pack` runs it itself through `prepack`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const MAX_TARBALL_BYTES = 512 * 1024;
let tmp = '';
let tarball = '';
let packed: { files: { path: string }[]; size: number };

const npm = (args: string[], cwd: string): string => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd, encoding: 'utf8', env: { ...process.env, npm_config_cache: path.join(tmp, 'npm-cache'), npm_config_update_notifier: 'false' },
});

before(() => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'cli.js')), 'build first: node esbuild.mjs');
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-pack-')));
  // --ignore-scripts: the suite has built dist/ already; rebuilding it here would race the other suites.
  [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], ROOT));
  tarball = path.join(tmp, fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
});
after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

test('the npm tarball holds the launcher, the CLI bundle and the stdlib, and is small', () => {
  const files = packed.files.map((f) => f.path).sort();
  const unexpected = files.filter((f) => !/^(package\.json|README\.md|LICENSE|bin\/archlens\.js|dist\/cli\.js|dist\/stdlib\/[\w.-]+\.(arch|md))$/.test(f));
  assert.deepEqual(unexpected, [], 'files outside the CLI allow-list');
  for (const f of ['bin/archlens.js', 'dist/cli.js', 'dist/stdlib/llama3.arch']) assert.ok(files.includes(f), `missing ${f}`);
  assert.ok(packed.size < MAX_TARBALL_BYTES, `tarball is ${packed.size} bytes`);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'the CLI installs with no dependencies (everything is bundled)');
});

test('installed globally into a temp prefix, `archlens report` works from another folder', () => {
  const prefix = path.join(tmp, 'prefix');
  npm(['install', '--global', '--offline', '--prefix', prefix, tarball], tmp);
  const bin = path.join(prefix, 'bin', 'archlens');
  assert.ok(fs.existsSync(bin), 'npm linked the archlens command');
  const work = fs.mkdtempSync(path.join(tmp, 'elsewhere-'));
  fs.writeFileSync(path.join(work, 'mine.arch'), 'import "std/llama3.arch"\nmodel Mine extends Llama3_8B { context = 8Ki }\n');
  const r = spawnSync(bin, ['report', 'mine.arch', '--model', 'Mine'], { cwd: work, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^model Mine {2}— {2}L = 8,192/m);
  assert.match(r.stdout, /params +8,030,261,248 total/);
  const v = spawnSync(bin, ['--version'], { cwd: work, encoding: 'utf8' });
  assert.equal(v.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  const run = spawnSync(bin, ['run', 'mine.arch', '--probe', 'layers=2,width=8'], { cwd: work, encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /'run' needs onnxruntime-node, an optional dependency: npm install -g onnxruntime-node/);
});
