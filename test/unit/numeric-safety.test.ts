/**
 * Numeric safety: figures above 2^53 (trillion-parameter models × bytes × batch) are flagged, never shown as exact;
 * NaN and Infinity never reach a hover, an inlay hint, a code lens or the dashboard (format.ts prints '—').
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../helpers/memoryHost';
import { docOf } from '../fuzz/lspHandlers';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware, peakFlops } from '../../language-server/src/cost/hardware';
import { formatCount, formatExact, formatBytes, formatFlops, formatSeconds, finiteText } from '../../language-server/src/format/units';
import { handleHover } from '../../language-server/src/server/features/hover';
import { handleCodeLenses, handleInlayHints } from '../../language-server/src/server/features/lenses';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';
import { handleDiagnostics } from '../../language-server/src/server/features/diagnostics';
import { warningText } from '../../language-server/src/format/warnings';

const hw = findHardware('h100')!;
const model = (params: string, extra = ''): string => `model Huge {\n  custom(params: ${params}${extra})\n}\n`;
const report = (text: string, batch: number) => costModel(analyzeText(text).models[0], { hardware: hw, seq: 8192, batch });

test('a 10-trillion-parameter custom block × batch 4096: exact counts, and the FLOP products above 2^53 flagged', () => {
  const r = report(model('10_000_000_000_000'), 4096);
  assert.equal(r.totals.params.total, 1e13, 'parameter count is exact (below 2^53)');
  assert.equal(r.totals.weightBytes, 2e13, 'bf16 weights');
  assert.equal(r.precise, false);
  assert.ok(r.imprecise.includes('decode FLOPs per step (B sequences)'), r.imprecise.join(', '));
  assert.ok(r.imprecise.includes('prefill FLOPs (B × L tokens)'));
  assert.ok(!r.imprecise.includes('params (total)'));
  assert.deepEqual(r.warnings.filter((w) => w.code === 'imprecise-counts'), [], 'FLOPs are printed to 3 digits: no warning needed');
  // The product itself keeps full double precision (relative error ≤ 2^-52), it is only no longer integral-exact.
  const decodeFlops = r.decode.computeSeconds * peakFlops(hw, 'bf16');
  assert.ok(Math.abs(decodeFlops / (4096 * 2e13) - 1) < 1e-12, `decode FLOPs ${decodeFlops}`);
  assert.equal(report(model('10_000_000_000_000'), 1).imprecise.includes('decode FLOPs per step (B sequences)'), false, 'batch 1 stays below 2^53');
});

test('parameter and byte counts above 2^53 get a warning and an ≈ when printed digit for digit', () => {
  const r = report(model('1e16'), 4096);
  assert.equal(r.precise, false);
  assert.ok(r.imprecise.includes('params (total)') && r.imprecise.includes('weight bytes'));
  assert.ok(r.warnings.some((w) => w.code === 'imprecise-counts' && w.figures.includes('params (total)') && /params \(total\).*2\^53/.test(warningText(w))), JSON.stringify(r.warnings));
  assert.match(formatExact(r.totals.params.total), /^≈10,000,000,000,000,000$/);
  assert.equal(formatExact(2 ** 53 - 1), '9,007,199,254,740,991', 'the largest safe integer is still exact');
  const small = report(model('8_030_261_248'), 1);
  assert.equal(small.precise, true);
  assert.deepEqual(small.imprecise, []);
});

test('format helpers print — for NaN and ±Infinity', () => {
  for (const f of [formatCount, formatExact, formatBytes, formatFlops, formatSeconds]) {
    for (const x of [NaN, Infinity, -Infinity]) assert.equal(f(x), '—', `${f.name}(${x})`);
  }
  assert.equal(finiteText('FLOPs = Infinity; x = NaN; y = -Infinity; Infinityish'), 'FLOPs = —; x = —; y = —; Infinityish');
});

const ABSURD = [
  'model M {\n  layers 1_000_000 {\n    custom(params: 1e15)\n  }\n}\n',
  'model M {\n  layers 1_000_000 {\n    custom(params: 1e308, cache_bytes_per_token: 1e308)\n  }\n}\n',
  'model M {\n  vocab = 1e308\n  d_model = 1e308\n  context = 1e308\n  embedding\n  layers 1_000_000 {\n    attention(heads: 1e300, kv_heads: 1e300)\n    gated_mlp(d_ff: 1e308)\n  }\n  lm_head\n}\n',
];
const BAD = /\bNaN\b|Infinity|undefined/;

test('absurd inputs: no NaN, Infinity or undefined in any hover, hint, lens, diagnostic or dashboard', () => {
  for (const text of ABSURD) {
    const doc = docOf(text);
    let hovers = 0;
    for (let at = 0; at <= text.length; at++) {
      const h = handleHover(doc, at);
      if (!h) continue;
      hovers++;
      assert.doesNotMatch(h.markdown, BAD, `hover at ${at} of ${JSON.stringify(text)}:\n${h.markdown}`);
    }
    assert.ok(hovers > 0, 'some hovers answered');
    for (const x of handleInlayHints(doc, 0, text.length)) assert.doesNotMatch(`${x.label} ${x.tooltip}`, BAD);
    for (const l of handleCodeLenses(doc)) assert.doesNotMatch(l.title, BAD);
    for (const d of handleDiagnostics(doc)) assert.doesNotMatch(d.message, BAD);
    const dash = handleDashboard(doc, 'M', []);
    assert.doesNotMatch(JSON.stringify(dash), /\bNaN\b|Infinity/, 'JSON turns non-finite numbers into null, never text');
  }
});
