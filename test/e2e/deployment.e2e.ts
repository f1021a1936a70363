// The dashboard's Deployment section in a real VS Code workbench (code-server + Chromium) with the real extension
// and language server: with archlens.gpus = 8 the section starts at TP 8; setting TP 4 goes webview → extension host
// → server (archlens/dashboard with the deployment) → webview, and TTFT changes. An invalid layout is a message.
// Run: bash test/e2e/setup.sh && node esbuild.mjs && node --import tsx --test test/e2e/deployment.e2e.ts
// Screenshot: test/e2e/shots/panel-deployment.png (git-ignored).
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
  root = fs.mkdtempSync(path.join(TMP, 'dp'));
  fs.copyFileSync(path.join(ROOT, 'language-server', 'stdlib', 'llama3.arch'), path.join(root, 'llama3.arch'));
  wb = await startWorkbench({ extensionDir: ROOT, workspaceDir: root, settings: { 'archlens.hardware': 'h100', 'archlens.gpus': 8, 'archlens.batch': 8 } });
});

after(async () => {
  await wb?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('Deployment: changing TP in the dashboard changes TTFT; an invalid layout shows a message', async () => {
  try {
    await openFile(wb.page, 'llama3.arch');
    await until('the language server', async () => (await wb.page.locator('.statusbar-item').allInnerTexts()).join(' '), (t) => /\/tok/.test(t));
    await runCommand(wb.page, 'Archlens: Open Cost Dashboard');
    const frame = webview(wb.page);
    await frame.locator('#deploy-ttft').waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#deploy-tp').inputValue(), '8', 'archlens.gpus = 8 and an empty archlens.parallel: tp = 8');
    const ttft8 = await frame.locator('#deploy-ttft').innerText();
    await frame.locator('#deploy-tp').fill('4');
    await frame.locator('#deploy-tp').press('Tab');
    const ttft4 = await until('TTFT at TP 4', () => frame.locator('#deploy-ttft').innerText(), (t) => t !== ttft8 && /ms|s$/.test(t), 30_000);
    assert.equal(await frame.locator('#deploy-tp').inputValue(), '4');
    console.log(`# TTFT: TP 8 ${ttft8} → TP 4 ${ttft4}`);
    assert.ok((await frame.locator('canvas#chart-pareto').count()) === 1, 'the Pareto chart is drawn');
    await frame.locator('#deployment').scrollIntoViewIfNeeded();
    await screenshot(wb.page, 'panel-deployment');
    await frame.locator('#deploy-tp').fill('3');
    await frame.locator('#deploy-tp').press('Tab');
    const err = await until('the layout message', () => frame.locator('#deploy-error').innerText(), (t) => t.length > 0, 30_000);
    assert.match(err, /tp × pp = 3 × 1 = 3 does not divide 8 GPUs/);
  } catch (e) {
    console.log(wb.logs());
    throw e;
  }
});
