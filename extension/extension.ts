/**
 * Archlens extension entry point: starts the language server client, the model-totals status bar item and
 * the commands. Everything here is declarative tooling (no code from the workspace runs), so it is enabled
 * in Restricted Mode too (package.json: capabilities.untrustedWorkspaces = limited).
 * Activation returns at once; the language server starts in the background and the time of both is logged
 * to the "Archlens" output channel (read by the activation benchmark).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { registerCommands } from './commands';
import { ModelStatusBar } from './statusBar';
import { InferenceRunner } from './inference/runner';
import { deleteProbeFiles } from './inference/probeFiles';
import { registerPanelSerializers } from './panels/serializer';
import { inferenceEnv, inferenceProvider, onInferenceSettings } from './config';

const loadedAt = performance.now();
let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Archlens', { log: true });
  const lc = createClient(context);
  client = lc;
  const status = new ModelStatusBar(lc);
  // Inference runs in a child process, started when a gate panel opens (or on the first run).
  const runner = new InferenceRunner(context.asAbsolutePath('dist/inference.js'), { env: inferenceEnv() });
  // Compiled probes go to a private folder of the extension's own storage (never the shared temp folder).
  const probeDir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'probes').fsPath;
  deleteProbeFiles(probeDir);
  const bundledModel = vscode.Uri.joinPath(context.extensionUri, 'models', 'engram-moe-tiny.onnx');
  // Opening the gate panel starts the process and the bundled model's session (cached for the first real run).
  const warm = (): void => void runner.run({ modelPath: bundledModel.fsPath, inputIds: [32], provider: inferenceProvider() }).catch(() => undefined);
  const panels = {
    dashboard: { extensionUri: context.extensionUri, client: lc, runner },
    gates: {
      extensionUri: context.extensionUri, runner, bundledModel,
      releaseProbes: () => void deleteProbeFiles(probeDir), provider: inferenceProvider, warm,
    },
  };
  context.subscriptions.push(
    log, status, { dispose: () => runner.dispose() }, onInferenceSettings(() => runner.setEnv(inferenceEnv())),
    ...registerPanelSerializers(panels.dashboard, panels.gates),
    ...registerCommands({ client: lc, currentModel: () => status.current?.name, currentHardware: () => status.current?.hardware, panels, probes: { runner, dir: probeDir } }),
  );
  lc.start().then(
    () => {
      log.info(`language server ready ${(performance.now() - started).toFixed(1)} ms after activation`);
      status.schedule(0);
    },
    (e: Error) => void vscode.window.showErrorMessage(`Archlens: the language server did not start: ${e.message}`),
  );
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms (module loaded ${(started - loadedAt).toFixed(1)} ms before activate)`);
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.needsStop()) await c.stop();
}
