/**
 * `archlens estimate` end to end (docs/estimate-json.md), and docs/accuracy.md kept true: its in-sample column is
 * what the committed calibration.json gives on the measured runs (npm run calibrate regenerates both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../language-server/src/cli/main';
import { measuredCases, logError } from '../bench/measured';

const root = path.resolve(__dirname, '../..');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(args, { out: (s) => { out += s; return true; }, err: (s) => { err += s; return true; } });
  return { code, out, err };
}

test('estimate --json: the documented fields, e2e = TTFT + (O − 1) mean steps, throughput = B·O / e2e', async () => {
  const r = await cli(['estimate', path.join(root, 'language-server/stdlib/llama3.arch'), '--model', 'Llama3_8B', '--hardware', 'h200',
    '--batch', '8', '--input', '32', '--output', '128', '--framework', 'vllm', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  for (const k of ['ttft_ms', 'tpot_ms', 'e2e_ms', 'output_tokens_per_s', 'output_tokens_per_s_per_gpu', 'input_tokens_per_s', 'memory_per_gpu', 'breakdown']) assert.ok(k in j, k);
  assert.equal(j.version, 1);
  assert.ok(Math.abs(j.e2e_ms - (j.ttft_ms + 127 * j.tpot_ms)) < 1e-6 * j.e2e_ms);
  assert.ok(Math.abs(j.output_tokens_per_s - (8 * 128) / (j.e2e_ms / 1e3)) < 1e-6 * j.output_tokens_per_s);
  for (const k of ['weights_bytes', 'kv_bytes', 'activation_bytes', 'workspace_bytes', 'fits', 'max_batch']) assert.ok(k in j.memory_per_gpu, k);
  for (const phase of ['prefill', 'decode']) for (const k of ['compute_ms', 'memory_ms', 'communication_ms', 'overhead_ms', 'by_kind']) assert.ok(k in j.breakdown[phase], `${phase}.${k}`);
  // The same run was measured at 833.4 ms (vLLM nightly latency test, buildkite build 9515; row W1).
  assert.ok(j.e2e_ms / 833.421 > 0.5 && j.e2e_ms / 833.421 < 2, `${j.e2e_ms} ms`);
});

test('estimate: text view shows the ideal roofline beside the estimate; bad layouts are exit 2 with the reason', async () => {
  const file = path.join(root, 'language-server/stdlib/llama3.arch');
  const ok = await cli(['estimate', file, '--hardware', 'h100', '--input', '1024', '--output', '64']);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /TTFT .*\(ideal roofline /);
  const bad = await cli(['estimate', file, '--hardware', 'h100', '--gpus', '8', '--tp', '3', '--input', '1', '--output', '1']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--gpus 8 is not a multiple of tp·pp = 3/);
  const both0 = await cli(['estimate', file, '--input', '0', '--output', '0']);
  assert.equal(both0.code, 2);
  assert.match(both0.err, /cannot both be 0/);
});

test('docs/accuracy.md reports what the committed calibration gives on every measured run', () => {
  const doc = fs.readFileSync(path.join(root, 'docs/accuracy.md'), 'utf8');
  const { cases } = measuredCases();
  assert.ok(cases.length >= 40);
  for (const c of cases) {
    const line = doc.split('\n').find((l) => l.startsWith(`| ${c.row.id} |`));
    assert.ok(line, `${c.row.id} in docs/accuracy.md`);
    const cells = line.split('|').map((x) => x.trim());
    const inSample = Number(cells[10]);
    const { predicted } = logError(c);
    assert.ok(Math.abs(inSample - predicted) <= 0.006 * predicted + 0.5, `${c.row.id}: doc ${inSample}, now ${predicted} — rerun npm run calibrate`);
  }
  assert.match(doc, /leave-one-source-out/);
});
