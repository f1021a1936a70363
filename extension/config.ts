/**
 * The client's only use of the `archlens.*` settings: writing the hardware picked by the Select Hardware
 * command (and listing the ids of `archlens.customHardware` in its picker; the server validates them). The language server reads every setting itself (workspace/configuration); the keys, defaults
 * and enums live in language-server/src/settings/schema.ts.
 */
import * as vscode from 'vscode';
import { SECTION, type SettingKey } from '../language-server/src/settings/schema';

const HARDWARE_KEY: SettingKey = 'hardware';
const CUSTOM_KEY: SettingKey = 'customHardware';

/** `archlens.customHardware` entries as written that have a string id (the server reports the invalid ones). */
export function customHardwareIds(): { id: string; name: string }[] {
  const raw = vscode.workspace.getConfiguration(SECTION).get<unknown>(CUSTOM_KEY);
  if (!Array.isArray(raw)) return [];
  return raw.filter((e): e is { id: string; name?: unknown } => !!e && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string')
    .map((e) => ({ id: e.id, name: typeof e.name === 'string' ? e.name : e.id }));
}

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
