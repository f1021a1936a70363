/** Asks the language server for the program it loaded for a document (fenced, unsaved buffers included). */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ProgramSnapshotRequest, type ProgramSnapshot } from '../language-server/src/protocol/lsp';

/** The snapshot of `uri`; opens the document first when the server does not have it. */
export async function requestSnapshot(client: Pick<LanguageClient, 'sendRequest'>, uri: vscode.Uri): Promise<ProgramSnapshot> {
  const params = { uri: uri.toString() };
  let s = await client.sendRequest(ProgramSnapshotRequest.type, params);
  if (s === null) {
    await vscode.workspace.openTextDocument(uri);
    s = await client.sendRequest(ProgramSnapshotRequest.type, params);
  }
  if (s === null) throw new Error(`the language server has no document ${uri.fsPath}`);
  return s;
}
