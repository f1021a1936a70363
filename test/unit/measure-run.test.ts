/**
 * `archlens run` (language-server/src/cli/run.ts) on CPU: a decode-step model (attention) and one measured by
 * the labelled approximation (RetNet: no decode-step graph yet) both report finite estimated and measured times
 * and ratios; the table names both phases. CPU figures come from a small benchmark cached in a temp dir first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../language-server/src/cli/main';
import { cpuFigures } from '../../language-server/src/measure/cpu';
import type { MeasureResult } from '../../language-server/src/measure/types';
import { isMeasureResult } from '../../language-server/src/protocol/webview';
import { ortTimer, ortVersion } from '../../language-server/src/runtime/ortTimer';

const ROOT = path.join(__dirname, '..', '..');
process.env.ARCHLENS_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-run-'));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(args, { out: (s) => { out += s; return true; }, err: (s) => { err += s; return true; } });
  return { code, out, err };
}

test('setup: small cached CPU figures', async () => {
  const r = await cpuFigures(ortTimer, { runtime: ortVersion(), matmulN: 256, streamBytes: 8 * 2 ** 20, runs: 3 });
  assert.equal(r.cached, false);
});

// t5_small: the cross-attention's `memory` input is fed in both graphs; titans_variants' first model (MAC) decodes with its segment state
for (const [file, approximate] of [['llama3_long_context.arch', false], ['retnet_1_3b.arch', false], ['t5_small.arch', false], ['titans_variants.arch', false]] as const) {
  test(`archlens run ${file} --probe layers=1,width=32 --providers cpu --json: finite ratios on CPU`, async () => {
    const r = await cli(['run', path.join(ROOT, 'examples', file), '--probe', 'layers=1,width=32', '--seq', '8', '--runs', '3', '--providers', 'cpu', '--json']);
    assert.equal(r.code, 0, r.err);
    const m = JSON.parse(r.out) as MeasureResult;
    assert.ok(isMeasureResult(m), 'the JSON passes the dashboard validator');
    assert.equal(m.provider, 'cpu');
    assert.equal(m.device.id, 'cpu');
    assert.ok(m.cpu && m.notes.some((n) => n.startsWith('CPU figures cached')));
    for (const p of [m.prefill, m.decode]) {
      for (const x of [p.estimatedUs, p.measuredUs, p.ratio]) assert.ok(Number.isFinite(x) && x > 0, `${p.method}: ${x}`);
      assert.equal(p.samplesMs.length, 3);
    }
    assert.equal(m.decode.approximate, approximate);
    assert.equal(m.prefill.approximate, false);
  });
}

test('archlens run prints the table; errors exit non-zero', async () => {
  const r = await cli(['run', path.join(ROOT, 'examples', 'llama3_long_context.arch'), '--probe', 'layers=1,width=32', '--seq', '4', '--runs', '2', '--providers', 'cpu']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /per token\s+estimated\s+measured\s+ratio/);
  assert.match(r.out, /^\s+prefill .+×/m);
  assert.match(r.out, /^\s+decode .+×\s+(compute|memory)\s+decode-step graph/m);
  assert.equal((await cli(['run'])).code, 2);
  assert.equal((await cli(['run', path.join(ROOT, 'examples', 'hyena_lm.arch'), '--runs', '0'])).code, 2);
});

test('run --providers: an unknown name (a prototype key included) is a usage error naming the known providers', async () => {
  const r = await cli(['run', path.join(__dirname, '../../examples/retnet_1_3b.arch'), '--probe', 'layers=1,width=16', '--providers', '__proto__,cpu']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown provider '__proto__'; known: cuda, webgpu, dml, coreml, cpu/);
});
