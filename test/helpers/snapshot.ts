/**
 * A program snapshot made by the language server's own Workspace (the code behind archlens/programSnapshot),
 * for tests that call the worker's handlers in process: `root` is the workspace folder (default: the file's folder).
 */
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../../language-server/src/server/workspace';
import type { ProgramSnapshot } from '../../language-server/src/load/snapshot';
import * as fs from 'fs';

export function serverSnapshot(file: string, opts: { root?: string; text?: string } = {}): ProgramSnapshot {
  const ws = new Workspace(opts.root);
  const doc = TextDocument.create(pathToFileURL(file).toString(), 'arch', 1, opts.text ?? fs.readFileSync(file, 'utf8'));
  ws.opened(doc);
  return ws.snapshot(doc);
}
