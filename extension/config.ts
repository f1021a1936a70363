/**
 * The client's only use of the `archlens.*` settings: writing the hardware picked by the Select Hardware
 * command. The language server reads every setting itself (workspace/configuration); the keys, defaults
 * and enums live in language-server/src/settings/schema.ts.
 */
import * as vscode from 'vscode';
import { SECTION, type SettingKey } from '../language-server/src/settings/schema';

const HARDWARE_KEY: SettingKey = 'hardware';

/** The configured hardware id as written (for the picker's check mark when no model is shown). */
export function configuredHardware(): string | undefined {
  return vscode.workspace.getConfiguration(SECTION).get<string>(HARDWARE_KEY);
}

export async function setHardware(id: string): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  // Workspace setting when a folder is open (per-project hardware), else the user setting.
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update(HARDWARE_KEY, id, target);
}
