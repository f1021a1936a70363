// Both panels in a real VS Code workbench (code-server + Chromium) with the real extension: the cost
// dashboard renders its charts for the model under the cursor, and the gate panel runs the bundled
// Engram+MoE model with onnxruntime-node on CPU, shows which provider ran, and shades tokens by α_t.
// Run: bash test/e2e/setup.sh && node esbuild.mjs && node --import tsx --test test/e2e/panels.e2e.ts
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, TMP, openFile, runCommand, screenshot, startWorkbench, until, webview, type Workbench } from './workbench';

let wb: Workbench;

let root: string;

before(async () => {
  for (const f of ['dist/extension.js', 'dist/server.js', 'dist/webview.js', 'dist/inference.js', 'models/engram-moe-tiny.onnx']) {
    assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} is missing (build first)`);
  }
  fs.mkdirSync(TMP, { recursive: true });
  root = fs.mkdtempSync(path.join(TMP, 'pn'));
  fs.cpSync(path.join(ROOT, 'language-server', 'stdlib'), root, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'gates', 'gate_zoo.arch'), path.join(root, 'gate_zoo.arch'));
  wb = await startWorkbench({ extensionDir: ROOT, workspaceDir: root, settings: { 'archlens.hardware': 'h100' } });
});

after(async () => {
  await wb?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('the cost dashboard opens for the model in the editor and draws its charts', async () => {
  await openFile(wb.page, 'engram.arch');
  await until('the language server', async () => (await wb.page.locator('.statusbar-item').allInnerTexts()).join(' '), (t) => /\/tok/.test(t));
  await runCommand(wb.page, 'Archlens: Open Cost Dashboard');
  const frame = webview(wb.page);
  const canvases = await until('dashboard charts', () => frame.locator('canvas').count(), (n) => n >= 4);
  assert.ok(canvases >= 4, `${canvases} charts`);
  const summary = await frame.locator('#summary').innerText();
  assert.match(summary, /params/i);
  await screenshot(wb.page, 'panel-dashboard'); // the README's docs/images/dashboard.png: npm run screenshots
});

test('the gate panel runs the bundled model on CPU and shows α_t per token', async () => {
  const t0 = Date.now();
  await runCommand(wb.page, 'Archlens: Visualize Gates');
  const frame = webview(wb.page);
  await frame.locator('#gate-text').waitFor({ timeout: 30_000 });
  await frame.locator('#gate-text').fill('The Congress of the United States and the American people.');
  const clicked = Date.now();
  await frame.locator('#run').click();
  const provider = await until('the provider label', () => frame.locator('#provider').innerText(), (t) => /provider:/.test(t), 60_000, 20);
  assert.match(provider.trim(), /^provider: cpu( \(.+\))?$/, 'CPU runs here (no GPU; a software WebGPU adapter is skipped): the label names the provider that actually ran and its device');
  const alphas = await until('α cells', () => frame.locator('#alpha-strip [data-alpha]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-alpha')))), (a) => a.length > 10);
  const ms = Date.now() - t0;
  assert.ok(alphas.every((a) => a > 0 && a < 1), `α in (0, 1): ${alphas.slice(0, 8).join(', ')}`);
  assert.ok(new Set(alphas.map((a) => a.toFixed(3))).size > 3, 'the gate varies across tokens');
  assert.match(await frame.locator('#run-time').innerText(), /^[\d.]+ ms$/);
  console.log(`# command to rendered heatmap: ${ms} ms (includes typing the text and clicking Run)`);
  console.log(`# first Run click to heatmap: ${Date.now() - clicked} ms (the session was started when the panel opened)`);
  const next = 'Only Alexander the Great could tame the horse Bucephalus.';
  await frame.locator('#gate-text').fill(next);
  const again = Date.now();
  await frame.locator('#run').click();
  await until('the second heatmap', () => frame.locator('#alpha-strip [data-alpha]').count(), (n) => n === 2 * next.length, 60_000, 20);
  console.log(`# later Run click to heatmap: ${Date.now() - again} ms`);
  await screenshot(wb.page, 'panel-gates'); // the README's docs/images/gates.png: npm run screenshots
});

test('a compiled probe of every gated kind draws Δ, decay, write, Titans θ/α/η, expert load and mHC gain', async () => {
  await openFile(wb.page, 'gate_zoo.arch');
  await runCommand(wb.page, 'Archlens: Visualize Gates of a Compiled Probe');
  const box = wb.page.locator('.quick-input-widget input');
  await until('the probe input box', () => box.inputValue(), (v) => v === 'layers=2,width=8', 15_000);
  await wb.page.keyboard.press('Enter');
  const frame = webview(wb.page);
  await until('the probe model', () => frame.locator('#model-label').innerText(), (t) => /GateZoo/.test(t), 60_000);
  await frame.locator('#run').click();
  for (const id of ['#gate-ssm_delta', '#gate-decay', '#gate-write', '#gate-titans_theta', '#gate-titans_alpha', '#gate-titans_eta', '#moe-load', '#mhc-gain']) {
    await frame.locator(id).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator(`${id} .mcell, ${id} .load-bar`).count() > 0, true, `${id} has cells`);
  }
  // The text is longer than the probe's T = 32: it runs in chunks of 32 and every byte token gets a column.
  const n = Buffer.byteLength(await frame.locator('#gate-text').inputValue());
  assert.ok(n > 32);
  assert.equal(await frame.locator('#gate-ssm_delta .mcell').count(), 2 * n, 'two layers × every token, across chunks');
  assert.match(await frame.locator('.run-info .note').innerText(), /\d+ chunks/);
  await frame.locator('#gate-ssm_delta').scrollIntoViewIfNeeded();
  await screenshot(wb.page, 'panel-gates-probe'); // docs/images/gates-probe.png: npm run screenshots
});

test('forcing WebGPU (archlens.inference.provider) runs on the adapter and names it, or says why it cannot', async () => {
  // A second workbench whose user settings force WebGPU (the first one's automatic order ran on CPU above).
  const forced = await startWorkbench({ extensionDir: ROOT, workspaceDir: root, settings: { 'archlens.hardware': 'h100', 'archlens.inference.provider': 'webgpu' } });
  try {
    await openFile(forced.page, 'engram.arch');
    await until('the language server', async () => (await forced.page.locator('.statusbar-item').allInnerTexts()).join(' '), (t) => /\/tok/.test(t));
    const t0 = Date.now();
    await runCommand(forced.page, 'Archlens: Visualize Gates');
    const frame = webview(forced.page);
    await frame.locator('#gate-text').waitFor({ timeout: 30_000 });
    await frame.locator('#gate-text').fill('The Congress of the United States and the American people.');
    await frame.locator('#run').click();
    const label = (): Promise<string> => frame.locator('#provider').innerText().then((t) => t.trim());
    const err = (): Promise<string> => frame.locator('#gates-error').innerText().catch(() => '');
    const seen = await until('the WebGPU run', async () => `${await label().catch(() => '')}|${await err()}`, (t) => /provider: \w|Inference failed/.test(t), 120_000);
    console.log(`# forced WebGPU: ${seen} (${Date.now() - t0} ms from the command)`);
    if (/provider: webgpu/.test(seen)) {
      assert.match(seen, /^provider: webgpu \(.+\)/, 'the adapter is named next to the provider');
      await screenshot(forced.page, 'panel-gates-webgpu'); // docs/images/gates-webgpu.png: npm run screenshots
    } else {
      assert.match(seen, /Inference failed.*webgpu/, 'forced: no fallback, the failure names the provider');
    }
  } finally {
    await forced.stop();
  }
});
