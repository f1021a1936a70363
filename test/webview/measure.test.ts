/**
 * Dashboard "Measured vs estimated" section in headless Chromium (production CSP): the Measure button posts a
 * typed `measure` request, the running status disables it, a `measured` result draws the table and the bar
 * chart, a malformed result is ignored. Needs `node esbuild.mjs` first (dist/webview.js).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';
import type { MeasureResult } from '../../language-server/src/measure/types';
import { cspViolations, openPanel, postToWebview, ROOT, sent, startHarness, type Harness } from './harness';

const f = path.join(ROOT, 'language-server', 'stdlib', 'llama3.arch');
const DATA = JSON.parse(JSON.stringify(handleDashboard(new DocState(`file://${f}`, f, fs.readFileSync(f, 'utf8'), analyze(f, nodeHost()), DEFAULT_SETTINGS))));
const phase = (est: number, meas: number, approximate = false) => ({ estimatedUs: est, measuredUs: meas, ratio: meas / est, bound: 'memory', method: approximate ? '≈ difference' : 'graph', approximate, samplesMs: [1, 2] });
const RESULT: MeasureResult = {
  model: 'Llama3_8B', probe: 'layers=2,width=8', params: 22_100_000, seq: 16, runs: 10, provider: 'cpu', attempts: [{ provider: 'cpu', ok: true }],
  device: { id: 'cpu', name: 'Test CPU (2 logical cores)', peakFlops: 1.3e11, bandwidth: 1.5e10, source: 'measured' },
  prefill: phase(310, 775) as MeasureResult['prefill'], decode: phase(3110, 6540) as MeasureResult['decode'], notes: ['CPU figures cached'],
};

let h: Harness;
before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'webview.js')), 'run `node esbuild.mjs` first');
  h = await startHarness();
});
after(async () => { await h?.close(); });

test('dashboard: Measure posts a typed request; the result draws a table and a chart; malformed results are ignored', async () => {
  const { page, consoleErrors } = await openPanel(h, 'dashboard');
  await postToWebview(page, { type: 'dashboard', data: DATA });
  await page.waitForSelector('#measure-run');
  await page.fill('#measure-runs', '5');
  await page.click('#measure-run');
  const msgs = (await sent(page)).filter((m) => m.type === 'measure');
  assert.deepEqual(msgs, [{ type: 'measure', probe: 'layers=2,width=8', seq: 16, runs: 5 }]);
  await postToWebview(page, { type: 'measureStatus', state: 'running', message: 'Measuring Llama3_8B…' });
  await page.waitForSelector('#measure-cancel');
  assert.equal(await page.isDisabled('#measure-run'), true);
  await postToWebview(page, { type: 'measured', result: { ...RESULT, prefill: { bogus: true } } });
  await postToWebview(page, { type: 'measured', result: RESULT });
  await postToWebview(page, { type: 'measureStatus', state: 'idle', message: 'Measured in 2.0 s.' });
  await page.waitForSelector('#chart-measure');
  const table = await page.textContent('#measure-table') ?? '';
  assert.match(table, /prefill.*310 µs.*775 µs.*2\.50×/s);
  assert.match(table, /decode.*3\.11 ms.*6\.54 ms.*2\.10×/s);
  assert.match(await page.textContent('#measure-summary') ?? '', /Test CPU/);
  assert.equal(await page.isDisabled('#measure-run'), false);
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});
