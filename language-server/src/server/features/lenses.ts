/** Inlay hints (parameter count at the end of each block line) and code lenses (model totals and actions). */
import type { DocState } from './docState';
import type { BlockUse } from '../../syntax/ast';
import { formatCount, formatSeconds } from '../../format/units';

export interface InlayHintItem { readonly offset: number; readonly label: string; readonly tooltip: string }

export function handleInlayHints(doc: DocState, from: number, to: number): InlayHintItem[] {
  const seen = new Map<BlockUse, InlayHintItem>();
  for (const m of doc.analysis.models) {
    for (const b of doc.report(m).blocks) {
      const site = b.instance.site;
      if (b.instance.file !== doc.file || seen.has(site) || site.end < from || site.start > to) continue;
      // A line inside a block definition is labelled per use; a line of a model body with all its occurrences.
      const inDef = b.instance.via.some((v) => v.kind === 'Use');
      const label = inDef ? ` ${formatCount(b.one.params)} params each` : ` ${formatCount(b.all.params)} params`;
      const tooltip = `${b.instance.count} × ${formatCount(b.one.params)} in model ${m.name}`;
      seen.set(site, { offset: site.end, label, tooltip });
    }
  }
  return [...seen.values()].sort((a, b) => a.offset - b.offset);
}

export interface LensItem { readonly offset: number; readonly end: number; readonly title: string; readonly command: string; readonly args: unknown[] }

export function handleCodeLenses(doc: DocState): LensItem[] {
  const out: LensItem[] = [];
  for (const m of doc.analysis.models) {
    const r = doc.report(m);
    const t = r.totals;
    const at = { offset: m.decl.start, end: m.decl.name.end };
    out.push({ ...at, title: `${formatCount(t.params.total)} params · ${formatCount(t.params.active)} active · decode ${formatSeconds(r.decode.seconds)}/tok (${r.hardware.id})`, command: 'archlens.openDashboard', args: [m.name] });
    out.push({ ...at, title: 'Open cost dashboard', command: 'archlens.openDashboard', args: [m.name] });
    out.push({ ...at, title: 'Visualize gates', command: 'archlens.visualizeGates', args: [m.name] });
  }
  return out;
}

/** The model whose declaration contains `offset`, else the first model of the file. */
export function modelAt(doc: DocState, offset?: number) {
  const models = doc.analysis.models;
  return models.find((m) => offset !== undefined && offset >= m.decl.start && offset <= m.decl.end) ?? models[0];
}
