// Generates dist/syntaxes/arch.tmLanguage.json from the template in extension/contrib/syntaxes: the block-kind
// rule's alternation comes from the kind registry (language-server/src/kinds), so a new kind needs no grammar edit.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const TEMPLATE = 'extension/contrib/syntaxes/arch.tmLanguage.template.json';
export const GRAMMAR_OUT = 'dist/syntaxes/arch.tmLanguage.json';

/** Kind names of the registry, bundled in memory and evaluated. */
export async function kindNames() {
  const r = await esbuild.build({ entryPoints: ['language-server/src/kinds/index.ts'], bundle: true, write: false, platform: 'node', format: 'cjs', logLevel: 'warning' });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', r.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
  return [...mod.exports.KIND_NAMES];
}

export async function writeGrammar() {
  const names = await kindNames();
  // Longest first, so `mamba2` is not matched as `mamba` by an engine that stops at the first alternative.
  const alternation = names.sort((a, b) => b.length - a.length || a.localeCompare(b)).join('|');
  const text = readFileSync(TEMPLATE, 'utf8').replace('{{BLOCK_KINDS}}', alternation);
  JSON.parse(text);
  mkdirSync('dist/syntaxes', { recursive: true });
  writeFileSync(GRAMMAR_OUT, text);
}
