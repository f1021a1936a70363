/** Lengths of `extends` chains, found by a loop (a 10,000-model chain must not recurse) and remembered. */
import type { ModelDecl } from '../syntax/ast';
import type { SymbolTable } from './symbols';

export class ExtendsChains {
  private readonly lengths = new Map<ModelDecl, number>();

  constructor(private readonly symbols: (file: string) => SymbolTable) {}

  /** Models in the chain that starts at `decl` (itself included); remembered for every model on it. */
  length(file: string, decl: ModelDecl): number {
    const path: ModelDecl[] = [];
    const seen = new Set<ModelDecl>();
    let cur: { file: string; decl: ModelDecl } | undefined = { file, decl };
    let length = 0;
    while (cur && !seen.has(cur.decl)) {
      const known = this.lengths.get(cur.decl);
      if (known !== undefined) { length = known; break; }
      seen.add(cur.decl);
      path.push(cur.decl);
      cur = cur.decl.base?.text ? this.symbols(cur.file).models.get(cur.decl.base.text) : undefined;
    }
    for (let i = path.length - 1; i >= 0; i--) this.lengths.set(path[i], ++length);
    return length;
  }
}
