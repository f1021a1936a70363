/** Commands: dashboard / gate placeholders (until the panels land), server restart, hardware picker. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands } from './protocol';
import { readSettings, setHardware } from './config';
import { HARDWARE } from '../language-server/src/cost/hardware';

export interface CommandContext {
  client: LanguageClient;
  /** The model shown in the status bar, used when a command runs from the palette without an argument. */
  currentModel(): string | undefined;
}

function modelName(arg: unknown, ctx: CommandContext): string {
  if (typeof arg === 'string' && arg) return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { name?: unknown }).name === 'string') return (arg as { name: string }).name;
  return ctx.currentModel() ?? 'the current model';
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.openDashboard, (model?: unknown) =>
      vscode.window.showInformationMessage(`Cost dashboard for ${modelName(model, ctx)}: coming with the panels`)),
    vscode.commands.registerCommand(Commands.visualizeGates, (model?: unknown) =>
      vscode.window.showInformationMessage(`Gate visualization for ${modelName(model, ctx)}: coming with the panels`)),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      await ctx.client.restart();
      vscode.window.setStatusBarMessage('$(check) Archlens language server restarted', 3000);
    }),
    vscode.commands.registerCommand(Commands.selectHardware, async (id?: unknown) => {
      if (typeof id === 'string' && HARDWARE.some((h) => h.id === id)) return setHardware(id);
      const current = readSettings().hardware;
      const items = HARDWARE.map((h) => ({
        label: h.id === current ? `$(check) ${h.id}` : h.id,
        id: h.id,
        description: h.name,
        detail: `${fmt(h.bf16 / 1e12)} TFLOP/s bf16 · ${fmt(h.bandwidth / 1e9)} GB/s · ${fmt(h.memory / 1e9)} GB`,
      }));
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Archlens: hardware for roofline estimates',
        placeHolder: `current: ${current}`,
        matchOnDescription: true,
      });
      if (pick) await setHardware(pick.id);
    }),
  ];
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toLocaleString('en-US');
}
