/**
 * The dashboard's Deployment section in headless Chromium under the production CSP (see harness.ts): figures,
 * memory and Pareto charts render; controls post a typed `deploymentOptions` message; the host's answer (computed
 * here by the real handler) updates TTFT; an invalid layout shows a message, never a crash; bad input is refused
 * in place. Needs `node esbuild.mjs` first. Screenshot: test/e2e/shots/webview-deployment-dark.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';
import type { DeploymentParams } from '../../language-server/src/protocol/dashboard';
import { cspViolations, openPanel, postToWebview, ROOT, sent, shot, startHarness, type Harness } from './harness';

const file = path.join(ROOT, 'language-server', 'stdlib', 'llama3.arch');
const doc = new DocState(`file://${file}`, file, fs.readFileSync(file, 'utf8'), analyze(file, nodeHost()), DEFAULT_SETTINGS);
const dashboard = (deployment?: DeploymentParams) => JSON.parse(JSON.stringify(handleDashboard(doc, 'Llama3_8B', [], deployment)));

let h: Harness;
before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'webview.js')), 'run `node esbuild.mjs` first');
  h = await startHarness();
});
after(async () => { await h?.close(); });

type ChartInfo = { id: string; type: string; datasets: number; points: number };
const charts = (page: Page): Promise<ChartInfo[]> =>
  page.evaluate(() => (window as unknown as { archlens: { charts(): ChartInfo[] } }).archlens.charts());

/** Sets a number control and commits it (the change event fires on blur). */
async function setNumber(page: Page, id: string, value: number): Promise<void> {
  await page.fill(id, String(value));
  await page.press(id, 'Tab');
}

/** The last deploymentOptions message the webview sent. */
async function lastOptions(page: Page): Promise<DeploymentParams | undefined> {
  const m = (await sent(page)).filter((x) => x.type === 'deploymentOptions').pop();
  return m?.deployment as DeploymentParams | undefined;
}

test('Deployment: figures, memory and Pareto charts render; TP/GPU changes round-trip and change TTFT; invalid layouts are messages', async () => {
  const { page, consoleErrors } = await openPanel(h, 'dashboard', 'dark');
  await postToWebview(page, { type: 'dashboard', data: dashboard() });
  await page.waitForSelector('#chart-pareto');
  await page.waitForFunction(() => (window as unknown as { archlens: { charts(): unknown[] } }).archlens.charts().length >= 8);
  assert.match(await page.textContent('#deployment-h') ?? '', /Deployment/);
  const ttft1 = await page.textContent('#deploy-ttft');
  assert.match(ttft1 ?? '', /^[\d.]+ ms$/);
  assert.match(await page.textContent('#deploy-tpot') ?? '', /^[\d.]+ ms$/);
  assert.match(await page.textContent('#deploy-memory') ?? '', /largest batch that fits: \d+/);
  const pareto = (await charts(page)).find((c) => c.id === 'chart-pareto')!;
  assert.equal(pareto.datasets, 4, 'fits, waves, KV limit, chosen batch');
  assert.equal(await page.getAttribute('#chart-pareto', 'aria-label').then((l) => /KV memory runs out at batch \d+/.test(l ?? '')), true);

  // TP 2 on one GPU: the webview sends it; the server's answer is an invalid layout, shown as a message.
  await setNumber(page, '#deploy-tp', 2);
  const bad = (await lastOptions(page))!;
  assert.deepEqual(bad, { ...dashboard().deployment.params, tp: 2 });
  await postToWebview(page, { type: 'dashboard', data: dashboard(bad) });
  await page.waitForSelector('#deploy-error');
  assert.match(await page.textContent('#deploy-error') ?? '', /Invalid layout: tp × pp = 2 × 1 = 2 does not divide 1 GPU/);
  assert.equal(await page.$('#chart-pareto'), null);

  // Two GPUs with TP 2: a valid layout, a different TTFT.
  await setNumber(page, '#deploy-gpus', 2);
  const good = (await lastOptions(page))!;
  assert.deepEqual([good.gpus, good.tp], [2, 2]);
  await postToWebview(page, { type: 'dashboard', data: dashboard(good) });
  await page.waitForSelector('#chart-pareto');
  const ttft2 = await page.textContent('#deploy-ttft');
  assert.notEqual(ttft2, ttft1, 'TTFT changes with TP');

  // Refused in place: no message for a non-integer.
  const before = (await sent(page)).length;
  await setNumber(page, '#deploy-batch', 0);
  assert.match(await page.textContent('#deploy-status') ?? '', /batch must be a whole number ≥ 1/);
  assert.equal((await sent(page)).length, before);

  // The x axis switches without a round trip.
  await page.selectOption('#pareto-x', 'e2e');
  await page.waitForFunction(() => /end-to-end/.test(document.getElementById('chart-pareto')?.getAttribute('aria-label') ?? ''));
  await page.selectOption('#deploy-framework', 'ideal');
  assert.equal((await lastOptions(page))!.framework, 'ideal');
  await page.locator('#deployment').scrollIntoViewIfNeeded();
  await shot(page, 'webview-deployment-dark.png');
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});
