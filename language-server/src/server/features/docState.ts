/** Everything the feature handlers need about one open document, computed once per version. */
import type { Analysis } from '../../semantic/analyze';
import type { ModelInstance } from '../../semantic/instances';
import { costModel, type ModelReport } from '../../cost/engine';
import { LineIndex } from '../../syntax/lineIndex';
import { costOptions, type ArchSettings } from './settings';

/** Offset ↔ position mapping; the server passes its TextDocument's (updated incrementally on each edit). */
export interface LineMap {
  position(offset: number): { line: number; character: number };
  offset(line: number, character: number): number;
}

export class DocState {
  readonly lines: LineMap;
  private readonly reports = new Map<ModelInstance, ModelReport>();

  constructor(readonly uri: string, readonly file: string, readonly text: string, readonly analysis: Analysis, readonly settings: ArchSettings, lines?: LineMap) {
    this.lines = lines ?? new LineIndex(text);
  }

  report(model: ModelInstance): ModelReport {
    let r = this.reports.get(model);
    if (!r) { r = costModel(model, costOptions(this.settings)); this.reports.set(model, r); }
    return r;
  }

  range(span: { start: number; end: number }): { start: { line: number; character: number }; end: { line: number; character: number } } {
    return { start: this.lines.position(span.start), end: this.lines.position(span.end) };
  }
}
