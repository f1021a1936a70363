/**
 * Hostile input (issue 11, High 1 and 2): deep inputs give a located diagnostic instead of overflowing
 * the stack, and wide inputs cost work proportional to the text, with exact symbolic counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, lineCol } from '../helpers/memoryHost';
import { FAMILIES } from '../fuzz/hostileFamilies';
import type { Analysis } from '../../language-server/src/semantic/analyze';

const family = (name: string): ((n: number) => string) => FAMILIES.find((f) => f.name === name)!.make;

/** `line:col code message` of every diagnostic of the main file. */
function diags(a: Analysis, text: string): string[] {
  return a.diagnostics.filter((d) => d.file === '/mem/main.arch').map((d) => `${lineCol(text, d.start)} ${d.code} ${d.message}`);
}

/** Analyses `text` fully (every model, every diagnostic) and fails if it takes longer than `ms`. */
function timed(text: string, ms = 3000): Analysis {
  const t0 = Date.now();
  const a = analyzeText(text);
  void a.diagnostics;
  const took = Date.now() - t0;
  assert.ok(took < ms, `analysis took ${took} ms`);
  return a;
}

test('a 4,000-term sum is one located error at the operator past the limit, not a stack overflow', () => {
  const text = family('long sum')(4000);
  const d = diags(timed(text), text);
  assert.equal(d.length, 1, d.join('\n'));
  assert.match(d[0], /^1:\d+ syntax expression too long or too deeply nested: at most 200 levels/);
  // The operator reported is the 200th '+' (the 201st level).
  assert.equal(d[0].split(' ')[0], `1:${'let a = '.length + 200 * 4 - 1}`);
});

test('10,000 unary minus signs and 2,000 brackets are located errors', () => {
  for (const [name, n, msg] of [['minus chain', 10_000, /too long or too deeply nested/], ['paren nest', 2000, /nested deeper than 64 levels/]] as const) {
    const text = family(name)(n);
    const d = diags(timed(text), text);
    assert.ok(d.length >= 1 && d.every((x) => x.startsWith('1:')), d.join('\n'));
    assert.match(d[0], msg);
  }
});

test('200 levels is still fine: the limit does not reject ordinary long expressions', () => {
  const text = family('long sum')(150);
  const a = timed(text);
  assert.deepEqual(diags(a, text), []);
  assert.equal(a.models[0].blocks[0].args.params, 150);
});

test('2,000 chained constants evaluate (in declaration order) with the right value', () => {
  const text = family('let chain')(2000);
  const a = timed(text);
  assert.deepEqual(diags(a, text), []);
  assert.equal(a.models[0].blocks[0].args.params, 2001);
});

test('a chain of constants that each refer to a later one is a located error, without a cascade', () => {
  const text = family('reverse let chain')(2000);
  const d = diags(timed(text), text);
  assert.ok(d.length > 0 && d.length < 20, `${d.length} diagnostics`);
  assert.ok(d.every((x) => /too deeply nested to evaluate: more than 400 levels/.test(x)), d.join('\n'));
});

test('a constant defined in terms of itself names the cycle', () => {
  const text = 'let a = b + 1\nlet b = a * 2\nmodel M {\n  vocab = 10\n  d_model = 8\n  custom(params: a)\n}\n';
  const d = diags(timed(text), text);
  assert.deepEqual(d, ["2:9 bad-value constant 'a' is defined in terms of itself"]);
});

test('2,000 nested layers groups are one located error at the 65th', () => {
  const text = family('nested layers')(2000);
  const d = diags(timed(text), text);
  assert.deepEqual(d, [`68:1 syntax 'layers' groups nested deeper than 64 levels`]);
});

test('a 20,000-term or-selector and 2,000 nested nots are located errors', () => {
  const or = family('or selector')(20_000);
  const d = diags(timed(or), or);
  assert.equal(d.length, 1, d.join('\n'));
  assert.match(d[0], /^5:\d+ syntax layer selector too long: at most 200 levels/);
  const not = family('not selector')(2000);
  assert.match(diags(timed(not), not)[0], /^5:\d+ syntax layer selector nested deeper than 64 levels/);
});

test('a 10,000-long extends chain stops at 64 models with a located error', () => {
  const text = family('extends chain')(10_000);
  const a = timed(text, 2000);
  const last = a.models[a.models.length - 1];
  assert.equal(last.blocks.length, 0);
  assert.ok(a.diagnostics.some((d) => d.code === 'extends-too-deep' && d.start === text.indexOf('extends M9935 ') + 8));
  // Within the limit (64 models in the chain), the base's blocks are inherited.
  assert.equal(a.models[63].blocks.length, 1);
  assert.equal(a.models[64].blocks.length, 0);
});

test('20 doubling block definitions count 2^20 symbolically, in milliseconds', () => {
  const text = family('doubling blocks')(20);
  const a = timed(text, 1000);
  assert.deepEqual(diags(a, text), []);
  const blocks = a.models[0].blocks;
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].count, 2 * 2 ** 20);
});

test('symbolic counting matches expansion when the doubled uses differ', () => {
  const text = 'block A(k = 1) {\n  custom(params: k)\n}\nblock B {\n  A\n  A(k: 2)\n  A\n}\nblock C {\n  B x 3\n  B\n}\nmodel M {\n  vocab = 10\n  d_model = 8\n  layers 4 {\n    C at every 2\n    C\n  }\n}\n';
  const a = timed(text);
  assert.deepEqual(diags(a, text), []);
  const byParams = new Map<unknown, number>();
  for (const b of a.models[0].blocks) byParams.set(b.args.params, (byParams.get(b.args.params) ?? 0) + b.count);
  // Each C has 4 B; each B has two A(k 1) and one A(k 2); C occurs 2 + 4 = 6 times.
  assert.deepEqual([...byParams], [[1, 6 * 4 * 2], [2, 6 * 4]]);
});

test('block definitions nested 33 deep are reported as too deep, not as recursion', () => {
  const text = family('block chain')(40);
  const d = diags(timed(text), text);
  assert.ok(d.length >= 1 && d.every((x) => / block-too-deep block definitions nested deeper than 32 levels/.test(x)), d.join('\n'));
});

test('layers 1_000_000 with 600 lines builds no per-line index lists', () => {
  const text = family('huge layers')(600);
  const before = process.memoryUsage().heapUsed;
  const a = timed(text);
  assert.deepEqual(diags(a, text), []);
  assert.equal(a.models[0].blocks.length, 600);
  assert.equal(a.models[0].blocks[0].count, 1_000_000);
  assert.ok(process.memoryUsage().heapUsed - before < 200e6, 'heap grew by more than 200 MB');
  // The indices are still there for whoever asks (the report, the hover).
  assert.equal(a.models[0].blocks[599].layers?.indices[999_999], 999_999);
});

test('selectors over huge groups stop at the work budget with a located diagnostic', () => {
  const text = family('huge selectors')(600);
  const d = diags(timed(text, 10_000), text);
  assert.equal(d.length, 1, d.join('\n'));
  assert.match(d[0], /^\d+:\d+ analysis-budget analysis stopped: layer selectors here examine more than 20,000,000/);
});

test('exponentially many distinct instances stop at the expansion budget', () => {
  const defs = Array.from({ length: 25 }, (_, i) => `block B${i + 1}(p = 1) {\n  B${i}(p: p * 2)\n  B${i}(p: p * 2 + 1)\n}`).join('\n');
  const text = `block B0(p = 1) {\n  custom(params: p)\n}\n${defs}\nmodel M {\n  vocab = 10\n  d_model = 8\n  B25\n}\n`;
  const d = diags(timed(text, 10_000), text);
  assert.equal(d.length, 1, d.join('\n'));
  assert.match(d[0], / analysis-budget analysis stopped: this file expands to more than 100,000 block uses/);
});

test('counts beyond 2^53 are a located error, not an inexact or infinite total', () => {
  const text = family('huge repeat')(1);
  const d = diags(timed(text), text);
  assert.deepEqual(d, ["4:3 too-many 'custom' occurs more than 9,007,199,254,740,991 times here: too many to count exactly"]);
});

test('the parse cache stays bounded after thousands of distinct files', async () => {
  const { parseCacheSize, PARSE_CACHE_FILES } = await import('../../language-server/src/semantic/program');
  const { analyze } = await import('../../language-server/src/semantic/analyze');
  const { memoryHost } = await import('../helpers/memoryHost');
  const text = `model M {\n  vocab = 10\n  d_model = 8\n  rmsnorm\n}\n${'# padding\n'.repeat(4000)}`;
  for (let i = 0; i < 2000; i++) analyze(`/mem/f${i}.arch`, memoryHost({ [`/mem/f${i}.arch`]: text }));
  const size = parseCacheSize();
  assert.ok(size.files <= PARSE_CACHE_FILES, `${size.files} files cached`);
  assert.ok(size.chars <= PARSE_CACHE_FILES * text.length);
});
