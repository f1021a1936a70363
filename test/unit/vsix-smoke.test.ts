/**
 * Smoke test of the shipped package: the linux-x64 VSIX (built by extension/dev/package.ts, or reused when newer
 * than every input) is unzipped into a clean temp folder, and from those files only:
 *  (a) the extension bundle loads (with a stub 'vscode') and exports activate/deactivate;
 *  (b) the language server bundle answers initialize, didOpen (importing the shipped stdlib) and hover;
 *  (c) the inference worker runs the shipped model on CPU with the packaged onnxruntime files.
 * A file left out of the .vscodeignore allow-list makes one of these fail.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Module from 'module';
import { pathToFileURL } from 'url';
import { unzip } from '../helpers/zip';
import { startServer } from '../helpers/lspClient';
import { InferenceRunner } from '../../extension/inference/runner';
import { ROOT, packageAll, vsixPath } from '../../extension/dev/package';

const INPUTS = ['language-server/src', 'language-server/stdlib', 'extension', 'webview', 'models', 'package.json', 'esbuild.mjs', 'media', 'docs/images',
  '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'node_modules/onnxruntime-node/package.json'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

function freshVsix(): string {
  const file = vsixPath('linux-x64');
  const newest = Math.max(...INPUTS.map((i) => newestMtime(path.join(ROOT, i))));
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < newest) packageAll(['linux-x64'], { quiet: true });
  return file;
}

let dir = '';
let ext = '';
let files: string[] = [];

before(() => {
  const vsix = freshVsix();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-vsix-'));
  files = unzip(vsix, dir);
  ext = path.join(dir, 'extension');
});
after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

test('the VSIX carries what the extension needs and nothing from the source tree', () => {
  for (const f of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'dist/extension.js', 'dist/server.js', 'dist/inference.js',
    'dist/webview.js', 'dist/webview.css', 'dist/stdlib/README.md', 'dist/syntaxes/arch.tmLanguage.json', 'models/engram-moe-tiny.onnx', 'models/engram-moe-tiny.arch',
    'extension/contrib/language-configuration.json', 'dist/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node']) {
    assert.ok(files.includes(`extension/${f}`), `missing ${f}`);
  }
  const ALLOWED = new RegExp('^(\\[Content_Types\\]\\.xml|extension\\.vsixmanifest|extension/(package\\.json|readme\\.md|changelog\\.md|LICENSE\\.txt'
    + '|dist/(extension|server|inference|webview)\\.js|dist/webview\\.css|dist/syntaxes/arch\\.tmLanguage\\.json|dist/stdlib/[\\w.-]+\\.(arch|md)'
    + '|dist/node_modules/onnxruntime-(node|common)/.+\\.(js|json|node|so\\.1)|models/[\\w.-]+\\.(onnx|arch)|extension/contrib/.+\\.json|docs/images/[\\w-]+\\.png|media/icon\\.png|media/walkthrough/[\\w-]+\\.md))$');
  assert.deepEqual(files.filter((f) => !ALLOWED.test(f)), [], 'files outside the run-time allow-list');
  assert.deepEqual(files.filter((f) => f.includes('/napi-v6/') && !f.includes('/napi-v6/linux/x64/')), [], 'other platforms\' binaries');
});

test('the packaged README renders: every image it shows, the icon and the walkthrough media are in the VSIX', () => {
  const readme = fs.readFileSync(path.join(ext, 'readme.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 3, `README shows ${images.length} images`);
  for (const img of images) assert.ok(files.includes(`extension/${img}`), `README image ${img} is not packaged`);
  const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
  assert.ok(files.includes(`extension/${manifest.icon}`), 'the icon is packaged');
  assert.equal(fs.readFileSync(path.join(ext, manifest.icon)).subarray(1, 4).toString(), 'PNG');
  const steps = manifest.contributes.walkthroughs[0].steps as { media: { markdown: string } }[];
  for (const s of steps) assert.ok(files.includes(`extension/${s.media.markdown}`), `walkthrough ${s.media.markdown} is not packaged`);
  assert.equal(manifest.files, undefined, 'the npm files list stays out of the VSIX manifest');
});

/** A stand-in for the 'vscode' module: every property, call and construction yields another stand-in. */
function vscodeStub(): unknown {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(function stub() { /* callable */ }, {
    get(target, key) {
      if (key === 'prototype') return target.prototype;
      if (typeof key === 'symbol' || key === 'then') return undefined;
      if (!cache.has(key)) cache.set(key, vscodeStub());
      return cache.get(key);
    },
    apply: () => vscodeStub(),
    construct: () => ({}),
  });
}

test('(a) the extension bundle loads from the unpacked VSIX and exports activate/deactivate', () => {
  const M = Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
  const original = M._resolveFilename;
  const fake = path.join(dir, 'vscode-stub.js');
  const stubModule = new Module(fake);
  stubModule.exports = vscodeStub();
  stubModule.loaded = true;
  require.cache[fake] = stubModule;
  M._resolveFilename = function (req: string, ...rest: unknown[]) { return req === 'vscode' ? fake : original.call(this, req, ...rest); };
  try {
    const api = require(path.join(ext, 'dist', 'extension.js')) as { activate?: unknown; deactivate?: unknown };
    assert.equal(typeof api.activate, 'function');
    assert.equal(typeof api.deactivate, 'function');
  } finally {
    M._resolveFilename = original;
  }
});

test('(b) the server bundle from the unpacked VSIX answers initialize, didOpen and hover', async () => {
  const s = await startServer({ hardware: 'h100' }, path.join(ext, 'dist', 'server.js'));
  try {
    const uri = pathToFileURL(path.join(dir, 'main.arch')).toString();
    const text = 'import "std/llama3.arch"\nmodel M {\n  vocab = 1000\n  d_model = 64\n  layers 2 {\n    attention(heads: 4, kv_heads: 2)\n  }\n}\n';
    s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'arch', version: 1, text } });
    const diags = await s.diagnostics(uri, 1);
    assert.deepEqual(diags.map((d) => d.message), [], 'the shipped stdlib resolves and the file checks');
    const h = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 6 } }) as { contents: { value: string } } | null;
    assert.match(h?.contents.value ?? '', /attention/);
  } finally {
    await s.stop();
  }
});

test('(c) the shipped model runs on CPU through the unpacked inference worker and onnxruntime files', async () => {
  const runner = new InferenceRunner(path.join(ext, 'dist', 'inference.js'), { env: { NODE_PATH: '' }, timeoutMs: 60_000 });
  try {
    const ids = Array.from(new TextEncoder().encode('The state of the union is strong.'));
    const r = await runner.run({ modelPath: path.join(ext, 'models', 'engram-moe-tiny.onnx'), inputIds: ids, providers: ['cpu'] });
    const logits = r.outputs.find((o) => o.name === 'logits');
    assert.ok(logits, 'logits output');
    assert.deepEqual(logits.dims.slice(0, 2), [1, ids.length]);
    assert.ok(Array.from(logits.data.slice(0, 100)).every(Number.isFinite));
    assert.ok(r.attempts.some((a) => a.provider === 'cpu' && a.ok));
  } finally {
    runner.dispose();
  }
});
