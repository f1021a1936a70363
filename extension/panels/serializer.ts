/**
 * Restores the dashboard and gates panels after VS Code restarts: VS Code keeps each webview's last
 * setState() value and hands it back here. (package.json needs the activation events
 * `onWebviewPanel:archlens.dashboard` and `onWebviewPanel:archlens.gates`.)
 */
import * as vscode from 'vscode';
import { PanelViewTypes } from '../../language-server/src/protocol/lsp';
import { isWebviewState } from '../../language-server/src/protocol/webview';
import { DashboardPanel, type DashboardDeps } from './dashboardPanel';
import { GatesPanel, type GatesDeps } from './gatesPanel';

export function registerPanelSerializers(dashboard: DashboardDeps, gates: GatesDeps): vscode.Disposable[] {
  return [
    vscode.window.registerWebviewPanelSerializer(PanelViewTypes.dashboard, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        DashboardPanel.revive(panel, dashboard, isWebviewState(state) ? state : undefined);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(PanelViewTypes.gates, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        GatesPanel.revive(panel, gates, isWebviewState(state) ? state : undefined);
      },
    }),
  ];
}
