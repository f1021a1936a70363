/**
 * One root cause, one problem: a mistyped setting (`dmodel = 4096`, "did you mean 'd_model'?") leaves the dimension
 * unset, and every block of that model would then report "needs the dimension 'd_model'". Those follow-on errors
 * are dropped and the root cause says how many it explains; fixing the typo brings back any that remain.
 */
import type { ArchFile } from '../syntax/ast';
import type { Diagnostic } from './diagnostics';

const TYPO = /^unknown setting '[^']+'.*\(did you mean '([^']+)'\?\)/;
const NEEDS = /needs the dimension '([^']+)'/;

interface Root { readonly diag: Diagnostic; readonly dim: string; readonly model: { start: number; end: number } }

/** The unknown-setting errors whose suggestion names a dimension, with the model declaration holding each. */
function roots(diags: readonly Diagnostic[], file: string, ast: ArchFile): Root[] {
  const out: Root[] = [];
  for (const d of diags) {
    const m = d.code === 'unknown-setting' && d.file === file ? TYPO.exec(d.message) : null;
    if (!m) continue;
    const model = ast.items.find((i) => i.kind === 'Model' && i.start <= d.start && d.end <= i.end);
    if (model) out.push({ diag: d, dim: m[1], model });
  }
  return out;
}

/** `diags` without the missing-dimension errors that a mistyped setting of the same model explains. */
export function suppressCascades(diags: readonly Diagnostic[], file: string, ast: ArchFile): readonly Diagnostic[] {
  const found = roots(diags, file, ast);
  if (!found.length) return diags;
  const hidden = new Map<Diagnostic, number>();
  const explainedBy = (d: Diagnostic): Root | undefined => {
    const m = d.code === 'missing-dim' && d.file === file ? NEEDS.exec(d.message) : null;
    return m ? found.find((r) => r.dim === m[1] && r.model.start <= d.start && d.end <= r.model.end) : undefined;
  };
  const kept = diags.filter((d) => {
    const r = explainedBy(d);
    if (r) hidden.set(r.diag, (hidden.get(r.diag) ?? 0) + 1);
    return !r;
  });
  return kept.map((d) => {
    const n = hidden.get(d);
    if (!n) return d;
    const dim = found.find((r) => r.diag === d)!.dim;
    return { ...d, message: `${d.message}; ${n} block${n === 1 ? '' : 's'} needing '${dim}' not checked until it is set` };
  });
}
