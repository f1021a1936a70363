/**
 * The client's use of the `archlens.*` settings: writing the hardware picked by the Select Hardware
 * command (listing the ids of `archlens.customHardware` in its picker; the server validates them), and reading
 * the inference process's provider and CUDA library path. The language server reads every setting itself (workspace/configuration); the keys, defaults
 * and enums live in language-server/src/settings/schema.ts.
 */
import * as vscode from 'vscode';
import { SECTION, type SettingKey } from '../language-server/src/settings/schema';
import { isProviderChoice, type ProviderChoice } from '../language-server/src/protocol/inference';
import { withCudaLibraryPath } from '../language-server/src/runtime/cuda';

const HARDWARE_KEY: SettingKey = 'hardware';
const CUSTOM_KEY: SettingKey = 'customHardware';

/** `archlens.customHardware` entries as written that have a string id (the server reports the invalid ones). */
export function customHardwareIds(): { id: string; name: string }[] {
  const raw = vscode.workspace.getConfiguration(SECTION).get<unknown>(CUSTOM_KEY);
  if (!Array.isArray(raw)) return [];
  return raw.filter((e): e is { id: string; name?: unknown } => !!e && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string')
    .map((e) => ({ id: e.id, name: typeof e.name === 'string' ? e.name : e.id }));
}

const PROVIDER_KEY: SettingKey = 'inference.provider';
const CUDA_PATH_KEY: SettingKey = 'inference.cudaLibraryPath';

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

/** `archlens.inference.provider` (anything unknown reads as `auto`). */
export function inferenceProvider(): ProviderChoice {
  const v = vscode.workspace.getConfiguration(SECTION).get<string>(PROVIDER_KEY);
  return isProviderChoice(v) ? v : 'auto';
}

/** The inference process's extra environment: `archlens.inference.cudaLibraryPath` first on the library path. */
export function inferenceEnv(): NodeJS.ProcessEnv {
  const libPath = vscode.workspace.getConfiguration(SECTION).get<string>(CUDA_PATH_KEY) ?? '';
  return withCudaLibraryPath({ LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH, PATH: process.env.PATH }, libPath);
}

/** Calls `onChange` when a setting of the inference process changes. */
export function onInferenceSettings(onChange: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.${CUDA_PATH_KEY}`) || e.affectsConfiguration(`${SECTION}.${PROVIDER_KEY}`)) onChange();
  });
}
