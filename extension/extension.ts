/**
 * Archlens extension entry point: starts the language server client, the model-totals status bar item and
 * the commands. Everything here is declarative tooling (no code from the workspace runs), so it is enabled
 * in Restricted Mode too (package.json: capabilities.untrustedWorkspaces = limited).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { registerCommands } from './commands';
import { ModelStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const lc = createClient(context);
  client = lc;
  const status = new ModelStatusBar(lc);
  context.subscriptions.push(
    status,
    ...registerCommands({ client: lc, currentModel: () => status.current?.name }),
  );
  try {
    await lc.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`Archlens: the language server did not start: ${(e as Error).message}`);
  }
  status.schedule(0);
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.needsStop()) await c.stop();
}
