// Proves the harness: a throwaway extension installed into a real code-server workbench contributes a
// hover and a command, driven through Chromium. Run: bash test/e2e/setup.sh && node --import tsx --test test/e2e/smoke.e2e.ts
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TMP, hoverWord, notifications, openFile, problems, runCommand, screenshot, sleep, startWorkbench, webview, type Workbench } from './workbench';

const EXTENSION_JS = `
const vscode = require('vscode');
exports.activate = (context) => {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider('smoke', {
      provideHover(doc, pos) {
        const range = doc.getWordRangeAtPosition(pos);
        if (!range) return undefined;
        return new vscode.Hover(new vscode.MarkdownString('**HELLO-HOVER** for ' + doc.getText(range)), range);
      },
    }),
    vscode.commands.registerCommand('smoke.sayHello', async () => {
      const ws = vscode.workspace.workspaceFolders[0].uri;
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(ws, 'command-ran.txt'), Buffer.from('HELLO-COMMAND'));
      vscode.window.showInformationMessage('HELLO-COMMAND from the smoke extension');
    }),
    vscode.commands.registerCommand('smoke.webview', () => {
      const panel = vscode.window.createWebviewPanel('smoke', 'Smoke View', vscode.ViewColumn.Beside, { enableScripts: true });
      panel.webview.html = '<html><body><h1 id="msg">loading</h1>' +
        '<script>document.getElementById("msg").textContent = "HELLO-WEBVIEW " + (1 + 1);</script></body></html>';
    }),
  );
  const diags = vscode.languages.createDiagnosticCollection('smoke');
  context.subscriptions.push(diags);
  const lint = (doc) => {
    if (doc.languageId !== 'smoke') return;
    const i = doc.getText().indexOf('badword');
    if (i >= 0) {
      const r = new vscode.Range(doc.positionAt(i), doc.positionAt(i + 7));
      diags.set(doc.uri, [new vscode.Diagnostic(r, 'SMOKE-DIAGNOSTIC: badword found', vscode.DiagnosticSeverity.Warning)]);
    }
  };
  vscode.workspace.textDocuments.forEach(lint);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(lint));
};
`;

const PACKAGE_JSON = {
  name: 'hello', publisher: 'smoke', version: '0.0.1', engines: { vscode: '^1.80.0' },
  main: './extension.js', activationEvents: ['onLanguage:smoke'],
  contributes: {
    languages: [{ id: 'smoke', extensions: ['.smoke'], aliases: ['Smoke'] }],
    commands: [{ command: 'smoke.sayHello', title: 'Smoke: Say Hello' },
      { command: 'smoke.webview', title: 'Smoke: Open Webview' }],
  },
};

let wb: Workbench;
let root: string;
let ws: string;

before(async () => {
  fs.mkdirSync(TMP, { recursive: true });
  root = fs.mkdtempSync(path.join(TMP, 'smoke'));
  const ext = path.join(root, 'ext');
  ws = path.join(root, 'ws');
  fs.mkdirSync(ext, { recursive: true });
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(path.join(ext, 'package.json'), JSON.stringify(PACKAGE_JSON, null, 2));
  fs.writeFileSync(path.join(ext, 'extension.js'), EXTENSION_JS);
  fs.writeFileSync(path.join(ws, 'demo.smoke'), 'block attention\n  uses badword here\n');
  const t0 = Date.now();
  wb = await startWorkbench({ extensionDir: ext, workspaceDir: ws });
  console.log(`# workbench ready in ${Date.now() - t0} ms at ${wb.url}`);
});

after(async () => {
  await wb?.stop();
  if (root && process.env.ARCHLENS_E2E_KEEP !== '1') fs.rmSync(root, { recursive: true, force: true });
});

test('hover from a real extension host', async () => {
  await openFile(wb.page, 'demo.smoke');
  const text = await hoverWord(wb.page, 'attention', { expect: 'HELLO-HOVER' });
  await screenshot(wb.page, 'smoke-hover');
  assert.match(text, /HELLO-HOVER for attention/);
});

test('diagnostics reach the Problems view', async () => {
  let text = '';
  for (let i = 0; i < 20 && !text.includes('SMOKE-DIAGNOSTIC'); i++) text = await problems(wb.page, i ? 500 : 0);
  await screenshot(wb.page, 'smoke-problems');
  assert.match(text, /SMOKE-DIAGNOSTIC: badword found/);
});

test('command from the palette runs in the extension host', async () => {
  await runCommand(wb.page, 'Smoke: Say Hello');
  const marker = path.join(ws, 'command-ran.txt');
  for (let i = 0; i < 50 && !fs.existsSync(marker); i++) await sleep(100);
  assert.equal(fs.readFileSync(marker, 'utf8'), 'HELLO-COMMAND');
  let toast = '';
  for (let i = 0; i < 50 && !toast.includes('HELLO-COMMAND'); i++) { toast = await notifications(wb.page); await sleep(100); }
  await screenshot(wb.page, 'smoke-command');
  assert.match(toast, /HELLO-COMMAND from the smoke extension/);
});

test('webview panel renders and runs its script', async () => {
  await runCommand(wb.page, 'Smoke: Open Webview');
  const msg = webview(wb.page).locator('#msg');
  await msg.filter({ hasText: 'HELLO-WEBVIEW 2' }).waitFor({ timeout: 15_000 });
  await screenshot(wb.page, 'smoke-webview');
  assert.equal(await msg.innerText(), 'HELLO-WEBVIEW 2');
});
