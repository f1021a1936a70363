/**
 * The Archlens language server: wiring only. Each request maps LSP positions to offsets, calls a
 * pure handler in ../features and maps the result back. Runs over stdio or Node IPC.
 */
import {
  CodeAction, CodeActionKind, CodeLens, CompletionItemKind, ErrorCodes, ResponseError, createConnection, DiagnosticSeverity, DocumentSymbol, InlayHint, Location,
  MarkupKind, ProposedFeatures, SymbolKind, TextDocuments, TextDocumentSyncKind, TextEdit,
  type InitializeResult, type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL, fileURLToPath } from 'url';
import { Workspace } from './workspace';
import { SettingsSource } from './configuration';
import { handleHover } from './features/hover';
import type { LineMap } from './features/docState';
import { handleDiagnostics } from './features/diagnostics';
import { handleDefinition, handleReferences, handleRename, type FileSpan } from './features/navigation';
import { handleFolding, handleSymbols, type OutlineSymbol } from './features/outline';
import { handleCompletion } from './features/completion';
import { handleCodeLenses, handleInlayHints, modelAt } from './features/lenses';
import { LineIndex } from '../syntax/lineIndex';
import { handleSemanticTokens, TOKEN_TYPES } from './features/semanticTokens';
import { handleFormat } from './features/format';
import { handleSignature } from './features/signature';
import { handleCodeActions } from './features/codeActions';
import { DashboardRequest, ModelTotalsRequest, ProgramSnapshotRequest } from '../protocol/lsp';
import { handleDashboard } from './features/dashboard';
import { readSource } from '../host/nodeHost';

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let workspace = new Workspace();
const settings = new SettingsSource(connection, (s) => workspace.setSettings(s));

connection.onInitialize((params): InitializeResult => {
  const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  workspace = new Workspace(root && root.startsWith('file:') ? fileURLToPath(root) : undefined);
  settings.initialize(params.capabilities, params.initializationOptions);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: false },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      completionProvider: { triggerCharacters: ['(', ',', ' ', ':'] },
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [] }, full: true },
      documentFormattingProvider: true,
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [' '] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'archlens', version: '0.1.0' },
  };
});

/** Settings changed: re-publish diagnostics and ask the client to refresh code lenses and inlay hints. */
function settingsChanged(): void {
  for (const d of documents.all()) publish(d);
  connection.languages.inlayHint.refresh().catch(() => undefined);
  connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
}

connection.onInitialized(() => settings.initialized(settingsChanged));
connection.onDidChangeConfiguration(async (change) => {
  try { await settings.changed(change.settings); } catch (e) { logError('settings', e); }
  guarded('settings', undefined, settingsChanged);
});

/** Logs an exception from a handler or a timer; the server keeps serving (an uncaught one would end the process). */
function logError(what: string, e: unknown): void {
  try { connection.console.error(`archlens: ${what}: ${(e as Error)?.stack ?? String(e)}`); } catch { /* the connection is gone */ }
}

/** Runs `fn`, returning `fallback` (after logging) if it throws. */
function guarded<T>(what: string, fallback: T, fn: () => T): T {
  try { return fn(); } catch (e) { logError(what, e); return fallback; }
}

function publish(doc: TextDocument): void {
  guarded(`diagnostics of ${doc.uri}`, undefined, () => {
    const state = workspace.state(doc);
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: handleDiagnostics(state).map((d) => ({ ...d, severity: d.severity as DiagnosticSeverity })) });
  });
}

// Fires on open as well as on every edit. Diagnostics wait for a pause in typing, so requests
// that arrive right after an edit (hover, completion) only pay for the part they need.
const pending = new Map<string, NodeJS.Timeout>();
const DIAGNOSTICS_DELAY_MS = 150;
documents.onDidChangeContent((e) => {
  guarded(`change of ${e.document.uri}`, undefined, () => workspace.opened(e.document));
  clearTimeout(pending.get(e.document.uri));
  pending.set(e.document.uri, setTimeout(() => {
    pending.delete(e.document.uri);
    const doc = documents.get(e.document.uri);
    if (doc) publish(doc);
  }, DIAGNOSTICS_DELAY_MS));
});
documents.onDidClose((e) => guarded(`close of ${e.document.uri}`, undefined, () => {
  workspace.closed(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
}));

/**
 * Runs a handler on an open document once the first settings pull is answered; requests for unknown
 * documents get `fallback`, never an exception.
 */
async function withDoc<T>(uri: string, fallback: T, fn: (s: ReturnType<Workspace['state']>) => T): Promise<T> {
  await settings.ready;
  const doc = documents.get(uri);
  if (!doc) return fallback;
  return guarded(`request on ${uri}`, fallback, () => fn(workspace.state(doc)));
}

const offsetOf = (s: { lines: LineMap; text: string }, p: { line: number; character: number }): number =>
  Math.min(s.text.length, Math.max(0, s.lines.offset(p.line, p.character)));

connection.onHover((p) => withDoc(p.textDocument.uri, null, (s) => {
  const h = handleHover(s, offsetOf(s, p.position));
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: s.range(h) } : null;
}));

/** Maps file spans to locations; each file is read and indexed once per request (`lines` is that request's cache). */
function toLocation(fs_: FileSpan, lines = new Map<string, LineIndex | null>()): Location | null {
  let li = lines.get(fs_.file);
  if (li === undefined) {
    const text = readText(fs_.file);
    li = text === undefined ? null : new LineIndex(text);
    lines.set(fs_.file, li);
  }
  if (!li) return null;
  const uri = fs_.file.startsWith('/') ? pathToFileURL(fs_.file).toString() : fs_.file;
  return { uri, range: { start: li.position(fs_.span.start), end: li.position(fs_.span.end) } };
}

function readText(file: string): string | undefined {
  const open = documents.all().find((d) => Workspace.fileOf(d.uri) === file);
  if (open) return open.getText();
  const text = readSource(file);
  return typeof text === 'string' ? text : undefined;
}

function toLocations(spans: readonly FileSpan[]): Location[] {
  const lines = new Map<string, LineIndex | null>();
  return spans.map((x) => toLocation(x, lines)).filter((l): l is Location => l !== null);
}

connection.onDefinition((p) => withDoc(p.textDocument.uri, null, (s) => {
  const d = handleDefinition(s, offsetOf(s, p.position));
  return d ? toLocation(d) : null;
}));

connection.onReferences((p) => withDoc(p.textDocument.uri, [], (s) =>
  toLocations(handleReferences(s, offsetOf(s, p.position), p.context.includeDeclaration))));

connection.onRenameRequest(async (p) => {
  const r = await withDoc(p.textDocument.uri, undefined, (s) => handleRename(s, offsetOf(s, p.position), p.newName, (f) => workspace.contains(f, s.file)));
  if (!r) return null;
  if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
  return guarded('rename', null, () => {
    const changes: Record<string, TextEdit[]> = {};
    for (const loc of toLocations(r.edits)) (changes[loc.uri] ??= []).push(TextEdit.replace(loc.range, p.newName));
    return { changes };
  });
});

const SYMBOL_KIND: Record<OutlineSymbol['kind'], SymbolKind> = {
  model: SymbolKind.Class, block: SymbolKind.Function, group: SymbolKind.Array, use: SymbolKind.Field, constant: SymbolKind.Constant, import: SymbolKind.Module,
};

connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], (s) => {
  const conv = (x: OutlineSymbol): DocumentSymbol => DocumentSymbol.create(
    x.name || '?', x.detail, SYMBOL_KIND[x.kind], s.range(x), s.range({ start: x.nameStart, end: x.nameEnd }), x.children.map(conv));
  return handleSymbols(s).map(conv);
}));

connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], (s) => handleFolding(s)));

const COMPLETION_KIND = { kind: CompletionItemKind.Class, block: CompletionItemKind.Function, param: CompletionItemKind.Property, setting: CompletionItemKind.Variable, keyword: CompletionItemKind.Keyword, value: CompletionItemKind.EnumMember, model: CompletionItemKind.Class };

connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (s) => handleCompletion(s, offsetOf(s, p.position)).map((c) => ({
  label: c.label, kind: COMPLETION_KIND[c.kind], detail: c.detail, insertText: c.insertText,
  documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
}))));

connection.languages.inlayHint.on((p) => withDoc(p.textDocument.uri, [], (s) => {
  if (!workspace.settings.inlayHints) return [];
  return handleInlayHints(s, offsetOf(s, p.range.start), offsetOf(s, p.range.end))
    .map((h): InlayHint => ({ position: s.lines.position(h.offset), label: h.label, tooltip: h.tooltip, paddingLeft: true }));
}));

connection.onCodeLens((p) => withDoc(p.textDocument.uri, [], (s) => {
  if (!workspace.settings.codeLens) return [];
  return handleCodeLenses(s).map((l): CodeLens => ({ range: s.range({ start: l.offset, end: l.end }), command: { title: l.title, command: l.command, arguments: l.args } }));
}));

connection.onRequest(ModelTotalsRequest.type, (p) => withDoc(p.uri, null, (s) => {
  const m = modelAt(s, p.offset);
  if (!m) return null;
  const r = s.report(m);
  return { name: m.name, paramsTotal: r.totals.params.total, paramsActive: r.totals.params.active, decodeSeconds: r.decode.seconds, bound: r.decode.bound, hardware: r.hardware.id };
}));

connection.languages.semanticTokens.on((p) => withDoc(p.textDocument.uri, { data: [] }, (s) => ({ data: handleSemanticTokens(s) })));

connection.onDocumentFormatting((p) => withDoc(p.textDocument.uri, [], (s) => {
  const formatted = handleFormat(s, p.options.insertSpaces ? ' '.repeat(p.options.tabSize) : '\t');
  if (formatted === undefined || formatted === s.text) return [];
  return [TextEdit.replace(s.range({ start: 0, end: s.text.length }), formatted)];
}));

connection.onSignatureHelp((p) => withDoc(p.textDocument.uri, null, (s) => {
  const sig = handleSignature(s, offsetOf(s, p.position));
  if (!sig) return null;
  return { signatures: [{ label: sig.label, documentation: sig.documentation, parameters: sig.parameters }], activeSignature: 0, activeParameter: sig.active };
}));

connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (s) => handleCodeActions(s, offsetOf(s, p.range.start), offsetOf(s, p.range.end)).map((f): CodeAction => ({
  title: f.title, kind: CodeActionKind.QuickFix, isPreferred: true,
  diagnostics: [{ range: s.range(f.diagnostic), message: f.diagnostic.message, severity: DiagnosticSeverity.Error, source: 'archlens', code: f.diagnostic.code }],
  edit: { changes: { [p.textDocument.uri]: [TextEdit.replace(s.range(f.edit), f.edit.newText)] } },
}))));

connection.onRequest(DashboardRequest.type, (p) => withDoc(p.uri, null, (s) =>
  handleDashboard(s, p.model ?? modelAt(s, p.offset)?.name, p.compare ?? [], p.deployment, p.training)));

connection.onRequest(ProgramSnapshotRequest.type, (p) => withDoc(p.uri, null, () => workspace.snapshot(documents.get(p.uri)!)));

// Last line of defence: an exception that escapes every guard is logged, never fatal.
process.on('uncaughtException', (e) => logError('uncaught exception', e));
process.on('unhandledRejection', (e) => logError('unhandled rejection', e));

documents.listen(connection);
connection.listen();
