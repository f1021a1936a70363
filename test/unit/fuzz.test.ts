/**
 * Fuzz (npm test mode: 5,000 seeded inputs; `npm run bench` runs 100,000): the parser, the
 * analysis and the cost engine must never throw, every diagnostic must lie inside the text,
 * and no reported number may be NaN or negative.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzInputs } from '../fuzz/generate';
import { analyzeText } from '../helpers/memoryHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';

const COUNT = Number(process.env.ARCHLENS_FUZZ_COUNT ?? 5000);
const hw = findHardware('h100')!;

test(`fuzz: ${COUNT} mutated and generated inputs never crash the pipeline`, () => {
  let i = 0;
  for (const text of fuzzInputs(COUNT, 20261125)) {
    let a;
    try {
      a = analyzeText(text);
      for (const d of a.diagnostics) {
        if (d.file !== '/mem/main.arch') continue;
        assert.ok(d.start >= 0 && d.end >= d.start && d.end <= text.length, `diagnostic outside the text in input #${i}`);
        assert.ok(d.message.length > 0);
      }
      for (const m of a.models) {
        const r = costModel(m, { hardware: hw, seq: 4096, batch: 2 });
        for (const v of [r.totals.params.total, r.totals.flops.prefillPerToken, r.totals.decodeBytesPerStep, r.decode.seconds]) {
          assert.ok(!Number.isNaN(v) && v >= 0, `bad number ${v} in input #${i}`);
        }
      }
    } catch (e) {
      assert.fail(`input #${i} (${JSON.stringify(text.slice(0, 200))}…) threw: ${(e as Error).stack}`);
    }
    i++;
  }
  assert.equal(i, COUNT);
});
