/**
 * `npm run package`: per-platform VSIX files in dist-vsix/archlens-<target>.vsix.
 *
 * The extension is built with `node esbuild.mjs --production` inside a staging folder (dist-vsix/stage-<pid>), so the
 * repository's own dist/ (used by tests and `npm start`) is never swapped for minified bundles mid-run. Then,
 * per target, only that platform's onnxruntime files are copied into stage/dist/node_modules (Prisma-style:
 * onnxruntime-node/{package.json,dist}, bin/napi-v6/<os>/<arch>/, onnxruntime-common/{package.json,dist/cjs})
 * and `vsce package --no-dependencies --target <t>` zips what the .vscodeignore allow-list lets through.
 * No network is needed. Run alone: `node --import tsx extension/dev/package.ts [target…]`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const OUT_DIR = path.join(ROOT, 'dist-vsix');
export const TARGETS = ['linux-x64', 'linux-arm64', 'win32-x64', 'darwin-arm64'] as const;
export type Target = (typeof TARGETS)[number];
/** The linux-x64 VSIX must stay below this (issue 6). */
export const MAX_LINUX_X64_BYTES = 60 * 1024 * 1024;

/** Per process, so a test run and a benchmark can package at the same time. */
const STAGE = path.join(OUT_DIR, `stage-${process.pid}`);
/** Source folders the build reads; linked into the stage for the build only. */
const SOURCES = ['language-server', 'extension', 'webview', 'models'];
/** Files and folders the VSIX carries besides dist/ (the .vscodeignore allow-list filters them again). */
const SHIPPED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'extension/contrib', 'docs/images', 'media'];

export interface Packaged { target: Target; file: string; bytes: number }

export function vsixPath(target: Target): string {
  return path.join(OUT_DIR, `archlens-${target}.vsix`);
}

function napiDir(target: Target): string {
  const [os, arch] = target.split('-');
  return path.join('bin', 'napi-v6', os, arch);
}

/** Builds the production bundles into stage/dist and copies the shipped files beside them. */
function stage(quiet: boolean): void {
  fs.rmSync(STAGE, { recursive: true, force: true });
  fs.mkdirSync(STAGE, { recursive: true });
  for (const s of SOURCES) fs.symlinkSync(path.join(ROOT, s), path.join(STAGE, s), 'dir');
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.mjs'), '--production'], { cwd: STAGE, stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'] });
  for (const s of SOURCES) fs.unlinkSync(path.join(STAGE, s));
  fs.rmSync(path.join(STAGE, 'dist', 'cli.js')); // the command-line tool is not part of the extension
  for (const f of SHIPPED) {
    if (fs.existsSync(path.join(ROOT, f))) fs.cpSync(path.join(ROOT, f), path.join(STAGE, f), { recursive: true });
  }
  stagedManifest(path.join(STAGE, 'package.json'));
  fs.mkdirSync(path.join(STAGE, 'models'));
  for (const f of fs.readdirSync(path.join(ROOT, 'models'))) {
    if (/\.(onnx|arch)$/.test(f)) fs.copyFileSync(path.join(ROOT, 'models', f), path.join(STAGE, 'models', f));
  }
}

/**
 * package.json is also the npm package of the command-line tool, whose `files` list (bin + dist/cli.js) vsce
 * refuses beside .vscodeignore: the VSIX's copy drops it (the allow-list decides).
 */
function stagedManifest(file: string): void {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete manifest.files;
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Copies only `target`'s onnxruntime files into stage/dist/node_modules (cleaned first). */
export function stageOnnxRuntime(target: Target, distDir = path.join(STAGE, 'dist')): void {
  const from = path.join(ROOT, 'node_modules');
  const to = path.join(distDir, 'node_modules');
  fs.rmSync(to, { recursive: true, force: true });
  const bin = napiDir(target);
  if (!fs.existsSync(path.join(from, 'onnxruntime-node', bin))) throw new Error(`onnxruntime-node has no binaries for ${target} (${bin})`);
  const parts = [
    'onnxruntime-node/package.json', 'onnxruntime-node/dist', path.join('onnxruntime-node', bin),
    'onnxruntime-common/package.json', 'onnxruntime-common/dist/cjs',
  ];
  for (const p of parts) {
    fs.cpSync(path.join(from, p), path.join(to, p), { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.d.ts') });
  }
}

function vsce(target: Target, quiet: boolean): Packaged {
  const file = vsixPath(target);
  const tmp = `${file}.${process.pid}.tmp`; // written aside, then renamed: readers never see half a file
  const cli = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = ['package', '--no-dependencies', '--target', target, '-o', tmp, '--allow-missing-repository', '--no-rewrite-relative-links'];
  try {
    execFileSync(process.execPath, [cli, ...args], { cwd: STAGE, stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'], env: { ...process.env, VSCE_TELEMETRY_OPTOUT: '1' } });
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return { target, file, bytes: fs.statSync(file).size };
}

/** Builds the VSIX for each of `targets`; throws when the linux-x64 one is too large. */
export function packageAll(targets: readonly Target[] = TARGETS, opts: { quiet?: boolean } = {}): Packaged[] {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  stage(opts.quiet ?? false);
  const out: Packaged[] = [];
  try {
    for (const t of targets) {
      stageOnnxRuntime(t);
      out.push(vsce(t, opts.quiet ?? false));
    }
  } finally {
    fs.rmSync(STAGE, { recursive: true, force: true });
  }
  const linux = out.find((p) => p.target === 'linux-x64');
  if (linux && linux.bytes >= MAX_LINUX_X64_BYTES) throw new Error(`linux-x64 VSIX is ${mb(linux.bytes)}, over the 60 MiB limit`);
  return out;
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

if (require.main === module) {
  const asked = process.argv.slice(2) as Target[];
  const bad = asked.filter((t) => !TARGETS.includes(t));
  if (bad.length) throw new Error(`unknown target(s) ${bad.join(', ')}; known: ${TARGETS.join(', ')}`);
  for (const p of packageAll(asked.length ? asked : TARGETS)) console.log(`${p.target.padEnd(13)} ${mb(p.bytes).padStart(10)}  ${path.relative(ROOT, p.file)}`);
}
