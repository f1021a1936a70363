/**
 * Runs INSIDE a VS Code extension host (launched by @vscode/test-electron): checks the extension
 * through the editor's own API — hover, code lens and diagnostics providers as VS Code calls them.
 * Bundled by vscode.test.ts with esbuild (vscode external); `run()` rejects on the first failure.
 */
import * as vscode from 'vscode';
import * as assert from 'assert';

async function poll<T>(what: string, get: () => Promise<T> | T, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const uri = vscode.Uri.joinPath(folder.uri, 'llama3_long_context.arch');
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'arch');
  const ext = vscode.extensions.getExtension('archlens.archlens');
  assert.ok(ext, 'the extension is installed');
  await poll('activation', () => ext.isActive, Boolean);

  // Hover on the model name: totals of Llama-3-8B at 128K (8,030,261,248 parameters = "8.03 B").
  const at = doc.positionAt(doc.getText().indexOf('Llama3_8B_128K') + 2);
  const hover = await poll('a hover card', async () => hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at)), (t) => t.includes('8.03 B'), 20_000);
  assert.match(hover, /model Llama3_8B_128K/);

  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  assert.ok(lenses.some((l) => l.command?.title.startsWith('8.03 B params')), 'a code lens shows the totals');

  await editor.edit((e) => e.insert(doc.positionAt(doc.getText().lastIndexOf('}')), '  atention(heads: 4)\n'));
  const diags = await poll('a diagnostic', () => vscode.languages.getDiagnostics(uri), (d) => d.some((x) => /unknown block 'atention'/.test(x.message)));
  assert.ok(diags.length >= 1);
  await vscode.commands.executeCommand('workbench.action.files.revert');

  // The server pulls its settings (workspace/configuration): a changed archlens.hardware reaches the hover.
  const config = vscode.workspace.getConfiguration('archlens');
  await config.update('hardware', 'a100', vscode.ConfigurationTarget.Global);
  try {
    const card = async (): Promise<string> => hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at));
    await poll('a hover on A100', card, (t) => t.includes('A100'), 20_000);
  } finally {
    await config.update('hardware', undefined, vscode.ConfigurationTarget.Global);
  }
}
