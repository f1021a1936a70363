/**
 * The dashboard's layer map: for each model, which block kind sits on each layer of its `layers` group (norms left
 * out), with the cost of one occurrence and where the block is written (a range the webview can ask to reveal).
 */
import { pathToFileURL } from 'url';
import type { ModelReport, BlockReport } from '../../cost/engine';
import { LAYER_MAP_MAX, type LayerCell, type LayerStrip, type SourceRange } from '../../protocol/dashboard';
import { contextClass } from '../../cost/sweeps';
import { blockKind } from '../../kinds';
import { LineIndex } from '../../syntax/lineIndex';
import type { DocState } from './docState';

/** The kind's role from the registry; memory reads sit with the mixers when they carry state along the sequence. */
export function rowOf(b: BlockReport): LayerCell['row'] {
  const role = blockKind(b.instance.kind)?.role;
  if (role === 'ffn') return 'ffn';
  return role === 'mixer' || contextClass(b.instance) !== 'position-free' ? 'mixer' : 'other';
}

const isNorm = (kind: string): boolean => blockKind(kind)?.role === 'norm';

/** The site of a block as an editor range: the document itself, or an imported file (the standard library). */
function sourceOf(doc: DocState, b: BlockReport, lines: Map<string, LineIndex>): SourceRange | undefined {
  const { file, site } = b.instance;
  if (file === doc.file) return { uri: doc.uri, ...doc.range(site) };
  const text = doc.analysis.program.files.get(file)?.text;
  if (text === undefined) return undefined;
  let li = lines.get(file);
  if (!li) { li = new LineIndex(text); lines.set(file, li); }
  return { uri: pathToFileURL(file).href, start: li.position(site.start), end: li.position(site.end) };
}

export function layerStrip(doc: DocState, r: ModelReport): LayerStrip {
  const cells: LayerCell[] = [];
  const lines = new Map<string, LineIndex>();
  let layers = 0;
  for (const b of r.blocks) {
    const at = b.instance.layers;
    if (!at || isNorm(b.instance.kind)) continue;
    layers = Math.max(layers, at.of);
    const n = Math.max(1, b.instance.count);
    const source = sourceOf(doc, b, lines);
    const one = { row: rowOf(b), kind: b.instance.kind, params: b.one.params, prefillFlops: b.one.prefillFlops, decodeSeconds: b.decode.seconds / n };
    for (const layer of at.indices) {
      if (layer >= LAYER_MAP_MAX) continue; // not drawn
      cells.push({ layer, ...one, ...(source ? { source } : {}) });
    }
  }
  return { model: r.model.name, layers, shown: Math.min(layers, LAYER_MAP_MAX), cells: cells.sort((a, b) => a.layer - b.layer) };
}
