/** Signature help inside a block's argument list: the kind's (or block definition's) parameters with docs. */
import { blockKind } from '../../kinds';
import type { DocState } from './docState';
import { enclosingUse } from './locate';

export interface Signature {
  readonly label: string;
  readonly documentation: string;
  readonly parameters: { readonly label: string; readonly documentation: string }[];
  readonly active: number;
}

export function handleSignature(doc: DocState, offset: number): Signature | undefined {
  const use = enclosingUse(doc.analysis.ast, offset);
  if (!use) return undefined;
  const argIndex = use.args.findIndex((a) => offset >= a.start && offset <= a.end + 1);
  const kind = blockKind(use.name.text);
  if (kind) {
    const parameters = kind.params.map((p) => ({ label: `${p.name}: ${p.type}${p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : ''}`, documentation: p.doc }));
    const current = use.args[argIndex]?.name.text;
    const active = Math.max(0, kind.params.findIndex((p) => p.name === current));
    return { label: `${kind.name}(${parameters.map((p) => p.label).join(', ')})`, documentation: kind.summary, parameters, active };
  }
  const def = doc.analysis.symbols.blocks.get(use.name.text);
  if (!def) return undefined;
  const parameters = def.decl.params.map((p) => ({ label: p.name.text, documentation: '' }));
  const current = use.args[argIndex]?.name.text;
  return { label: `${def.decl.name.text}(${parameters.map((p) => p.label).join(', ')})`, documentation: def.decl.doc ?? '', parameters, active: Math.max(0, def.decl.params.findIndex((p) => p.name.text === current)) };
}
