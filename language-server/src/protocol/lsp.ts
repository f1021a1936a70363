/**
 * Every custom LSP request, command id and panel view type, typed once and shared by the extension client
 * and the language server (rust-analyzer's lsp_ext.ts is the model). Imports only
 * `vscode-languageserver-protocol` and types (never 'vscode').
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { DashboardResult, DeploymentParams, TrainingParams } from './dashboard';
import type { ProgramSnapshot } from '../load/snapshot';

export type { ProgramSnapshot, SnapshotFile, SnapshotImport } from '../load/snapshot';

export interface ModelTotalsParams {
  /** Document URI (as the client sends it). */
  uri: string;
  /** Character offset of the cursor; the server picks the model that contains it (or the document's first/only model). */
  offset?: number;
}

export interface ModelTotals {
  name: string;
  paramsTotal: number;
  paramsActive: number;
  /** Roofline decode time per step (one token per sequence) on `hardware`, seconds. */
  decodeSeconds: number;
  /** 'compute' | 'memory' (what limits the decode step). */
  bound: string;
  /** Hardware id used for the estimate, e.g. 'h100'. */
  hardware: string;
}

export namespace ModelTotalsRequest {
  export const method = 'archlens/modelTotals' as const;
  export const type = new RequestType<ModelTotalsParams, ModelTotals | null, void>(method);
}

/** Command ids contributed by package.json; code lenses of the server invoke the first two with the model name. */
export const Commands = {
  openDashboard: 'archlens.openDashboard',
  visualizeGates: 'archlens.visualizeGates',
  visualizeProbeGates: 'archlens.visualizeProbeGates',
  restartServer: 'archlens.restartServer',
  selectHardware: 'archlens.selectHardware',
} as const;

export interface DashboardParams {
  /** Document URI, as the client sends it. */
  uri: string;
  /** Model to show; absent: the model containing `offset`, else the document's first model. */
  model?: string;
  /** Character offset of the cursor (used only when `model` is absent). */
  offset?: number;
  /** Other models of the same document to compare with. */
  compare?: string[];
  /** The Deployment section's choices; absent: the archlens.* settings. */
  deployment?: DeploymentParams;
  /** The Training section's choices; absent: the settings' hardware and GPUs, data parallel. */
  training?: TrainingParams;
}

export namespace DashboardRequest {
  export const method = 'archlens/dashboard' as const;
  export const type = new RequestType<DashboardParams, DashboardResult | null, void>(method);
}

export interface ProgramSnapshotParams {
  /** Document URI, as the client sends it. */
  uri: string;
}

/**
 * The files the server loaded for an open document through its fenced workspace host (open buffers included;
 * refused imports absent, with the refusal recorded) — what the inference worker analyses, so probe and measure
 * paths never read outside the workspace. null when the document is not open in the server.
 */
export namespace ProgramSnapshotRequest {
  export const method = 'archlens/programSnapshot' as const;
  export const type = new RequestType<ProgramSnapshotParams, ProgramSnapshot | null, void>(method);
}

export const PanelViewTypes = {
  dashboard: 'archlens.dashboard',
  gates: 'archlens.gates',
} as const;
