/** Starts the bundled language server (dist/server.js) as a real process and talks JSON-RPC over stdio. */
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

/** A client that answers `workspace/configuration` (as VS Code does) instead of pushing settings. */
export interface PullClient {
  /** The value of a requested section (`archlens`); throwing makes the request fail. */
  configuration(section: string | undefined): unknown;
  /** Each `client/registerCapability` registration the server sent. */
  readonly registrations?: { method: string; registerOptions?: unknown }[];
}

export interface LspSession {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  /** Diagnostics published for `uri` (for document `version` when given). */
  diagnostics(uri: string, version?: number): Promise<{ message: string; range: { start: { line: number; character: number } }; severity: number }[]>;
  /** Every `window/showMessage` notification and `window/showMessageRequest` the server sent (requests are answered with null). */
  readonly shownMessages: { type: number; message: string }[];
  stop(): Promise<void>;
}

/**
 * `serverPath`: another server bundle (e.g. one unpacked from a VSIX); default: the repository's dist/server.js.
 * `opts.pull`: declare the workspace/configuration capability and answer it (settings are then not pushed).
 * `opts.rootUri`: the workspace folder (file: URI); default none.
 */
export async function startServer(initializationOptions: object = {}, serverPath?: string, opts: { pull?: PullClient; rootUri?: string } = {}): Promise<LspSession> {
  const { pull, rootUri } = opts;
  const server = serverPath ?? path.join(__dirname, '..', '..', 'dist', 'server.js');
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const latest = new Map<string, unknown[]>();
  const latestVersion = new Map<string, number | undefined>();
  const waiters: (() => void)[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
    latest.set(p.uri, p.diagnostics);
    latestVersion.set(p.uri, p.version);
    waiters.splice(0).forEach((w) => w());
  });
  const shownMessages: { type: number; message: string }[] = [];
  conn.onNotification('window/showMessage', (p: { type: number; message: string }) => { shownMessages.push({ type: p.type, message: p.message }); });
  conn.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => { shownMessages.push({ type: p.type, message: p.message }); return null; });
  conn.onRequest('workspace/inlayHint/refresh', () => null);
  conn.onRequest('workspace/codeLens/refresh', () => null);
  if (pull) answerPulls(conn, pull);
  conn.listen();
  const capabilities = pull ? { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } } : {};
  const workspaceFolders = rootUri ? [{ uri: rootUri, name: 'workspace' }] : null;
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: rootUri ?? null, workspaceFolders, capabilities, initializationOptions });
  conn.sendNotification('initialized', {});
  return {
    conn, proc, shownMessages,
    async diagnostics(uri, version) {
      const ready = (): boolean => latest.has(uri) && (version === undefined || latestVersion.get(uri) === version);
      for (let i = 0; i < 100 && !ready(); i++) await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 50); });
      const d = latest.get(uri) ?? [];
      latest.delete(uri);
      return d as never;
    },
    async stop() {
      await conn.sendRequest('shutdown').catch(() => undefined);
      const exited = new Promise<void>((r) => { if (proc.exitCode !== null) r(); else proc.once('exit', () => r()); });
      await Promise.resolve(conn.sendNotification('exit')).catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      conn.dispose();
      if (proc.exitCode === null) proc.kill();
    },
  };
}

function answerPulls(conn: MessageConnection, pull: PullClient): void {
  conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => pull.configuration(i.section)));
  conn.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
    pull.registrations?.push(...p.registrations);
    return null;
  });
}
