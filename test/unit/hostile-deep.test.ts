/**
 * Mismatched combinations (test/fuzz/extremeArgs.ts `deepUses`): 2–5 parameters of one kind set at once to extreme or
 * ordinary values, inside `layers` of 1 to 10^6. Analysis, costs at two lengths, diagnostics and the use's hover stay
 * bounded with no exception and no unflagged non-finite figure; a clean use compiles (probe layers=1, prefill and
 * decode) or is refused with one of the documented messages. ARCHLENS_FUZZ_DEEP_ARGS sets the count (default 700).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepUses } from '../fuzz/extremeArgs';
import { docOf } from '../fuzz/lspHandlers';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { handleHover } from '../../language-server/src/server/features/hover';
import { handleDiagnostics } from '../../language-server/src/server/features/diagnostics';
import { probeOf } from '../../language-server/src/load/loadModel';
import { compileModel } from '../../language-server/src/compile/compile';

const COUNT = Number(process.env.ARCHLENS_FUZZ_DEEP_ARGS ?? 700);
const hw = findHardware('h100')!;
/** The refusals a user may meet: the probe size guard, compile/limits.ts, a kind without a decode step, s4 rank > 1. */
const REFUSAL = /parameters \(more than 50,000,000\)|^compile: .* (elements \(more than|exceeds|not whole)|^no decode-step lowering yet|is costed but only rank 1 is lowered/;

function exercise(what: string, text: string): number {
  const doc = docOf(text);
  for (const d of handleDiagnostics(doc)) assert.doesNotMatch(d.message, /\bNaN\b|Infinity/, what);
  const clean = !doc.analysis.diagnostics.some((d) => d.severity === 'error');
  for (const seq of [8192, 1 << 20]) {
    const r = costModel(doc.analysis.models[0], { hardware: hw, seq, batch: 1 });
    if (clean) for (const b of r.blocks) for (const [k, v] of Object.entries(b.all)) assert.ok(typeof v !== 'number' || Number.isFinite(v), `${what}: ${k} = ${v} at L ${seq}`);
  }
  assert.doesNotMatch(handleHover(doc, text.search(/\n\s*(?=\w+\()/) + 4)?.markdown ?? '', /\bNaN\b|Infinity|undefined/, what);
  if (!clean) return 0;
  for (const mode of ['prefill', 'decode'] as const) {
    try { compileModel(probeOf(doc.analysis.models[0], 'layers=1', 16), { seq: 16, mode }); } catch (e) { assert.match((e as Error).message, REFUSAL, `${what} ${mode}`); }
  }
  return 1;
}

test(`deep extreme-argument combinations: ${COUNT} seeded uses analyse, cost, hover and compile within bounds`, () => {
  let slowest = 0, at = '', clean = 0;
  for (const h of deepUses(20261203, COUNT)) {
    const t0 = Date.now();
    try { clean += exercise(h.what, h.text); } catch (e) { assert.fail(`${h.what}: ${(e as Error).stack}`); }
    if (Date.now() - t0 > slowest) { slowest = Date.now() - t0; at = h.what; }
  }
  assert.ok(clean > COUNT / 4, `only ${clean} of ${COUNT} uses were clean: the generator no longer reaches the compiler`);
  assert.ok(slowest < 2000, `${at}: ${slowest} ms`);
});
