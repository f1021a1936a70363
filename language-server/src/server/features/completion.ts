/** Completion: argument names (with docs) inside `( … )`, enum values, block kinds, defined blocks, settings and keywords. */
import { BLOCK_KINDS } from '../../kinds';
import { DTYPES } from '../../kinds/dtypes';
import { HARDWARE } from '../../cost/hardware';
import { DIM_SPECS } from '../../semantic/dims';
import type { DocState } from './docState';
import { enclosingUse } from './locate';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: 'kind' | 'block' | 'param' | 'setting' | 'keyword' | 'value' | 'model';
  readonly detail?: string;
  readonly documentation?: string;
  readonly insertText?: string;
}

export function handleCompletion(doc: DocState, offset: number): CompletionEntry[] {
  const lineStart = doc.text.lastIndexOf('\n', offset - 1) + 1;
  const before = doc.text.slice(lineStart, offset);
  // The end-anchored patterns below only look at the last few words; on a 1 MB line an unanchored start
  // would make them quadratic (a fuzz input with a 100,000-character line took 4 s).
  const tail = before.slice(-256);
  const use = enclosingUse(doc.analysis.ast, offset);
  if (use) {
    const enumMatch = /([A-Za-z_]\w*)\s*:\s*\w*$/.exec(tail);
    const kind = BLOCK_KINDS.get(use.name.text);
    if (enumMatch && kind) return enumValues(kind.params.find((p) => p.name === enumMatch[1])?.values ?? []);
    if (kind) return argNames(kind.params, new Set(use.args.map((a) => a.name.text)));
    const def = doc.analysis.symbols.blocks.get(use.name.text);
    return def ? def.decl.params.map((p) => ({ label: p.name.text, kind: 'param' as const, insertText: `${p.name.text}: ` })) : [];
  }
  const setting = /(dtype|kv_dtype|state_dtype)\s*=\s*\w*$/.exec(tail);
  if (setting) return enumValues(DTYPES);
  if (/\btied\s*=\s*\w*$/.test(tail)) return enumValues(['true', 'false']);
  if (/\bextends\s+\w*$/.test(tail)) return [...doc.analysis.symbols.models.keys()].map((m) => ({ label: m, kind: 'model' as const }));
  if (/^\s*(#|\/\/).*hardware/i.test(before)) return HARDWARE.map((h) => ({ label: h.id, kind: 'value' as const, detail: h.name }));
  return lineStart === offset || /^\s*\w*$/.test(before) ? itemStarts(doc) : [];
}

function argNames(params: readonly { name: string; type: string; doc: string; default?: unknown }[], used: Set<string>): CompletionEntry[] {
  return params.filter((p) => !used.has(p.name)).map((p) => ({
    label: p.name, kind: 'param', detail: `${p.type}${p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : ''}`,
    documentation: p.doc, insertText: `${p.name}: `,
  }));
}

function enumValues(values: readonly string[]): CompletionEntry[] {
  return values.map((v) => ({ label: v, kind: 'value' }));
}

function itemStarts(doc: DocState): CompletionEntry[] {
  const kinds: CompletionEntry[] = [...BLOCK_KINDS.values()].map((k) => ({ label: k.name, kind: 'kind', detail: 'built-in block', documentation: k.summary }));
  const blocks: CompletionEntry[] = [...doc.analysis.symbols.blocks.values()].map((b) => ({
    label: b.decl.name.text, kind: 'block', detail: `block(${b.decl.params.map((p) => p.name.text).join(', ')})`, documentation: b.decl.doc,
  }));
  const settings: CompletionEntry[] = DIM_SPECS.map((s) => ({ label: s.name, kind: 'setting', documentation: s.doc, insertText: `${s.name} = ` }));
  const keywords: CompletionEntry[] = ['layers', 'model', 'block', 'import', 'let', 'extends', 'at', 'every', 'first', 'last', 'not'].map((k) => ({ label: k, kind: 'keyword' }));
  return [...kinds, ...blocks, ...settings, ...keywords];
}
