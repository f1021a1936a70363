/** Typed reader for the `archlens.*` settings (see `contributes.configuration` in package.json). */
import * as vscode from 'vscode';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface ArchlensSettings {
  /** Hardware id for roofline estimates (h100, a100, …). */
  hardware: string;
  /** Context length; 0 = the model's own `context`. */
  seq: number;
  batch: number;
  /** Weight dtype override; '' = the model's own. */
  dtype: string;
  inlayHints: { enabled: boolean };
  codeLens: { enabled: boolean };
}

export const SECTION = 'archlens';

function num(v: unknown, fallback: number, min = 0): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.floor(v) : fallback;
}

export function readSettings(scope?: vscode.ConfigurationScope): ArchlensSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    hardware: String(c.get<string>('hardware', 'h100') || 'h100'),
    seq: num(c.get('seq', 0), 0),
    batch: num(c.get('batch', 1), 1, 1),
    dtype: String(c.get<string>('dtype', '') ?? ''),
    inlayHints: { enabled: c.get<boolean>('inlayHints.enabled', true) !== false },
    codeLens: { enabled: c.get<boolean>('codeLens.enabled', true) !== false },
  };
}

export function traceLevel(): TraceLevel {
  const t = vscode.workspace.getConfiguration(SECTION).get<string>('trace.server', 'off');
  return t === 'messages' || t === 'verbose' ? t : 'off';
}

/** Whether a configuration change touches settings that alter cost estimates (and the status bar). */
export function affectsEstimates(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}

export async function setHardware(id: string): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  // Workspace setting when a folder is open (per-project hardware), else the user setting.
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update('hardware', id, target);
}
