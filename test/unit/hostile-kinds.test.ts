/**
 * Hostile arguments to every registered block kind (test/fuzz/extremeArgs.ts: each kind × each enum choice × each
 * numeric or list parameter × 0, 1, −1, ½, 2^31, 2^53, 1e12, 1e308 and lists of 10^5 items): analysis answers
 * within a bound set by the text, never throws, and a figure that would overflow (Infinity, NaN) is a located
 * error at the use instead of a '—' in a hover (semantic/checkArgs.ts `costOverflow`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wideUses, withArgs } from '../fuzz/extremeArgs';
import { analyzeText, lineCol } from '../helpers/memoryHost';
import { docOf } from '../fuzz/lspHandlers';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { modelJson } from '../../language-server/src/report/json';
import { handleHover } from '../../language-server/src/server/features/hover';
import { handleDiagnostics } from '../../language-server/src/server/features/diagnostics';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';
import { divisorAtMost } from '../../language-server/src/kinds/probeScale';
import { KINDS } from '../../language-server/src/kinds';
import type { BlockCost } from '../../language-server/src/kinds/types';

const hw = findHardware('h100')!;
const BAD = /\bNaN\b|Infinity|undefined/;
const FIGURES: (keyof BlockCost)[] = ['params', 'active', 'prefillFlops', 'decodeFlops', 'cacheBytes', 'weightBytes', 'hostWeightBytes', 'decodeBytes', 'hostDecodeBytes'];

/** Everything a view derives from one file: the analysis, the costs at two lengths, the JSON report, the use's hover. */
function exercise(what: string, text: string, dashboard: boolean): void {
  const doc = docOf(text);
  const a = doc.analysis;
  for (const d of a.diagnostics) assert.ok(d.file !== '/mem/main.arch' || (d.start >= 0 && d.end <= text.length), `${what}: span ${d.start}-${d.end}`);
  for (const d of handleDiagnostics(doc)) assert.doesNotMatch(d.message, BAD, what);
  const errors = a.diagnostics.some((d) => d.severity === 'error');
  for (const seq of [8192, 1_048_576]) {
    const r = costModel(a.models[0], { hardware: hw, seq, batch: 1 });
    const nonFinite: string[] = [];
    JSON.parse(JSON.stringify(modelJson(r, () => text), (k, v) => { if (typeof v === 'number' && !Number.isFinite(v)) nonFinite.push(k); return v; }));
    if (errors) continue;
    for (const b of r.blocks) for (const k of FIGURES) assert.ok(Number.isFinite(b.all[k] ?? 0), `${what}: ${b.instance.kind} ${k} = ${b.all[k]} at L ${seq} without an error`);
    assert.deepEqual(nonFinite, [], `${what}: non-finite figures in the JSON report at L ${seq}`);
  }
  const at = text.search(/\n\s*(?=\w+\()/);
  for (const off of [at + 4, text.indexOf('model M') + 7]) assert.doesNotMatch(handleHover(doc, off)?.markdown ?? '', BAD, `${what}: hover at ${off}`);
  if (dashboard) assert.doesNotMatch(JSON.stringify(handleDashboard(doc, 'M', [])), /\bNaN\b|Infinity/, what);
}

test('every kind × enum choice × parameter × extreme value: bounded, no throw, no unflagged non-finite figure', () => {
  let n = 0, slowest = 0, at = '';
  for (const h of wideUses()) {
    const t0 = Date.now();
    try { exercise(h.what, h.text, /1e308|9007199254740992/.test(h.what)); } catch (e) { assert.fail(`${h.what}: ${(e as Error).stack}`); }
    const took = Date.now() - t0;
    if (took > slowest) { slowest = took; at = h.what; }
    n++;
  }
  assert.ok(n > 3000, `${n} uses generated`);
  // Bounded by the text: the slowest are the 10^5-item lists (≈ 0.4 s); a loop over an argument's value takes minutes.
  assert.ok(slowest < 2000, `${at} took ${slowest} ms`);
});

/** `line:col code message` of the errors of the main file. */
function errors(text: string): string[] {
  return analyzeText(text).diagnostics.filter((d) => d.severity === 'error' && d.file === '/mem/main.arch').map((d) => `${lineCol(text, d.start)} ${d.code} ${d.message}`);
}

test('overflowing figures are a located error at the use (were Infinity / NaN printed as —)', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['lstm', { hidden: '1e308' }, /lstm with these arguments has a parameter count above 1e100 \(at L = 1\)/],
    ['cms', { periods: '1e308' }, /cms with these arguments has prefill FLOPs above 1e100/],
    ['s4d', { d_state: '1e308' }, /s4d with these arguments has a parameter count above 1e100/],
    ['dnc', { read_heads: '1e308' }, /dnc with these arguments has a parameter count above 1e100/],
    ['hashed_embedding', { buckets: '1e308' }, /hashed_embedding with these arguments has a parameter count above 1e100/],
    // finite per instance, Infinity once counted twice (layers 2): the 1e100 margin keeps totals finite
    ['custom', { flops: '1e308' }, /custom with these arguments has prefill FLOPs above 1e100/],
  ];
  const lit = 'model M {\n  vocab = 64\n  d_model = 32\n  custom(params: 1e309)\n}\n';
  assert.deepEqual(analyzeText(lit).diagnostics.map((d) => `${lineCol(lit, d.start)} ${d.code} ${d.message}`), ["4:18 syntax number '1e309' is too large"], 'one error, no cascade');
  const ctx = 'model M {\n  vocab = 64\n  d_model = 32\n  context = 1e308\n  attention(heads: 4)\n}\n';
  assert.deepEqual(errors(ctx), ["5:3 invalid-args attention with these arguments has prefill FLOPs above 1e100 (at the model's context 1.00e+308), too large to cost: use a shorter context"]);
  for (const [kind, set, msg] of cases) {
    const text = withArgs(kind as keyof typeof KINDS, set);
    const d = errors(text);
    const line = text.slice(0, text.search(new RegExp(`\\b${kind}\\(`))).split('\n').length;
    assert.equal(d.length, 1, `${kind}: ${d.join('\n')}`);
    assert.match(d[0], new RegExp(`^${line}:\\d+ invalid-args `), d[0]);
    assert.match(d[0], msg);
  }
});

test('a kind\'s own message never prints a derived Infinity (mamba2 d_inner, engram orders × heads)', () => {
  assert.deepEqual(errors(withArgs('mamba2', { expand: '1e308' })).map((d) => d.split(' ').slice(1).join(' ')),
    ['invalid-args mamba2 with these arguments has a parameter count above 1e100 (at L = 1), too large to cost: use smaller values'], 'was: head_dim (8) must divide d_inner (Infinity)');
  const d = errors(withArgs('engram', { heads: '1e308' }));
  assert.ok(d.some((x) => x.includes('dim (16) must be divisible by orders × heads (2 × 1e+308 = too large to represent)')), d.join('\n'));
  assert.ok(d.every((x) => !/Infinity|NaN/.test(x)), d.join('\n'));
});

test('tokens = 1e308 on a 10^15-parameter model: the training row of the hover prints — (was "Infinity days")', () => {
  const text = 'model M {\n  vocab = 64\n  d_model = 32\n  tokens = 1e308\n  custom(params: 1e15)\n}\n';
  const h = handleHover(docOf(text), text.indexOf('M {'))?.markdown ?? '';
  assert.match(h, /\| training \(.* tokens, .*\) \| — GPU-hours · — days · MFU/);
  assert.doesNotMatch(h, BAD);
});

test('huge but finite figures stay costed: a DNC with 10^9 slots has a 10^18-entry link matrix and no error', () => {
  const text = withArgs('dnc', { slots: '1e9' });
  assert.deepEqual(errors(text), []);
  const r = costModel(analyzeText(text).models[0], { hardware: hw, seq: 4096, batch: 1 });
  const dnc = r.blocks.find((b) => b.instance.kind === 'dnc')!;
  // link N×N + memory N×W + … per sequence (kinds/dnc.ts): at least 4 bytes × 10^18
  assert.ok(dnc.all.cacheBytes >= 4e18 && Number.isFinite(r.totals.cacheBytesPerSequence), String(dnc.all.cacheBytes));
});

test('a 10^5-level cms: the dashboard answers in < 1.5 s (was 4 s: every sweep point re-summed and re-printed the list)', () => {
  const text = withArgs('cms', { periods: `[${Array(100_000).fill('1').join(', ')}]` });
  const doc = docOf(text);
  const t0 = Date.now();
  const dash = handleDashboard(doc, 'M', []);
  assert.ok(Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
  assert.ok(dash && JSON.stringify(dash).length < 1e6, 'the DTO does not carry the list per sweep point');
  const cms = costModel(doc.analysis.models[0], { hardware: hw, seq: 4096, batch: 1 }).blocks.find((b) => b.instance.kind === 'cms')!;
  assert.equal(cms.one.params, 100_000 * 2 * 32 * 32, 'levels · 2·d·d_ff (kinds/cms.ts)');
  assert.match(cms.one.formula[1], /\(periods 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, … \(100,000 entries\)\)$/);
});

test('the probe divisor search is bounded by ~10^6 steps whatever the number (a prime d_model looped d_model times)', () => {
  const brute = (n: number, cap: number): number => { for (let k = Math.max(1, Math.min(n, Math.floor(cap))); k > 1; k--) if (n % k === 0) return k; return 1; };
  for (let n = 1; n < 300; n++) for (let cap = 0; cap < 320; cap += 3) assert.equal(divisorAtMost(n, cap), brute(n, cap), `${n} ${cap}`);
  const t0 = Date.now();
  assert.equal(divisorAtMost(999_999_999_989, 1e11), 1, 'a prime has no divisor but 1 below itself');
  assert.equal(divisorAtMost(2 ** 52, 2 ** 40), 2 ** 40);
  assert.equal(divisorAtMost(1e12, 3e11), 2.5e11, 'exact up to 10^12');
  assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
});
