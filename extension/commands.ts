/** Commands: cost dashboard and gate visualization panels, server restart, hardware picker. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands } from '../language-server/src/protocol/lsp';
import { configuredHardware, customHardwareIds, setHardware } from './config';
import { HARDWARE } from '../language-server/src/cost/hardware';
import { DashboardPanel, type DashboardDeps } from './panels/dashboardPanel';
import { GatesPanel, type GatesDeps } from './panels/gatesPanel';
import type { InferenceRunner } from './inference/runner';
import { requestSnapshot } from './snapshot';

export interface CommandContext {
  client: LanguageClient;
  /** The model shown in the status bar, used when a command runs from the palette without an argument. */
  currentModel(): string | undefined;
  /** The hardware id of the estimates shown in the status bar (as the server resolved it). */
  currentHardware(): string | undefined;
  panels: { dashboard: DashboardDeps; gates: GatesDeps };
  /** Compiles probes in the inference worker into `dir`, the private probe folder of the extension's storage. */
  probes: { runner: Pick<InferenceRunner, 'compileProbe'>; dir: string };
}

/** The model a command was invoked for: the code lens passes its name; the palette uses the status bar's. */
function modelName(arg: unknown, ctx: CommandContext): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { name?: unknown }).name === 'string') return (arg as { name: string }).name;
  return ctx.currentModel();
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.openDashboard, (model?: unknown) => {
      const ed = vscode.window.activeTextEditor;
      if (!ed || ed.document.languageId !== 'arch') { void vscode.window.showInformationMessage('Archlens: open an .arch file first.'); return; }
      DashboardPanel.show(ctx.panels.dashboard, ed.document.uri, modelName(model, ctx), ed.document.offsetAt(ed.selection.active));
    }),
    vscode.commands.registerCommand(Commands.visualizeGates, () => {
      const ed = vscode.window.activeTextEditor;
      GatesPanel.show(ctx.panels.gates, ed && !ed.selection.isEmpty ? ed.document.getText(ed.selection) : undefined);
    }),
    vscode.commands.registerCommand(Commands.visualizeProbeGates, (model?: unknown) => visualizeProbe(ctx, modelName(model, ctx))),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      await ctx.client.restart();
      vscode.window.setStatusBarMessage('$(check) Archlens language server restarted', 3000);
    }),
    vscode.commands.registerCommand(Commands.selectHardware, async (id?: unknown) => {
      const custom = customHardwareIds();
      if (typeof id === 'string' && (HARDWARE.some((h) => h.id === id) || custom.some((c) => c.id === id))) return setHardware(id);
      const current = ctx.currentHardware() ?? configuredHardware() ?? '';
      const items = [...HARDWARE.map((h) => ({
        label: h.id === current ? `$(check) ${h.id}` : h.id,
        id: h.id,
        description: h.name,
        detail: `${fmt(h.bf16 / 1e12)} TFLOP/s bf16 · ${fmt(h.bandwidth / 1e9)} GB/s · ${fmt(h.memory / 1e9)} GB`,
      })), ...custom.map((c) => ({
        label: c.id === current ? `$(check) ${c.id}` : c.id, id: c.id, description: c.name, detail: 'archlens.customHardware',
      }))];
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Archlens: hardware for roofline estimates',
        placeHolder: `current: ${current}`,
        matchOnDescription: true,
      });
      if (pick) await setHardware(pick.id);
    }),
  ];
}

/**
 * Compiles a probe of the editor's model (from the server's program snapshot, in the inference worker) to an .onnx
 * in the private probe folder and opens the gate panel on it (untrained notice).
 */
async function visualizeProbe(ctx: CommandContext, model: string | undefined): Promise<void> {
  const ed = vscode.window.activeTextEditor;
  if (!ed || ed.document.languageId !== 'arch') { void vscode.window.showInformationMessage('Archlens: open an .arch file first.'); return; }
  const probe = await vscode.window.showInputBox({
    title: 'Archlens: probe to compile (untrained, seeded weights)', value: 'layers=2,width=8',
    prompt: 'layers=N (per layers group), width=divisor or d_model=N, vocab=N; the gate panel fits the text to 32 tokens',
  });
  if (probe === undefined) return;
  try {
    const snapshot = await requestSnapshot(ctx.client, ed.document.uri);
    const { probe: compiled } = await ctx.probes.runner.compileProbe({ snapshot, model, probe: probe.trim(), seq: 32, dir: ctx.probes.dir });
    if (!compiled.gates.length) void vscode.window.showInformationMessage(`Archlens: ${compiled.label} has no gate outputs (no block kind with a gate: see docs/gates.md).`);
    GatesPanel.show(ctx.panels.gates, ed.selection.isEmpty ? undefined : ed.document.getText(ed.selection), compiled);
  } catch (e) {
    void vscode.window.showErrorMessage(`Archlens: could not compile the probe: ${(e as Error).message}`);
  }
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toLocaleString('en-US');
}
