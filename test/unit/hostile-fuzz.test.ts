/**
 * Deep-and-wide fuzz (issue 11): grammar-aware programs with nesting, chains, repeats and imports never
 * crash or hang the pipeline (analysis, cost, every editor feature), every diagnostic lies inside the text,
 * and formatting never changes the token stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepWide } from '../fuzz/deepWide';
import { analyzeText } from '../helpers/memoryHost';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { handleDiagnostics } from '../../language-server/src/server/features/diagnostics';
import { handleHover } from '../../language-server/src/server/features/hover';
import { handleInlayHints, handleCodeLenses } from '../../language-server/src/server/features/lenses';
import { handleSemanticTokens } from '../../language-server/src/server/features/semanticTokens';
import { handleSymbols } from '../../language-server/src/server/features/outline';
import { handleFormat, sameTokens } from '../../language-server/src/server/features/format';

const COUNT = Number(process.env.ARCHLENS_FUZZ_DEEP ?? 150);

function exercise(seed: number): void {
  const p = deepWide(seed);
  const a = analyzeText(p.main, p.files);
  const doc = new DocState('file:///mem/main.arch', '/mem/main.arch', p.main, a, DEFAULT_SETTINGS);
  for (const d of handleDiagnostics(doc)) assert.ok(d.message.length < 400, `seed ${seed}: long message`);
  for (const d of a.diagnostics.filter((x) => x.file === '/mem/main.arch')) assert.ok(d.start >= 0 && d.end <= p.main.length && d.start <= d.end, `seed ${seed}: span ${d.start}-${d.end}`);
  for (let o = 0; o < p.main.length; o += Math.max(1, Math.floor(p.main.length / 25))) handleHover(doc, o);
  handleInlayHints(doc, 0, p.main.length);
  handleCodeLenses(doc);
  handleSemanticTokens(doc);
  handleSymbols(doc);
  const f = handleFormat(doc);
  if (f !== undefined) assert.ok(sameTokens(p.main, f), `seed ${seed}: formatting changed the tokens`);
}

test(`deep/wide fuzz: ${COUNT} generated programs analyse within bounds, no exception`, () => {
  let slowest = 0, at = -1;
  for (let seed = 1; seed <= COUNT; seed++) {
    const t0 = Date.now();
    try { exercise(seed); } catch (e) { assert.fail(`seed ${seed}: ${(e as Error).stack}`); }
    const took = Date.now() - t0;
    if (took > slowest) { slowest = took; at = seed; }
  }
  // Generous for a shared CI machine; a regression to exponential or per-index work takes minutes.
  assert.ok(slowest < 5000, `seed ${at} took ${slowest} ms`);
});

test('formatting keeps every token with lone CRs in comments and CR-only line endings', () => {
  for (const text of ['model M { # a\rb = 1\n  vocab = 10\n}\n', 'model M {\r  vocab = 10\r  d_model = 8\r  rmsnorm\r}\r', '# c\r\rmodel M {\r\n  vocab = 10 # x\r  d_model = 8\n}']) {
    const a = analyzeText(text);
    const f = handleFormat(new DocState('file:///mem/main.arch', '/mem/main.arch', text, a, DEFAULT_SETTINGS));
    if (f !== undefined) assert.ok(sameTokens(text, f), JSON.stringify(f));
  }
});

test('a file with CR-only line endings is analysed as lines, not as one comment', () => {
  const text = '# header\rmodel M {\r  vocab = 1000\r  d_model = 64\r  rmsnorm\r}\r';
  const a = analyzeText(text);
  assert.deepEqual(a.diagnostics.map((d) => d.message), []);
  assert.equal(a.models.length, 1);
  assert.equal(a.models[0].blocks.length, 1);
});
