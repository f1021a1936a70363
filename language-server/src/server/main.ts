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
import * as fs from 'fs';

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
  await settings.changed(change.settings);
  settingsChanged();
});

function publish(doc: TextDocument): void {
  const state = workspace.state(doc);
  connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: handleDiagnostics(state).map((d) => ({ ...d, severity: d.severity as DiagnosticSeverity })) });
}

// Fires on open as well as on every edit. Diagnostics wait for a pause in typing, so requests
// that arrive right after an edit (hover, completion) only pay for the part they need.
const pending = new Map<string, NodeJS.Timeout>();
const DIAGNOSTICS_DELAY_MS = 150;
documents.onDidChangeContent((e) => {
  workspace.opened(e.document);
  clearTimeout(pending.get(e.document.uri));
  pending.set(e.document.uri, setTimeout(() => {
    pending.delete(e.document.uri);
    const doc = documents.get(e.document.uri);
    if (doc) publish(doc);
  }, DIAGNOSTICS_DELAY_MS));
});
documents.onDidClose((e) => { workspace.closed(e.document.uri); connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }); });

/**
 * Runs a handler on an open document once the first settings pull is answered; requests for unknown
 * documents get `fallback`, never an exception.
 */
async function withDoc<T>(uri: string, fallback: T, fn: (s: ReturnType<Workspace['state']>) => T): Promise<T> {
  await settings.ready;
  const doc = documents.get(uri);
  if (!doc) return fallback;
  try { return fn(workspace.state(doc)); } catch (e) {
    connection.console.error(`archlens: ${(e as Error).stack ?? e}`);
    return fallback;
  }
}

const offsetOf = (s: { lines: LineMap; text: string }, p: { line: number; character: number }): number =>
  Math.min(s.text.length, Math.max(0, s.lines.offset(p.line, p.character)));

connection.onHover((p) => withDoc(p.textDocument.uri, null, (s) => {
  const h = handleHover(s, offsetOf(s, p.position));
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: s.range(h) } : null;
}));

function toLocation(fs_: FileSpan): Location | null {
  const text = readText(fs_.file);
  if (text === undefined) return null;
  const li = new LineIndex(text);
  const uri = fs_.file.startsWith('/') ? pathToFileURL(fs_.file).toString() : fs_.file;
  return { uri, range: { start: li.position(fs_.span.start), end: li.position(fs_.span.end) } };
}

function readText(file: string): string | undefined {
  const open = documents.all().find((d) => Workspace.fileOf(d.uri) === file);
  if (open) return open.getText();
  try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
}

connection.onDefinition((p) => withDoc(p.textDocument.uri, null, (s) => {
  const d = handleDefinition(s, offsetOf(s, p.position));
  return d ? toLocation(d) : null;
}));

connection.onReferences((p) => withDoc(p.textDocument.uri, [], (s) =>
  handleReferences(s, offsetOf(s, p.position), p.context.includeDeclaration).map(toLocation).filter((l): l is Location => l !== null)));

connection.onRenameRequest(async (p) => {
  const r = await withDoc(p.textDocument.uri, undefined, (s) => handleRename(s, offsetOf(s, p.position), p.newName));
  if (!r) return null;
  if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
  const changes: Record<string, TextEdit[]> = {};
  for (const e of r.edits) {
    const loc = toLocation(e);
    if (loc) (changes[loc.uri] ??= []).push(TextEdit.replace(loc.range, p.newName));
  }
  return { changes };
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
  handleDashboard(s, p.model ?? modelAt(s, p.offset)?.name, p.compare ?? [])));

connection.onRequest(ProgramSnapshotRequest.type, (p) => withDoc(p.uri, null, () => workspace.snapshot(documents.get(p.uri)!)));

documents.listen(connection);
connection.listen();
