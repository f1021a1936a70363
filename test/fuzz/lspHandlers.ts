/**
 * Runs every pure LSP handler of language-server/src/features on one document at the given offsets, the way the
 * server calls them (plus offsets the server would clamp: negative, past the end, NaN). Used by the fuzz test and
 * the fuzz benchmark; throws whatever a handler throws.
 */
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS, type ArchSettings } from '../../language-server/src/server/features/settings';
import { handleHover } from '../../language-server/src/server/features/hover';
import { handleCompletion } from '../../language-server/src/server/features/completion';
import { handleDefinition, handleReferences, handleRename } from '../../language-server/src/server/features/navigation';
import { handleFolding, handleSymbols } from '../../language-server/src/server/features/outline';
import { handleCodeLenses, handleInlayHints, modelAt } from '../../language-server/src/server/features/lenses';
import { handleSemanticTokens } from '../../language-server/src/server/features/semanticTokens';
import { handleFormat } from '../../language-server/src/server/features/format';
import { handleSignature } from '../../language-server/src/server/features/signature';
import { handleCodeActions } from '../../language-server/src/server/features/codeActions';
import { handleDiagnostics } from '../../language-server/src/server/features/diagnostics';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';
import { analyzeText } from '../helpers/memoryHost';

const NAMES = ['x', '', '1bad', 'Layer0', 'attention', 'é', 'a'.repeat(300)];

export function docOf(text: string, settings: ArchSettings = DEFAULT_SETTINGS): DocState {
  return new DocState('file:///mem/main.arch', '/mem/main.arch', text, analyzeText(text), settings);
}

/** The offsets to probe: `k` random ones inside the text, and the out-of-range ones. */
export function probeOffsets(len: number, r: () => number, k = 3): number[] {
  const out = [-1, len, len + 1, 2 ** 31, Number.NaN];
  for (let i = 0; i < k; i++) out.push(Math.floor(r() * (len + 1)));
  return out;
}

/** Whole-document handlers (no position). */
function documentHandlers(doc: DocState): void {
  handleDiagnostics(doc);
  handleSymbols(doc);
  handleFolding(doc);
  handleCodeLenses(doc);
  handleSemanticTokens(doc);
  handleFormat(doc);
  handleFormat(doc, '\t');
  handleInlayHints(doc, 0, doc.text.length);
  const names = doc.analysis.models.map((m) => m.name);
  handleDashboard(doc, undefined, []);
  if (names.length) handleDashboard(doc, names[0], names.slice(1, 3));
  handleDashboard(doc, 'no-such-model', ['also-missing']);
}

/** Handlers that take a position (or a range starting there). */
function positionHandlers(doc: DocState, at: number, r: () => number): void {
  handleHover(doc, at);
  handleCompletion(doc, at);
  handleDefinition(doc, at);
  handleReferences(doc, at, r() < 0.5);
  handleRename(doc, at, NAMES[Math.floor(r() * NAMES.length)]);
  handleSignature(doc, at);
  handleCodeActions(doc, at, at + Math.floor(r() * 200));
  handleCodeActions(doc, at, at - 5);
  handleInlayHints(doc, at, at + 500);
  modelAt(doc, at);
}

/** Every handler on `text` at `probeOffsets`; returns the slowest single step in ms. */
export function runAllHandlers(text: string, r: () => number): number {
  let t = performance.now();
  const doc = docOf(text);
  documentHandlers(doc);
  let worst = performance.now() - t;
  for (const at of probeOffsets(text.length, r)) {
    t = performance.now();
    positionHandlers(doc, at, r);
    worst = Math.max(worst, performance.now() - t);
  }
  return worst;
}
