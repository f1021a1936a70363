/**
 * The editor's serving estimate: the batch sweep behind the dashboard's Pareto chart (throughput grows and latency
 * grows with the batch until KV memory runs out; the marked point is memory.maxBatch), the Deployment view (layout
 * errors are messages, TP changes TTFT, the DTO passes the webview's validator) and the hover card's serving rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS, type ArchSettings } from '../../language-server/src/server/features/settings';
import { deploymentView } from '../../language-server/src/server/features/deployment';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';
import { handleHover } from '../../language-server/src/server/features/hover';
import { deploymentFor } from '../../language-server/src/serving/deployment';
import { estimateServing } from '../../language-server/src/serving/estimate';
import { servingSweep, sweepBatches } from '../../language-server/src/serving/sweep';
import { isDashboardData, isWebviewMessage } from '../../language-server/src/protocol/webview';

const STD = path.join(__dirname, '..', '..', 'language-server', 'stdlib');
function doc(file: string, settings: ArchSettings = DEFAULT_SETTINGS): DocState {
  const f = path.join(STD, file);
  const text = fs.readFileSync(f, 'utf8');
  return new DocState(`file://${f}`, f, text, analyze(f, nodeHost(), text), settings);
}
const llama = doc('llama3.arch');
const model = (name: string) => llama.analysis.models.find((m) => m.name === name)!;

test('sweep batches: 1 … 1024 in half-octave steps', () => {
  const b = sweepBatches();
  assert.deepEqual(b.slice(0, 8), [1, 2, 3, 4, 6, 8, 11, 16]);
  assert.equal(b[b.length - 1], 1024);
  assert.ok(b.every((x, i) => i === 0 || x > b[i - 1]));
});

test('Pareto sweep: throughput per GPU and latency grow with the batch until KV memory runs out, marked at memory.maxBatch', () => {
  const m = model('Llama3_8B');
  const d = deploymentFor(m, { hardware: 'h100', framework: 'vllm' });
  const io = { input: 1024, output: 256 };
  const s = servingSweep(m, d, io);
  const limit = s.limit!;
  assert.ok(limit && limit.batch > 100 && limit.batch < 1024, `limit ${limit?.batch}`);
  assert.ok(s.points.includes(limit), 'the limit is one of the points');
  assert.equal(estimateServing(m, d, { ...io, batch: limit.batch }).memory.maxBatch, limit.batch);
  assert.equal(estimateServing(m, d, { ...io, batch: limit.batch + 1 }).waves, 2, 'one more sequence no longer fits');
  const fit = s.points.filter((p) => p.batch <= limit.batch);
  assert.ok(fit.every((p) => p.fits) && s.points.filter((p) => p.batch > limit.batch).every((p) => !p.fits));
  for (let i = 1; i < fit.length; i++) {
    assert.ok(fit[i].outputTokensPerSPerGpu > fit[i - 1].outputTokensPerSPerGpu, `throughput grows at B = ${fit[i].batch}`);
    assert.ok(fit[i].tpot >= fit[i - 1].tpot && fit[i].e2e > fit[i - 1].e2e, `latency grows at B = ${fit[i].batch}`);
  }
  const past = s.points.filter((p) => p.batch > limit.batch);
  assert.ok(past.every((p) => p.outputTokensPerSPerGpu < limit.outputTokensPerSPerGpu * 1.05), 'no real gain past the limit');
});

test('a model whose KV never runs out in range has no mark; one whose weights do not fit has no fitting point', () => {
  const big = model('Llama3_1_70B');
  const eight = servingSweep(big, deploymentFor(big, { hardware: 'h100', gpus: 8, tp: 8 }), { input: 128, output: 128 });
  assert.equal(eight.limit, undefined);
  assert.ok(eight.points.every((p) => p.fits));
  const one = servingSweep(big, deploymentFor(big, { hardware: 'h100' }), { input: 128, output: 128 });
  assert.equal(one.limit, undefined);
  assert.ok(one.points.every((p) => !p.fits));
});

test('Deployment view: TP changes TTFT, an invalid layout is a message, the DTO passes the webview validator', () => {
  const m = model('Llama3_1_70B');
  const base = { hardware: 'h100', gpus: 8, pp: 1, ep: 1, batch: 8, input: 2048, output: 256, framework: 'vllm' };
  const tp8 = deploymentView(m, DEFAULT_SETTINGS, { ...base, tp: 8 });
  const tp4 = deploymentView(m, DEFAULT_SETTINGS, { ...base, gpus: 4, tp: 4 });
  assert.equal(tp8.error, undefined);
  assert.ok(tp4.estimate!.ttft > tp8.estimate!.ttft * 1.3, `${tp4.estimate!.ttft} vs ${tp8.estimate!.ttft}`);
  const dp2 = deploymentView(m, DEFAULT_SETTINGS, { ...base, tp: 4 });
  assert.notEqual(dp2.estimate!.ttft, tp8.estimate!.ttft, 'tp 4 on 8 GPUs: two replicas of four sequences each');
  assert.ok(tp8.ideal!.ttft < tp8.estimate!.ttft, 'the ideal roofline is faster than the calibrated estimate');
  const bad = deploymentView(m, DEFAULT_SETTINGS, { ...base, tp: 3 });
  assert.match(bad.error!, /^Invalid layout: tp × pp = 3 × 1 = 3 does not divide 8 GPUs/);
  assert.equal(bad.estimate, undefined);
  assert.match(deploymentView(m, DEFAULT_SETTINGS, { ...base, tp: 8, ep: 2 }).error!, /ep 2: model 'Llama3_1_70B' has no moe block/);
  assert.match(deploymentView(m, DEFAULT_SETTINGS, { ...base, tp: 8, hardware: 'nope' }).error!, /unknown hardware 'nope'/);
  assert.match(deploymentView(m, DEFAULT_SETTINGS, { ...base, tp: 8, input: 0, output: 0 }).error!, /cannot both be 0/);
  for (const v of [tp8, bad]) {
    const data = JSON.parse(JSON.stringify(handleDashboard(llama, 'Llama3_1_70B', [], v.params)));
    assert.ok(isDashboardData(data), 'the dashboard DTO is valid for the webview');
    assert.deepEqual(data.deployment, JSON.parse(JSON.stringify(v)));
  }
  assert.ok(isWebviewMessage({ type: 'deploymentOptions', deployment: { ...base, tp: 8 } }));
  assert.ok(!isWebviewMessage({ type: 'deploymentOptions', deployment: { ...base, tp: 0 } }));
  assert.ok(!isWebviewMessage({ type: 'deploymentOptions', deployment: { ...base, tp: 2.5 } }));
  assert.ok(!isWebviewMessage({ type: 'deploymentOptions', deployment: { ...base, tp: '8' } }));
});

test('settings choose the deployment: archlens.gpus and archlens.parallel (empty = tp over all GPUs)', () => {
  const m = model('Llama3_1_70B');
  assert.deepEqual(deploymentView(m, { ...DEFAULT_SETTINGS, gpus: 8 }).params, { ...deploymentView(m, DEFAULT_SETTINGS).params, gpus: 8, tp: 8 });
  const v = deploymentView(m, { ...DEFAULT_SETTINGS, gpus: 8, parallel: 'tp=4,pp=2', framework: 'sglang', input: 512, output: 64, batch: 4 });
  assert.deepEqual(v.params, { hardware: 'h100', gpus: 8, tp: 4, pp: 2, ep: 1, batch: 4, input: 512, output: 64, framework: 'sglang' });
  assert.equal(v.error, undefined);
});

test('every stdlib model: the dashboard DTO with its Deployment view is valid JSON for the webview', () => {
  for (const file of fs.readdirSync(STD).filter((f) => f.endsWith('.arch'))) {
    const d = doc(file);
    for (const m of d.analysis.models) {
      const data = JSON.parse(JSON.stringify(handleDashboard(d, m.name)));
      assert.ok(isDashboardData(data), `${file} ${m.name}`);
    }
  }
});

test('the model hover shows the calibrated estimate with the ideal roofline beside it', () => {
  const md = handleHover(llama, llama.text.indexOf('model Llama3_8B') + 8)!.markdown;
  assert.match(md, /\| serving \(vLLM, 1 × H100, tp 1\) \| TTFT [\d.]+ ms · TPOT [\d.]+ ms · \d+ tok\/s \(B = 1, 1,024 in → 256 out\) \|/);
  assert.match(md, /\| ideal roofline \| TTFT [\d.]+ ms · TPOT [\d.]+ ms/);
  const bad = doc('llama3.arch', { ...DEFAULT_SETTINGS, gpus: 8, parallel: 'tp=3' });
  assert.match(handleHover(bad, bad.text.indexOf('model Llama3_8B') + 8)!.markdown, /\| serving estimate \| ⚠ Invalid layout: tp × pp = 3 × 1 = 3 does not divide 8 GPUs/);
  const block = handleHover(llama, llama.text.indexOf('gated_mlp'))!.markdown;
  assert.match(block, /\| ideal roofline \(NVIDIA H100 SXM5 80GB, these blocks\) \| decode/);
});
