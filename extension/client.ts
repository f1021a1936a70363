/**
 * The language client: starts dist/server.js over Node IPC. It passes no settings: the server asks for the
 * `archlens` section with workspace/configuration and registers for its changes (server/configuration.ts).
 */
import * as vscode from 'vscode';
import {
  LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';

export const CLIENT_ID = 'archlens'; // also the prefix of `archlens.trace.server`, read by vscode-languageclient
export const CLIENT_NAME = 'Archlens Language Server';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'arch' },
  { scheme: 'untitled', language: 'arch' },
];

export function createClient(context: vscode.ExtensionContext): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

