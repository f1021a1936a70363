/**
 * Weights shared by name across block uses (BlockKind.holds / reads): a use that reads a name (linformer's
 * layerwise E with `reuse: true`) has no weights of its own, so the model must hold them in an earlier use.
 * Execution order: top-level items in order, a layer group's blocks by their first layer, then body order.
 */
import { blockKind } from '../kinds';
import type { BlockInstance } from './instances';
import type { DiagnosticSink } from './diagnostics';
import { firstIndices } from './expansion';

/** First execution position of an instance: its top-level item, then its first layer. */
type Pos = [number, number, number];

function position(b: BlockInstance, i: number, tops: Map<unknown, number>): Pos {
  if (!tops.has(b.top.item)) tops.set(b.top.item, tops.size);
  return [tops.get(b.top.item)!, b.layers ? firstIndices(b.layers, 1)[0] ?? -1 : -1, i]; // never builds a group's list
}

const before = (a: Pos, b: Pos): boolean => a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];

/** Reports every reading use with no holder of its name before it (located at the use). */
export function checkSharedHolders(blocks: readonly BlockInstance[], sink: DiagnosticSink): void {
  const shares = (b: BlockInstance): boolean => { const k = blockKind(b.kind); return !!(k?.holds || k?.reads); };
  if (!blocks.some(shares)) return;
  const tops = new Map<unknown, number>();
  const held = new Map<string, Pos>();
  const at = blocks.map((b, i) => position(b, i, tops));
  blocks.forEach((b, i) => {
    const name = blockKind(b.kind)?.holds?.(b.args);
    if (name && (!held.has(name) || before(at[i], held.get(name)!))) held.set(name, at[i]);
  });
  blocks.forEach((b, i) => {
    const name = blockKind(b.kind)?.reads?.(b.args);
    if (!name) return;
    const h = held.get(name);
    if (h && before(h, at[i])) return;
    sink.error(b.file, b.site.name, 'no-holder', `${b.kind}: reads the shared ${name} but no earlier use in this model holds it (write the first such layer without 'reuse')`);
  });
}
