/** Open documents → analysed DocStates, cached per (version, settings); imports read open buffers first. */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../semantic/analyze';
import type { ArchFile } from '../syntax/ast';
import { parse } from '../syntax/parser';
import { reparse } from '../syntax/incremental';
import { nodeHost } from '../host/nodeHost';
import { programSnapshot, recordingHost, type ProgramSnapshot, type ResolutionLog } from '../load/snapshot';
import { DocState } from './features/docState';
import { DEFAULT_SETTINGS, type ArchSettings } from './features/settings';

export class Workspace {
  settings: ArchSettings = DEFAULT_SETTINGS;
  private readonly cache = new Map<string, { version: number; settings: ArchSettings; state: DocState; resolutions: ResolutionLog }>();
  private readonly overlay = new Map<string, string>();
  /** Last parse of each open document, the base for incremental re-parsing. */
  private readonly parses = new Map<string, { text: string; ast: ArchFile }>();

  constructor(private readonly root?: string) {}

  /** Path used as the file identity: a file-system path for file: URIs, the URI itself otherwise. */
  static fileOf(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    try { return fileURLToPath(uri); } catch { return uri; }
  }

  opened(doc: TextDocument): void {
    this.overlay.set(Workspace.fileOf(doc.uri), doc.getText());
    // Another document may import this one: drop every other cached analysis.
    for (const uri of [...this.cache.keys()]) if (uri !== doc.uri) this.cache.delete(uri);
  }

  closed(uri: string): void {
    this.overlay.delete(Workspace.fileOf(uri));
    this.parses.delete(uri);
    this.cache.clear();
  }

  /** True when `file` may be edited from `fromFile`: inside the workspace folder (or `fromFile`'s folder without one). */
  contains(file: string, fromFile: string): boolean {
    const root = this.root ?? (path.isAbsolute(fromFile) ? path.dirname(fromFile) : undefined);
    if (!root || !path.isAbsolute(file)) return file === fromFile;
    const real = (p: string): string => { try { return fs.realpathSync(p); } catch { return p; } };
    const rel = path.relative(real(root), real(file));
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  setSettings(s: ArchSettings): void {
    this.settings = s;
    this.cache.clear();
  }

  state(doc: TextDocument): DocState {
    return this.analysed(doc).state;
  }

  /** The files this document's analysis loaded (fenced, open buffers overlaid) and how their imports resolved. */
  snapshot(doc: TextDocument): ProgramSnapshot {
    const { state, resolutions } = this.analysed(doc);
    return programSnapshot(state.analysis.program, resolutions);
  }

  private analysed(doc: TextDocument): { state: DocState; resolutions: ResolutionLog } {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.settings === this.settings) return hit;
    const file = Workspace.fileOf(doc.uri);
    const text = doc.getText();
    const prev = this.parses.get(doc.uri);
    const ast = prev ? (prev.text === text ? prev.ast : reparse(prev.text, prev.ast, text)) : parse(text);
    this.parses.set(doc.uri, { text, ast });
    // Without a workspace folder, imports stay inside the document's own folder.
    const root = this.root ?? (path.isAbsolute(file) ? path.dirname(file) : undefined);
    const resolutions: ResolutionLog = new Map();
    const analysis = analyze(file, recordingHost(nodeHost({ overlay: this.overlay, root }), resolutions), text, ast);
    const lines = { position: (o: number) => doc.positionAt(o), offset: (line: number, character: number) => doc.offsetAt({ line, character }) };
    const state = new DocState(doc.uri, file, text, analysis, this.settings, lines);
    const entry = { version: doc.version, settings: this.settings, state, resolutions };
    this.cache.set(doc.uri, entry);
    return entry;
  }
}
