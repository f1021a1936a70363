// The real Archlens extension (repo root, built by esbuild.mjs) in a real VS Code workbench (code-server +
// Chromium): activation, hover cost cards, diagnostics in the Problems view, code lenses (opening the dashboard), the status bar
// item and settings changes. Expected numbers come from the CLI (`archlens report --json`), not constants.
// Run: bash test/e2e/setup.sh && node esbuild.mjs && node --import tsx --test test/e2e/editor.e2e.ts
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, SHOTS, TMP, hoverWord, openFile, problems, runCommand, screenshot, sleep, startWorkbench, webview, type Workbench } from './workbench';
import { formatCount, formatSeconds } from '../../language-server/src/format/units';

const MODEL_FILE = 'llama3_8b.arch';

interface CliBlock { kind: string; params: { total: number } }
interface CliModel {
  name: string; seq: number; hardware: string;
  totals: { params: { total: number; active: number } };
  time: { decode: { seconds: number; bound: string } };
  blocks: CliBlock[];
}

/** `archlens report FILE --json` for one model, with optional CLI flags (--hardware a100, --seq N). */
function cliReport(file: string, model: string, ...flags: string[]): CliModel {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'archlens.js'), 'report', file, '--json', '--model', model, ...flags], { encoding: 'utf8' });
  const j = JSON.parse(out) as { models: CliModel[] };
  const m = j.models.find((x) => x.name === model);
  assert.ok(m, `CLI report has no model ${model}`);
  return m;
}

/** Llama-3-8B only: the LlamaLayer block and the Llama3_8B model, copied from the standard library. */
function llama3_8bText(): string {
  const std = fs.readFileSync(path.join(ROOT, 'language-server', 'stdlib', 'llama3.arch'), 'utf8');
  const cut = std.indexOf('# Llama-3.1-70B');
  assert.ok(cut > 0, 'stdlib/llama3.arch layout changed');
  return std.slice(0, cut).trimEnd() + '\n';
}

let wb: Workbench;
let root: string;
let ws: string;
let h100: CliModel;
const timings: string[] = [];

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try { return await fn(); } finally { timings.push(`${label}: ${Date.now() - t0} ms`); }
}

/** Status bar text of the Archlens item (empty when hidden). */
async function statusBarText(page: Page): Promise<string> {
  const items = page.locator('.statusbar-item', { hasText: /ms\/tok|µs\/tok|s\/tok/ });
  return (await items.allInnerTexts()).join(' | ');
}

async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeout = 20_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let v = await get();
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await sleep(250);
    v = await get();
  }
  return v;
}

async function failWithLogs(name: string, fn: () => Promise<void>): Promise<void> {
  try { await fn(); } catch (e) {
    await screenshot(wb.page, `editor-fail-${name}`).catch(() => undefined);
    const logs = wb.logs();
    console.log(`--- logs (tail) for ${name} ---\n${logs.slice(-6000)}`);
    throw e;
  }
}

before(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
  for (const f of ['dist/extension.js', 'dist/server.js']) {
    assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} is missing: the extension or the server is not built`);
  }
  fs.mkdirSync(TMP, { recursive: true });
  root = fs.mkdtempSync(path.join(TMP, 'ed'));
  ws = path.join(root, 'ws');
  fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true });
  fs.writeFileSync(path.join(ws, MODEL_FILE), llama3_8bText());
  h100 = cliReport(path.join(ws, MODEL_FILE), 'Llama3_8B', '--hardware', 'h100');
  const t0 = Date.now();
  wb = await startWorkbench({ extensionDir: ROOT, workspaceDir: ws, settings: { 'archlens.hardware': 'h100' } });
  timings.push(`workbench start: ${Date.now() - t0} ms`);
});

after(async () => {
  if (timings.length) console.log(`# timings\n${timings.map((t) => `#   ${t}`).join('\n')}`);
  await wb?.stop();
  if (root && process.env.ARCHLENS_E2E_KEEP !== '1') fs.rmSync(root, { recursive: true, force: true });
});

test('the extension activates on an example file (std/ import resolved, status bar shows totals)', () => failWithLogs('activate', async () => {
  const example = cliReport(path.join(ws, 'llama3_long_context.arch'), 'Llama3_8B_128K');
  await timed('open example + activation + first status bar', async () => {
    await openFile(wb.page, 'llama3_long_context.arch');
    const text = await waitFor('the Archlens status bar item', () => statusBarText(wb.page), (t) => t.includes('Llama3_8B_128K'), 45_000);
    assert.match(text, new RegExp(`Llama3_8B_128K · ${formatCount(example.totals.params.total)} · ${formatSeconds(example.time.decode.seconds)}/tok \\(H100\\)`));
  });
  await screenshot(wb.page, 'editor-activated');
  assert.match(wb.logs(), /archlens\.archlens/i, 'the extension host log mentions the extension');
  assert.match(wb.logs(), /activated in [\d.]+ ms/, 'the extension logs its activation time');
}));

test('hovering a block shows its cost card with the parameter count', () => failWithLogs('hover', async () => {
  const mlp = h100.blocks.filter((b) => b.kind === 'gated_mlp').reduce((s, b) => s + b.params.total, 0);
  const expected = formatCount(mlp); // 32 SwiGLU MLPs of Llama-3-8B: "5.64 B"
  await openFile(wb.page, MODEL_FILE);
  const text = await timed('hover gated_mlp', () => hoverWord(wb.page, 'gated_mlp', { expect: expected, timeout: 30_000 }));
  await screenshot(wb.page, 'hover'); // the README's docs/images/hover.png: npm run screenshots
  assert.match(text, /gated_mlp × 32/);
  assert.ok(text.includes(`${expected} total`), `hover shows ${expected}: ${text}`);
  assert.ok(text.includes('NVIDIA H100 SXM5 80GB'), 'roofline row names the hardware');
}));

test('a code lens with the totals appears above the model; its dashboard link runs the command', () => failWithLogs('codelens', async () => {
  const lens = wb.page.locator('.monaco-editor .codelens-decoration');
  const text = await timed('code lens', () => waitFor('the code lens', async () => (await lens.allInnerTexts()).join(' | '), (t) => t.includes('params'), 20_000));
  await screenshot(wb.page, 'editor-codelens');
  assert.ok(text.includes(`${formatCount(h100.totals.params.total)} params`), text);
  assert.ok(text.includes(`decode ${formatSeconds(h100.time.decode.seconds)}/tok (h100)`), text);
  // Click with the mouse at the link's box: locator.click() scrolls it into view, which scrolls Monaco's
  // overflow-hidden DOM container and leaves the editor blank.
  await wb.page.keyboard.press('Escape');
  await wb.page.mouse.move(5, 5);
  const link = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Open cost dashboard' }).first();
  const box = await link.boundingBox();
  assert.ok(box, 'the "Open cost dashboard" lens link is visible');
  await wb.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const tabs = await waitFor('the dashboard panel', async () => (await wb.page.locator('.tab').allInnerTexts()).join(' | '), (t) => t.includes('Archlens: Llama3_8B'), 20_000);
  assert.match(tabs, /Archlens: Llama3_8B/);
  await waitFor('dashboard charts', () => webview(wb.page).locator('canvas').count(), (n) => n >= 4, 30_000);
  await openFile(wb.page, MODEL_FILE); // back to the editor; the dashboard stays open beside it
}));

test('changing archlens.hardware (Select Hardware command) updates hover, status bar and code lens', () => failWithLogs('hardware', async () => {
  const a100 = cliReport(path.join(ws, MODEL_FILE), 'Llama3_8B', '--hardware', 'a100');
  const before = await hoverWord(wb.page, 'Llama3_8B', { expect: 'NVIDIA H100 SXM5 80GB' });
  assert.ok(before.includes(`${formatSeconds(h100.time.decode.seconds)} ${h100.time.decode.bound}-bound`), before);
  await timed('select hardware a100 → hover updated', async () => {
    await runCommand(wb.page, 'Archlens: Select Hardware for Estimates');
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('a100');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'A100' }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await timed('  of which: Enter → status bar on A100', () => waitFor('status bar on A100', () => statusBarText(wb.page), (t) => t.includes('(A100)')));
    const after = await hoverWord(wb.page, 'Llama3_8B', { expect: 'NVIDIA A100 SXM 80GB', timeout: 20_000 });
    assert.ok(after.includes(`${formatSeconds(a100.time.decode.seconds)} ${a100.time.decode.bound}-bound`), after);
    assert.notEqual(formatSeconds(a100.time.decode.seconds), formatSeconds(h100.time.decode.seconds));
  });
  await screenshot(wb.page, 'editor-hover-a100');
  const settings = JSON.parse(fs.readFileSync(path.join(ws, '.vscode', 'settings.json'), 'utf8'));
  assert.equal(settings['archlens.hardware'], 'a100', 'the command writes the workspace setting');
  await waitFor('status bar on A100', () => statusBarText(wb.page), (t) => t.includes('(A100)') && t.includes(`${formatSeconds(a100.time.decode.seconds)}/tok`));
  await waitFor('code lens on a100', async () => (await wb.page.locator('.monaco-editor .codelens-decoration').allInnerTexts()).join(' '), (t) => t.includes('(a100)'));
}));

test('changing archlens.seq in settings.json updates the hover (context length, decode time)', () => failWithLogs('seq', async () => {
  const seq = 32_768;
  const long = cliReport(path.join(ws, MODEL_FILE), 'Llama3_8B', '--hardware', 'a100', '--seq', String(seq));
  const file = path.join(ws, '.vscode', 'settings.json');
  const settings = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { 'archlens.hardware': 'a100' };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await timed('seq 32768 → hover updated', async () => {
    fs.writeFileSync(file, JSON.stringify({ ...settings, 'archlens.seq': seq }, null, 2));
    const text = await hoverWord(wb.page, 'Llama3_8B', { expect: `L = ${seq.toLocaleString('en-US')}`, timeout: 20_000 });
    assert.ok(text.includes(`${formatSeconds(long.time.decode.seconds)} ${long.time.decode.bound}-bound`), text);
  });
  await screenshot(wb.page, 'editor-hover-seq');
}));

test('a deliberate error shows a diagnostic in the Problems view', () => failWithLogs('diagnostic', async () => {
  // Put the cursor on the `lm_head` line inside the model (click on the word, then End).
  await wb.page.keyboard.press('Escape');
  const p = await wb.page.evaluate(() => {
    const lines = Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line'));
    for (const l of lines) {
      if (l.getBoundingClientRect().height === 0) continue; // a hidden editor's lines
      const walker = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = (n.textContent ?? '').replace(/\u00a0/g, ' ');
        if (t.trim() !== 'lm_head') continue;
        const r = document.createRange();
        r.selectNodeContents(n);
        const b = r.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      }
    }
    return null;
  });
  assert.ok(p, 'the lm_head line is visible');
  await wb.page.mouse.click(p.x, p.y);
  await sleep(200);
  await wb.page.keyboard.press('End');
  await wb.page.keyboard.press('Enter');
  await sleep(200);
  await wb.page.keyboard.type('atention(heads: 4)', { delay: 10 });
  const text = await timed('typed error → Problems view', () =>
    waitFor('the diagnostic in the Problems view', () => problems(wb.page, 300), (t) => t.includes("unknown block 'atention'"), 20_000));
  await screenshot(wb.page, 'editor-problems');
  assert.match(text, /unknown block 'atention'/);
  assert.match(text, /attention/, 'the message suggests the built-in kind');
  assert.ok(fs.readdirSync(SHOTS).includes('hover.png'));
}));
