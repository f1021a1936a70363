// `npm start` as a new user runs it, headless: it prints the address, a real browser edits and saves a file in
// the editor it opened, "Ctrl+C" (SIGINT to the foreground process group, as a terminal sends it) stops it, and
// the checkout is as clean as before: `git status --porcelain` unchanged, no `.start/`, no temp folders left.
// Run: bash test/e2e/setup.sh && node --import tsx --test test/e2e/start.e2e.ts
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, ROOT, openFile, screenshot, sleep } from './workbench';

const FILE = 'hyena_lm.arch';
const gitStatus = (): string => execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' });
const tempLeftovers = (): string[] => fs.readdirSync(os.tmpdir()).filter((n) => /^archlens-start-/.test(n));

function waitForUrl(out: () => string, exited: () => boolean, timeout = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const end = Date.now() + timeout;
    const poll = (): void => {
      const m = /^ARCHLENS_URL (\S+)$/m.exec(out());
      if (m) return resolve(m[1]);
      if (exited() || Date.now() > end) return reject(new Error(`npm start printed no address:\n${out()}`));
      setTimeout(poll, 200);
    };
    poll();
  });
}

/** Edits the example in the editor and saves it (Ctrl+S); returns the scratch copy's path from the URL. */
async function editAndSave(url: string): Promise<string> {
  const xdg = fs.mkdtempSync(path.join(ROOT, '.start', 'chromium-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_CACHE_HOME: xdg },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
    await openFile(page, FILE);
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# edited by start.e2e.ts\n');
    await page.keyboard.press('Control+S');
    await sleep(1500);
    await screenshot(page, 'start-edited');
  } finally {
    await browser.close();
  }
  return decodeURIComponent(new URL(url).searchParams.get('folder') ?? '');
}

test('npm start opens a scratch copy; editing, saving and Ctrl+C leave the checkout clean', { timeout: 300_000 }, async () => {
  const before = gitStatus();
  const tempBefore = tempLeftovers();
  const child = spawn('npm', ['start'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ARCHLENS_START_CODE_SERVER: '1', npm_config_update_notifier: 'false' } });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await waitForUrl(() => out, () => child.exitCode !== null);
    const scratch = await editAndSave(url);
    assert.equal(path.relative(ROOT, scratch), path.join('.start', 'examples'), 'the editor opens the scratch copy');
    assert.match(fs.readFileSync(path.join(scratch, FILE), 'utf8'), /^# edited by start\.e2e\.ts/, 'the save reached the scratch copy');
    assert.ok(fs.existsSync(path.join(scratch, '.vscode', 'settings.json')), 'the scratch workspace has its own settings');
    assert.doesNotMatch(fs.readFileSync(path.join(ROOT, 'examples', FILE), 'utf8'), /edited by start/);
  } finally {
    process.kill(-child.pid!, 'SIGINT'); // what Ctrl+C in a terminal does
  }
  const code = await Promise.race([exited, sleep(20_000).then(() => 'timeout' as const)]);
  assert.notEqual(code, 'timeout', `npm start did not stop on Ctrl+C:\n${out}`);
  assert.equal(gitStatus(), before, 'git status --porcelain is unchanged');
  assert.ok(!fs.existsSync(path.join(ROOT, '.start')), '.start/ is deleted on stop');
  assert.deepEqual(tempLeftovers().filter((n) => !tempBefore.includes(n)), [], 'no /tmp/archlens-start-* left');
  assert.doesNotMatch(out, /File Watcher crashed/);
});
