/**
 * The dashboard and gates webviews in headless Chromium under the production CSP (see harness.ts):
 * charts rendered by chart.js, α_t heatmap values/colours/tooltips, selectors, state restore, zero CSP violations.
 * Needs `node esbuild.mjs` first (dist/webview.js). Screenshots go to test/e2e/shots/webview-*.png.
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
import type { GateRun } from '../../language-server/src/protocol/webview';
import { cspViolations, openPanel, postToWebview, ROOT, sent, shot, startHarness, type Harness, type ThemeKind } from './harness';

const STD = path.join(ROOT, 'language-server', 'stdlib');
function dashboard(file: string, model?: string, compare?: string[]) {
  const f = path.join(STD, file);
  const doc = new DocState(`file://${f}`, f, fs.readFileSync(f, 'utf8'), analyze(f, nodeHost()), DEFAULT_SETTINGS);
  return JSON.parse(JSON.stringify(handleDashboard(doc, model, compare)));
}

const TEXT = 'Only Alexander the Great could tame the horse Bucephalus.';
const T = TEXT.length; // byte-level tokenizer: one token per ASCII character
const alpha = (i: number, b = 0): number => ((i * 37 + b * 11) % 101) / 100;

function gateRun(): GateRun {
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const causal = (q: number, k: number): number => (k <= q ? 1 / (q + 1) : 0);
  return {
    model: 'synthetic.onnx', provider: 'cpu', ms: 12.5, detail: 'load 1 ms · session 5 ms · run 12.5 ms', text: TEXT, untrained: true,
    attempts: [{ provider: 'cuda', ok: false, error: 'skipped: no CUDA libraries' }, { provider: 'cpu', ok: true }],
    tokens: [...TEXT].map((c) => (c === ' ' ? '␣' : c)),
    outputs: [
      { name: 'engram_alpha_l1', dims: [1, T], data: range(T).map((i) => alpha(i)) },
      { name: 'engram_alpha_l2', dims: [1, T, 2], data: range(T).flatMap((i) => [alpha(i, 0), alpha(i, 1)]) },
      { name: 'moe_probs_l1', dims: [1, T, 4], data: range(T).flatMap((i) => [0.7, 0.1, 0.1, 0.1].map((_, e, a) => a[(e + i) % 4])) },
      { name: 'attn_probs_l0', dims: [1, 2, T, T], data: range(2 * T * T).map((j) => causal(Math.floor(j / T) % T, j % T)) },
      { name: 'hc_res_l1', dims: [1, T, 2, 2], data: range(T).flatMap(() => [0.75, 0.25, -0.25, 0.75]) },
      { name: 'logits', dims: [1, 1], data: [0] },
    ],
  };
}

let h: Harness;
const shots: string[] = [];
before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'webview.js')), 'run `node esbuild.mjs` first');
  h = await startHarness();
});
after(async () => { await h?.close(); console.log(`screenshots: ${shots.map((s) => path.relative(ROOT, s)).join(', ')}`); });

async function charts(page: Page): Promise<{ id: string; type: string; datasets: number; points: number }[]> {
  return page.evaluate(() => (window as unknown as { archlens: { charts(): { id: string; type: string; datasets: number; points: number }[] } }).archlens.charts());
}

/** Non-transparent pixels in a canvas (chart.js drew something). */
async function inked(page: Page, id: string): Promise<number> {
  return page.evaluate((cid) => {
    const c = document.getElementById(cid) as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  }, id);
}

test('dashboard: every chart renders for Llama 3 (with compare) and Engram-27B (ρ sweep), zero CSP violations', async () => {
  for (const theme of ['dark', 'light', 'high-contrast'] as ThemeKind[]) {
    const { page, consoleErrors } = await openPanel(h, 'dashboard', theme);
    await postToWebview(page, { type: 'dashboard', data: dashboard('llama3.arch', 'Llama3_8B', ['Llama3_1_70B']) });
    await page.waitForSelector('#chart-roofline');
    await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 9);
    const ids = (await charts(page)).map((c) => c.id).sort();
    assert.deepEqual(ids, ['chart-compare', 'chart-ctx-cache', 'chart-ctx-decode', 'chart-ctx-flops', 'chart-deploy-memory', 'chart-flops', 'chart-overlay', 'chart-params', 'chart-pareto', 'chart-roofline', 'chart-train-memory']);
    for (const id of ids) assert.ok((await inked(page, id)) > 500, `${id} is drawn`);
    assert.match(await page.textContent('#compare-table') ?? '', /Llama3_1_70B/);
    assert.match(await page.textContent('#summary') ?? '', /8\.\d+ B params/);
    if (theme === 'dark') {
      const roof = (await charts(page)).find((c) => c.id === 'chart-roofline')!;
      assert.equal(roof.type, 'scatter');
      assert.ok(roof.points > 10, 'block points on the roofline');
    }
    shots.push(await shot(page, `webview-dashboard-${theme}.png`));
    // Engram-27B vs MoE-27B with the ρ sweep and its on-chart note.
    await postToWebview(page, { type: 'dashboard', data: dashboard('engram.arch', 'Engram27B', ['MoE27B']) });
    await page.waitForSelector('#chart-allocation');
    await page.waitForFunction(() => document.querySelectorAll('canvas').length === 12); // the Llama charts above plus the ρ sweep
    assert.ok((await inked(page, 'chart-allocation')) > 500);
    assert.match(await page.textContent('#loss-note') ?? '', /cannot be computed/);
    assert.match(await page.textContent('#allocation') ?? '', /ρ = 74\.3 %/);
    if (theme === 'dark') shots.push(await shot(page, 'webview-dashboard-engram-dark.png'));
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  }
});

test('dashboard: controls post typed messages, malformed host messages are ignored, state is saved', async () => {
  const { page } = await openPanel(h, 'dashboard');
  await postToWebview(page, { type: 'dashboard', data: dashboard('engram.arch', 'Engram27B') });
  await page.waitForSelector('#chart-allocation');
  await page.check('#cmp-MoE27B');
  await page.selectOption('#model-pick', 'Dense4B');
  await page.click('#pick-hw');
  const msgs = (await sent(page)).filter((m) => m.type !== 'ready');
  assert.deepEqual(msgs, [
    { type: 'dashboardOptions', model: 'Engram27B', compare: ['MoE27B'] },
    { type: 'dashboardOptions', model: 'Dense4B', compare: [] },
    { type: 'selectHardware' },
  ]);
  const summary = await page.textContent('#summary');
  await postToWebview(page, { type: 'dashboard', data: { model: 'Broken' } });
  await postToWebview(page, { type: 'dashboard', data: { ...dashboard('llama3.arch'), roofline: null } });
  await page.waitForTimeout(100);
  assert.equal(await page.textContent('#summary'), summary, 'malformed data never rendered');
  assert.ok(await page.$('#chart-allocation'), 'the Engram dashboard is still shown');
  const state = await page.evaluate(() => (window as unknown as { __state: { panel: string; model: string } }).__state);
  assert.equal(state.panel, 'dashboard');
  assert.equal(state.model, 'Engram27B');
  // Restore: a fresh webview with that state renders without any host message.
  const again = await openPanel(h, 'dashboard', 'dark', state);
  await again.page.waitForSelector('#chart-allocation');
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(await cspViolations(again.page), []);
  await page.close();
  await again.page.close();
});

test('gates: α_t token strip values, white→red colours, hover tooltip, selectors, progress, provider, notice', async () => {
  for (const theme of ['dark', 'light', 'high-contrast'] as ThemeKind[]) {
    const { page, consoleErrors } = await openPanel(h, 'gates', theme);
    await postToWebview(page, { type: 'gatesModel', model: { label: 'synthetic.onnx', bundled: true, untrained: true, trusted: true } });
    await postToWebview(page, { type: 'gatesStatus', state: 'running', message: 'Running (running, cpu)…', elapsedMs: 1500 });
    await page.waitForSelector('#progress');
    assert.equal(await page.isDisabled('#cancel'), false);
    assert.equal(await page.isDisabled('#run'), true);
    await page.click('#cancel');
    assert.ok((await sent(page)).some((m) => m.type === 'cancelGates'));
    await postToWebview(page, { type: 'gates', run: gateRun() });
    await page.waitForSelector('#alpha-strip');
    assert.equal(await page.isVisible('#progress'), false);
    assert.equal(await page.textContent('#provider'), 'provider: cpu');
    assert.equal(await page.textContent('#run-time'), '12.5 ms');
    assert.match(await page.textContent('#untrained') ?? '', /untrained/);
    // One row for layer 1 ([B,T]) and two for layer 2 ([B,T,M], M = 2); T cells each.
    assert.deepEqual(await page.$$eval('#alpha-strip .strip-row', (rows) => rows.map((r) => (r as HTMLElement).dataset.row)), ['l1', 'l2b0', 'l2b1']);
    const cells = await page.$$eval('#alpha-strip .strip-row[data-row="l2b1"] .tok', (cs) => cs.map((c) => ({
      alpha: (c as HTMLElement).dataset.alpha, bg: getComputedStyle(c).backgroundColor, text: c.textContent, title: (c as HTMLElement).title })));
    assert.equal(cells.length, T);
    for (const [i, c] of cells.entries()) {
      const a = alpha(i, 1);
      const g = Math.round(255 * (1 - a));
      assert.equal(c.alpha, a.toFixed(4));
      assert.equal(c.bg, `rgb(255, ${g}, ${g})`, `token ${i}`);
      assert.match(c.title, new RegExp(`α = ${a.toFixed(4)} · layer 2 · branch 1 · token ${i} `));
    }
    assert.equal(cells[5].text, 'A');
    // Hover shows the tooltip element with the exact value.
    await page.hover('#alpha-strip .strip-row[data-row="l1"] .tok >> nth=10');
    await page.waitForSelector('#tooltip', { state: 'visible' });
    assert.match(await page.textContent('#tooltip') ?? '', new RegExp(`^α = ${alpha(10).toFixed(4)} · layer 1 · token 10 “n”`));
    if (theme === 'dark') await checkSelectors(page);
    shots.push(await shot(page, `webview-gates-${theme}.png`));
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  }
});

async function checkSelectors(page: Page): Promise<void> {
  assert.equal(await page.$$eval('#moe-matrix .mcell', (c) => c.length), T * 4);
  assert.equal(await page.$$eval('#attn-matrix .mcell', (c) => c.length), T * T);
  assert.equal(await page.$$eval('#hc-matrix .mcell', (c) => c.length), 4);
  // Signed hc matrix → diverging scale: −0.25 of max 0.75 is light blue.
  assert.equal(await page.$eval('#hc-matrix .mcell >> nth=2', (c) => getComputedStyle(c).backgroundColor), 'rgb(170, 170, 255)');
  await page.selectOption('#attn-head', '1');
  await page.waitForSelector('#attn-matrix');
  assert.match(await page.getAttribute('#attn-matrix', 'aria-label') ?? '', /head 1/);
  await page.selectOption('#alpha-row', 'l2b0');
  assert.deepEqual(await page.$$eval('#alpha-strip .strip-row', (rows) => rows.map((r) => (r as HTMLElement).dataset.row)), ['l2b0']);
  await page.fill('#gate-text', 'By the way');
  await page.click('#run');
  assert.deepEqual((await sent(page)).at(-1), { type: 'runGates', text: 'By the way' });
  await page.selectOption('#alpha-row', 'all');
  // State restore: a fresh webview given the saved state shows the same run without a host message.
  const state = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
  const again = await openPanel(h, 'gates', 'dark', state);
  await again.page.waitForSelector('#alpha-strip');
  assert.equal(await again.page.$$eval('#alpha-strip .tok', (c) => c.length), 3 * T);
  assert.equal(await again.page.inputValue('#gate-text'), 'By the way');
  await again.page.close();
  // A malformed run (data size ≠ dims) is ignored.
  await postToWebview(page, { type: 'gates', run: { ...gateRun(), outputs: [{ name: 'engram_alpha_l1', dims: [1, 5], data: [1] }] } });
  await page.waitForTimeout(50);
  assert.equal(await page.$$eval('#alpha-strip .tok', (c) => c.length), 3 * T);
}

test('gates: per-token gates layers × tokens, expert load bars, mHC composite gain, device label, PNG/CSV export', async () => {
  const { page, consoleErrors } = await openPanel(h, 'gates', 'dark');
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const base = gateRun();
  const run: GateRun = {
    ...base, provider: 'webgpu', device: 'llvmpipe (LLVM 15.0.6, 256 bits)',
    attempts: [{ provider: 'webgpu', ok: true, device: 'llvmpipe (LLVM 15.0.6, 256 bits)' }],
    outputs: [
      ...base.outputs,
      { name: 'hc_res_l2', dims: [1, T, 2, 2], data: range(T).flatMap(() => [1, 0.5, 0, 1]) },
      { name: 'ssm_delta_l0', dims: [1, T, 2], data: range(T).flatMap((i) => [i / 10, i / 10 + 1]) },
      { name: 'ssm_delta_l3', dims: [1, T, 2], data: range(T).flatMap(() => [0.5, 0.5]) },
      { name: 'decay_l1', dims: [1, T], data: range(T).map((i) => alpha(i)) },
      { name: 'titans_theta_l0', dims: [1, T], data: range(T).map(() => 0.05) },
    ],
  };
  await postToWebview(page, { type: 'gates', run });
  await page.waitForSelector('#gate-ssm_delta');
  assert.equal(await page.textContent('#provider'), 'provider: webgpu (llvmpipe (LLVM 15.0.6, 256 bits))');
  // Δ: two layers × T tokens, mean over the 2 channels; colour scaled to the largest mean.
  assert.equal(await page.$$eval('#gate-ssm_delta .mcell', (c) => c.length), 2 * T);
  assert.equal(await page.$eval('#gate-ssm_delta .mcell >> nth=3', (c) => (c as HTMLElement).dataset.value), (0.3 + 0.5).toFixed(4));
  assert.equal(await page.$$eval('#gate-decay .mcell', (c) => c.length), T);
  assert.equal(await page.$$eval('#gate-titans_theta .mcell', (c) => c.length), T);
  // MoE load: the rotating router gives every expert a share near 25 %.
  const loads = await page.$$eval('#moe-load .load-bar', (bs) => bs.map((b) => Number((b as HTMLElement).dataset.load)));
  assert.equal(loads.length, 4);
  assert.ok(Math.abs(loads.reduce((s, x) => s + x, 0) - 1) < 1e-3);
  // Composite gain: layer 1 alone has row sums 1.0 and 1.0 (|−0.25| + 0.75); with layer 2 the first row reaches 1.5.
  const gain = await page.$$eval('#mhc-gain .mcell', (c) => c.map((x) => Number((x as HTMLElement).dataset.value)));
  assert.equal(gain.length, 2 * T);
  assert.equal(gain[0], 1);
  assert.ok(gain[T] > 1, `composite gain ${gain[T]}`);
  await page.click('#gate-decay-csv');
  await page.click('#mhc-gain-png');
  const msgs = (await sent(page)).filter((m) => m.type === 'exportHeatmap') as unknown as { name: string; format: string; data: string }[];
  assert.deepEqual(msgs.map((m) => [m.name, m.format]), [['gate-decay', 'csv'], ['mhc-gain', 'png']]);
  assert.equal(msgs[0].data.split('\n')[1].split(',').length, T + 1, 'a row label and T values');
  assert.match(msgs[1].data, /^data:image\/png;base64,/);
  shots.push(await shot(page, 'webview-gates-more.png'));
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('gates: a long attention map draws its first 128 rows with a visible "showing N of M" note, not one element per value', async () => {
  const { page } = await openPanel(h, 'gates', 'dark');
  const L = 300;
  const base = gateRun();
  const text = 'x'.repeat(L);
  const run: GateRun = {
    ...base, text, tokens: [...text],
    outputs: [{ name: 'attn_probs_l0', dims: [1, 1, L, L], data: Array.from({ length: L * L }, (_, j) => (j % L <= Math.floor(j / L) ? 1 / (Math.floor(j / L) + 1) : 0)) }],
  };
  await postToWebview(page, { type: 'gates', run });
  await page.waitForSelector('.matrix-note');
  assert.match(await page.textContent('.matrix-note') ?? '', /showing 128 of 300 rows × 300 of 300 columns/);
  assert.equal(await page.$$eval(".mcell", (c) => c.length), 128 * 300);
  await page.close();
});
