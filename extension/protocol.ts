/**
 * Custom LSP requests shared by the extension client and the language server.
 * Imports only `vscode-languageserver-protocol` (never 'vscode'), so the server can import this file too.
 */
import { RequestType } from 'vscode-languageserver-protocol';

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

