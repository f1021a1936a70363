/**
 * The dashboard's overlay, layer map and Training section in headless Chromium under the production CSP (see
 * harness.ts): Pythia-2.8B vs Mamba-2.8B on one chart with the prefill crossover listed; Jamba's layer map with
 * attention on 4 of 32 layers, hover text, and a click that posts a typed `revealSource`; the Training section's
 * figures, memory bar, ranked layouts and a `trainingOptions` round trip. Needs `node esbuild.mjs` first.
 * Screenshots: test/e2e/shots/webview-overlay-dark.png, webview-training-dark.png.
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
import type { TrainingParams } from '../../language-server/src/protocol/dashboard';
import { cspViolations, openPanel, postToWebview, ROOT, sent, shot, startHarness, type Harness } from './harness';

const STD = path.join(ROOT, 'language-server', 'stdlib');
/** Pythia and Mamba in one document (the std file imported into a scratch file would also do). */
const file = path.join(ROOT, 'test', 'fixtures', 'pythia_vs_mamba.arch');
const doc = (f: string) => new DocState(`file://${f}`, f, fs.readFileSync(f, 'utf8'), analyze(f, nodeHost()), DEFAULT_SETTINGS);
const json = (x: unknown) => JSON.parse(JSON.stringify(x));

let h: Harness;
before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'webview.js')), 'run `node esbuild.mjs` first');
  h = await startHarness();
});
after(async () => { await h?.close(); });

test('overlay: two models, crossover marked and listed; metric switch without a round trip', async () => {
  const { page, consoleErrors } = await openPanel(h, 'dashboard', 'dark');
  await postToWebview(page, { type: 'dashboard', data: json(handleDashboard(doc(file), 'Pythia', ['Mamba'])) });
  await page.waitForSelector('#chart-overlay');
  assert.match(await page.textContent('#overlay-crossovers') ?? '', /prefill FLOPs \/ token: Mamba becomes cheaper than Pythia at L = 1,615/);
  assert.match(await page.getAttribute('#chart-overlay', 'aria-label') ?? '', /Mamba cheaper than Pythia from 1,615 tokens/);
  await page.selectOption('#overlay-metric', 'decodeSeconds');
  await page.waitForFunction(() => /^decode step time/.test(document.getElementById('chart-overlay')?.getAttribute('aria-label') ?? ''));
  assert.equal((await sent(page)).filter((m) => m.type === 'dashboardOptions').length, 0);
  await page.locator('#overlay').scrollIntoViewIfNeeded();
  await shot(page, 'webview-overlay-dark.png');
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('layer map: Jamba 1:7 attention, hover shows the cost, click posts revealSource with the block range', async () => {
  const { page, consoleErrors } = await openPanel(h, 'dashboard', 'dark');
  const d = json(handleDashboard(doc(path.join(STD, 'jamba.arch')), 'Jamba_v0_1'));
  await postToWebview(page, { type: 'dashboard', data: d });
  await page.waitForSelector('#layer-map');
  const attention = await page.$$eval('.lm-row[data-row="mixer"] [data-kind="attention"]', (es) => es.map((e) => e.id));
  assert.deepEqual(attention, ['lm-0-mixer-4', 'lm-0-mixer-12', 'lm-0-mixer-20', 'lm-0-mixer-28']);
  await page.hover('#lm-0-mixer-4');
  await page.waitForSelector('#tooltip:not([hidden])');
  assert.match(await page.textContent('#tooltip') ?? '', /^layer 4: attention · [\d.]+ [KMB]? ?params · prefill .*\/token · decode .*\/step/);
  await page.click('#lm-0-mixer-4');
  const reveal = (await sent(page)).filter((m) => m.type === 'revealSource').pop() as unknown as { range: { uri: string; start: { line: number } } };
  const cell = d.layerMap[0].cells.find((c: { layer: number; kind: string }) => c.layer === 4 && c.kind === 'attention');
  assert.deepEqual(reveal.range, cell.source);
  assert.match(reveal.range.uri, /jamba\.arch$/);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('training: figures, memory bar, ranked layouts; a new GPU count posts trainingOptions and the answer updates', async () => {
  const { page, consoleErrors } = await openPanel(h, 'dashboard', 'dark');
  const pythia = doc(path.join(STD, 'pythia.arch'));
  await postToWebview(page, { type: 'dashboard', data: json(handleDashboard(pythia, 'Pythia_2_8B')) });
  await page.waitForSelector('#chart-train-memory');
  assert.match(await page.textContent('#train-summary') ?? '', /days · .* GPU-hours · MFU [\d.]+ %/);
  await page.fill('#train-gpus', '64');
  await page.press('#train-gpus', 'Tab');
  const m = (await sent(page)).filter((x) => x.type === 'trainingOptions').pop()!.training as TrainingParams;
  assert.deepEqual([m.gpus, m.dp, m.tokens], [64, 64, 299_892_736_000]);
  await postToWebview(page, { type: 'dashboard', data: json(handleDashboard(pythia, 'Pythia_2_8B', [], undefined, m)) });
  await page.waitForFunction(() => (document.querySelectorAll('#train-layouts tbody tr').length ?? 0) > 3);
  assert.match(await page.textContent('#train-layouts-note') ?? '', /valid layouts of 64 GPUs/);
  await page.click('#train-use-1');
  const used = (await sent(page)).filter((x) => x.type === 'trainingOptions').pop()!.training as TrainingParams;
  assert.equal(used.tp * used.pp * used.dp, 64);
  await page.locator('#training').scrollIntoViewIfNeeded();
  await shot(page, 'webview-training-dark.png');
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});
