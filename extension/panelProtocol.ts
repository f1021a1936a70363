/**
 * Custom LSP requests of the panels, shared by the extension client and the language server.
 * Imports only `vscode-languageserver-protocol` and types (never 'vscode').
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { DashboardResult } from '../language-server/src/features/dashboard';

export interface DashboardParams {
  /** Document URI, as the client sends it. */
  uri: string;
  /** Model to show; absent: the model containing `offset`, else the document's first model. */
  model?: string;
  /** Character offset of the cursor (used only when `model` is absent). */
  offset?: number;
  /** Other models of the same document to compare with. */
  compare?: string[];
}

export namespace DashboardRequest {
  export const method = 'archlens/dashboard' as const;
  export const type = new RequestType<DashboardParams, DashboardResult | null, void>(method);
}

export const PanelViewTypes = {
  dashboard: 'archlens.dashboard',
  gates: 'archlens.gates',
} as const;
