// Bundles the CLI, the language server and (when present) the extension client and webview.
// onnxruntime-node and vscode stay external (native binary / provided by the editor).
import * as esbuild from 'esbuild';
import { existsSync, cpSync, mkdirSync } from 'node:fs';
import { writeGrammar } from './extension/dev/grammar.mjs';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', platform: 'node', target: 'node20', format: 'cjs' };

const entries = [
  { entryPoints: ['language-server/src/cli/main.ts'], outfile: 'dist/cli.js', external: ['onnxruntime-node'] },
  { entryPoints: ['language-server/src/server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'onnxruntime-node'] },
  { entryPoints: ['extension/inference/worker.ts'], outfile: 'dist/inference.js', external: ['onnxruntime-node'] },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((e) => existsSync(e.entryPoints[0]));

const started = Date.now();
await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
mkdirSync('dist', { recursive: true });
cpSync('language-server/stdlib', 'dist/stdlib', { recursive: true });
await writeGrammar();
console.log(`built ${entries.map((e) => e.outfile).join(', ')} in ${Date.now() - started} ms`);
