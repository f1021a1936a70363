// The dashboard's overlay and layer map in a real VS Code workbench (code-server + Chromium) with the real extension
// and language server: Jamba's dashboard draws the overlay chart and a layer map with attention on 4 of 32 layers;
// clicking a layer's cell goes webview → extension host (revealSource, validated) → the editor selects the block;
// the Training section answers a new GPU count with new days, GPU-hours and ranked layouts.
// Run: bash test/e2e/setup.sh && node esbuild.mjs && node --import tsx --test test/e2e/views.e2e.ts
// Screenshots: test/e2e/shots/panel-views.png, panel-training.png (git-ignored).
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, TMP, openFile, runCommand, screenshot, startWorkbench, until, webview, type Workbench } from './workbench';

let wb: Workbench;
let root: string;

before(async () => {
  for (const f of ['dist/extension.js', 'dist/server.js', 'dist/webview.js']) assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} is missing (build first)`);
  fs.mkdirSync(TMP, { recursive: true });
  root = fs.mkdtempSync(path.join(TMP, 'vw'));
  fs.copyFileSync(path.join(ROOT, 'language-server', 'stdlib', 'jamba.arch'), path.join(root, 'jamba.arch'));
  wb = await startWorkbench({ extensionDir: ROOT, workspaceDir: root, settings: { 'archlens.hardware': 'h100' } });
});

after(async () => {
  await wb?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('Overlay and layer map render; clicking a layer reveals its block in the editor', async () => {
  try {
    await openFile(wb.page, 'jamba.arch');
    await until('the language server', async () => (await wb.page.locator('.statusbar-item').allInnerTexts()).join(' '), (t) => /\/tok/.test(t));
    await runCommand(wb.page, 'Archlens: Open Cost Dashboard');
    const frame = webview(wb.page);
    await frame.locator('#layer-map').waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('canvas#chart-overlay').count(), 1, 'the overlay chart is drawn');
    assert.equal(await frame.locator('.lm-row[data-row="mixer"] [data-kind="attention"]').count(), 4, 'attention on 4 of 32 layers');
    await frame.locator('#layermap').scrollIntoViewIfNeeded();
    await screenshot(wb.page, 'panel-views');
    const line = fs.readFileSync(path.join(root, 'jamba.arch'), 'utf8').split('\n').findIndex((l) => /^\s*attention\(/.test(l)) + 1;
    await frame.locator('#lm-0-mixer-4').click();
    await until('the editor at the attention block', async () => (await wb.page.locator('.statusbar-item').allInnerTexts()).join(' '), (t) => new RegExp(`Ln ${line},`).test(t), 30_000);
  } catch (e) {
    console.log(wb.logs());
    throw e;
  }
});

test('Training section in the real editor: a new GPU count goes to the server and the days and layouts change', async () => {
  try {
    const frame = webview(wb.page);
    await frame.locator('#train-summary').waitFor({ timeout: 60_000 });
    const before = await frame.locator('#train-summary').innerText();
    assert.match(before, /days · .* GPU-hours · MFU [\d.]+ %/);
    await frame.locator('#train-gpus').fill('64');
    await frame.locator('#train-gpus').press('Tab');
    await until('the layouts of 64 GPUs', () => frame.locator('#train-layouts-note').innerText(), (t) => /valid layouts? of 64 GPUs/.test(t), 60_000);
    const after = await until('new training figures', () => frame.locator('#train-summary').innerText(), (t) => t !== before, 60_000);
    assert.match(after, /days · .* GPU-hours/);
    await frame.locator('#training').scrollIntoViewIfNeeded();
    await screenshot(wb.page, 'panel-training');
  } catch (e) {
    console.log(wb.logs());
    throw e;
  }
});
