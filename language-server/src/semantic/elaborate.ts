/**
 * Elaborates a model declaration into block instances: applies settings, evaluates arguments,
 * expands `layers` groups, selectors, `x N` and block definitions, and checks every argument
 * against its kind's specification. Work is proportional to the text, not to the layer count:
 * a line inside `layers 80 { … }` becomes one instance with count 80.
 */
import type { BlockDef, BlockUse, BodyItem, Expr, LayersGroup, ModelDecl, Selector } from '../syntax/ast';
import type { Dims, Value } from '../kinds/types';
import { BLOCK_KINDS, blockKind } from '../kinds';
import { DiagnosticSink } from './diagnostics';
import { evaluate, type Lookup } from './evaluate';
import type { BlockInstance, ModelInstance, Reference } from './instances';
import { checkDim, DEFAULT_DIMS, DIM_NAMES } from './dims';
import type { Program } from './program';
import { selectIndices, selectorSize } from './selectors';
import { visibleSymbols, type SymbolTable } from './symbols';
import { checkBuiltinUse } from './checkArgs';
import { checkSharedHolders } from './sharedHolders';
import { bindParams, type Bound } from './bindParams';
import { suggest } from './suggest';
import { Constants } from './constants';
import { ExtendsChains } from './extendsChains';
import { allLayers, Budget, ExpansionMemo, layerCount, type LayerSet } from './expansion';
import { checkLayerCount, checkRepeat, type CountCheck } from './counts';

export { MAX_LAYERS } from './counts';
const MAX_DEF_DEPTH = 32;
/** Longest `extends` chain followed. */
export const MAX_EXTENDS_DEPTH = 64;

interface Scope {
  readonly file: string;
  readonly symbols: SymbolTable;
  readonly dims: Dims;
  readonly params: ReadonlyMap<string, Value>;
  readonly mult: number;
  /** Distinct weight copies per occurrence of the scope (`mult` without the repetitions that share weights). */
  readonly pmult: number;
  /** The layers of `group` share one set of weights (`layers N shared`, or a `shared` use of a definition). */
  readonly shared?: boolean;
  readonly group?: number;
  /** Indices of `group` this scope applies to (a block definition used `at …`); all when absent. */
  readonly allowed?: readonly number[];
  readonly layers?: LayerSet;
  /** All indices of `group`, shared by every line of the group. */
  readonly all?: LayerSet;
  readonly path: readonly string[];
  readonly top?: { file: string; item: BodyItem };
  readonly defs: readonly string[];
  readonly via: readonly (BlockUse | LayersGroup)[];
}

export class Elaborator {
  readonly references: Reference[] = [];
  private readonly symbolCache = new Map<string, SymbolTable>();
  private readonly constants: Constants;
  private readonly memo = new ExpansionMemo();
  private readonly budget = new Budget();
  private readonly reportSink: DiagnosticSink;

  constructor(private readonly program: Program, private sink: DiagnosticSink) {
    this.reportSink = sink;
    this.constants = new Constants((f) => this.symbols(f), (file, e) => this.constantValue(file, e));
  }

  symbols(file: string): SymbolTable {
    let s = this.symbolCache.get(file);
    if (!s) { s = visibleSymbols(this.program, file, this.sink); this.symbolCache.set(file, s); }
    return s;
  }

  model(file: string, decl: ModelDecl): ModelInstance {
    const blocks: BlockInstance[] = [];
    const dims = this.modelBody(file, decl, blocks, new Set());
    checkSharedHolders(blocks, this.sink);
    return { name: decl.name.text, file, decl, dims, blocks };
  }

  /** Instances produced by one use of a block (as if it were the only item of a model with `dims`). */
  use1(file: string, u: BlockUse, dims: Dims): BlockInstance[] {
    const out: BlockInstance[] = [];
    this.use(u, this.rootScope(file, dims), out);
    return out;
  }

  /** Walks the base chain first (`extends`), then this model's own body; returns the model's dims. */
  private modelBody(file: string, decl: ModelDecl, out: BlockInstance[], seen: Set<ModelDecl>, over: Partial<Dims> = {}): Dims {
    seen.add(decl);
    const symbols = this.symbols(file);
    let baseDims = DEFAULT_DIMS;
    if (decl.base?.text) {
      const base = symbols.models.get(decl.base.text);
      if (!base) this.sink.error(file, decl.base, 'unknown-model', `unknown model '${decl.base.text}'${suggest(decl.base.text, symbols.models.keys())}`);
      else if (seen.has(base.decl)) this.sink.error(file, decl.base, 'extends-cycle', `model '${decl.name.text}' extends itself through '${decl.base.text}'`);
      else if (seen.size === 1 && this.chainLength(file, decl) > MAX_EXTENDS_DEPTH) this.sink.error(file, decl.base, 'extends-too-deep', `'extends' chain of more than ${MAX_EXTENDS_DEPTH} models: '${decl.base.text}' and its bases are not included`);
      else {
        this.references.push({ file, span: decl.base, target: { file: base.file, span: base.decl.name, kind: 'model' } });
        const own = this.explicitSettings(decl.body, this.rootScope(file, DEFAULT_DIMS), false);
        baseDims = this.modelBody(base.file, base.decl, out, seen, { ...over, ...own });
      }
    }
    const scope = this.rootScope(file, baseDims);
    const dims = { ...this.settings(decl.body, scope), ...over } as Dims;
    this.body(decl.body, { ...scope, dims }, out, true);
    return dims;
  }

  private readonly chains = new ExtendsChains((f) => this.symbols(f));

  private chainLength(file: string, decl: ModelDecl): number {
    return this.chains.length(file, decl);
  }

  private rootScope(file: string, dims: Dims): Scope {
    return { file, symbols: this.symbols(file), dims, params: new Map(), mult: 1, pmult: 1, path: [], defs: [], via: [] };
  }

  /** Applies the `name = value` settings of a body to the scope's dims. */
  private settings(items: readonly BodyItem[], scope: Scope): Dims {
    return { ...scope.dims, ...this.explicitSettings(items, scope, true) } as Dims;
  }

  /** The dims a body sets explicitly (reported only once: `report` is false on a second pass). */
  private explicitSettings(items: readonly BodyItem[], scope: Scope, report: boolean): Partial<Dims> {
    const sink = report ? this.sink : new DiagnosticSink();
    const saved = this.sink;
    this.sink = sink;
    try { return this.collectSettings(items, scope); } finally { this.sink = saved; }
  }

  private collectSettings(items: readonly BodyItem[], scope: Scope): Partial<Dims> {
    let dims: Partial<Dims> = {};
    for (const item of items) {
      if (item.kind !== 'Setting') continue;
      const v = this.value(item.value, { ...scope, dims: { ...scope.dims, ...dims } as Dims });
      if (v === undefined) continue;
      if (!DIM_NAMES.has(item.name.text)) {
        this.sink.error(scope.file, item.name, 'unknown-setting', `unknown setting '${item.name.text}'; expected one of ${[...DIM_NAMES].join(', ')}${suggest(item.name.text, DIM_NAMES)}`);
        continue;
      }
      const expected = checkDim(item.name.text, v);
      if (expected) { this.sink.error(scope.file, item.value, 'wrong-type', `'${item.name.text}' must be ${expected}`); continue; }
      dims = { ...dims, [item.name.text]: v };
    }
    return dims;
  }

  private body(items: readonly BodyItem[], scope: Scope, out: BlockInstance[], isTop = false): void {
    for (const item of items) {
      if (item.kind === 'Setting') continue;
      const s = isTop ? { ...scope, top: { file: scope.file, item } } : scope;
      if (item.kind === 'Layers') this.layersGroup(item, s, out);
      else this.use(item, s, out);
    }
  }

  private layersGroup(g: LayersGroup, scope: Scope, out: BlockInstance[]): void {
    const n = this.layerCount(g.count, scope);
    if (n === undefined) return;
    const here = this.placement(g.selector, scope);
    if (!here) return;
    const inner: Scope = {
      ...scope, mult: here.mult, pmult: here.pmult, shared: !!g.shared, group: n, allowed: undefined, layers: undefined, all: allLayers(n),
      path: [...scope.path, g.shared ? `layers ${n} shared` : `layers ${n}`], via: [...scope.via, g],
    };
    this.body(g.body, { ...inner, dims: this.settings(g.body, inner) }, out);
  }

  private layerCount(e: Expr, scope: Scope): number | undefined {
    return this.counted(e, scope, checkLayerCount);
  }

  /** Evaluates a written count and checks it; undefined after reporting a problem. */
  private counted(e: Expr, scope: Scope, check: (v: Value | undefined) => CountCheck): number | undefined {
    const r = check(this.value(e, scope));
    if (r && 'code' in r) this.sink.error(scope.file, e, r.code, r.message);
    return r && 'n' in r ? r.n : undefined;
  }

  /** How many times an item occurs given its selector in the current group, and at which indices. */
  private placement(sel: Selector | undefined, scope: Scope): { mult: number; pmult: number; layers?: LayerSet } | undefined {
    // Layers that share weights add occurrences but no weight copies.
    const copies = (k: number): number => scope.pmult * (scope.shared ? Math.min(1, k) : k);
    if (scope.group === undefined) {
      if (!sel) return { mult: scope.mult, pmult: scope.pmult, layers: scope.layers };
      this.sink.error(scope.file, sel, 'selector-outside-layers', `'at' selects layers, so it must be inside a 'layers N { … }' group (directly or through a block used there)`);
      return undefined;
    }
    const n = scope.group;
    // Without a selector a line occurs wherever its scope does: the same (shared) index list.
    const layers = scope.allowed && scope.layers ? scope.layers : scope.all ?? allLayers(n);
    if (!sel) return { mult: scope.mult * layerCount(layers), pmult: copies(layerCount(layers)), layers };
    const over = this.budget.selector(n * selectorSize(sel));
    if (over) this.sink.error(scope.file, sel, 'analysis-budget', over);
    if (this.budget.over) return undefined;
    const problems: { start: number; end: number; message: string }[] = [];
    let indices = selectIndices(sel, n, this.lookup(scope), problems);
    if (scope.allowed) { const allowed = new Set(scope.allowed); indices = indices.filter((i) => allowed.has(i)); }
    for (const p of problems) this.sink.error(scope.file, p, 'selector', p.message);
    return { mult: scope.mult * indices.length, pmult: copies(indices.length), layers: { indices, of: n } };
  }

  private use(u: BlockUse, useScope: Scope, out: BlockInstance[]): void {
    const name = u.name.text;
    if (!name || this.budget.over) return;
    const over = this.budget.expansion();
    if (over) { this.sink.error(useScope.file, u.name, 'analysis-budget', over); return; }
    // A `shared` use reuses one set of weights on every layer it is placed on and across its `x N`.
    const scope = u.shared ? { ...useScope, shared: true } : useScope;
    const here = this.placement(u.selector, scope);
    const repeat = here && this.repeatCount(u, scope);
    if (!here || repeat === undefined) return;
    const mult = here.mult * repeat;
    const copies = u.shared ? Math.min(1, repeat) : repeat;
    if (!Number.isSafeInteger(mult)) { this.tooMany(scope.file, u); return; }
    const def = scope.symbols.blocks.get(name);
    if (def) {
      // Inside a group, the definition's own `at` selectors refine where it applies.
      const allowed = here.layers && here.layers !== scope.all ? here.layers.indices : undefined;
      const inGroup = scope.group !== undefined ? { mult: scope.mult * repeat, pmult: scope.pmult * copies, allowed } : { mult, pmult: here.pmult * copies };
      this.defUse(u, def, { ...scope, ...inGroup, layers: here.layers }, out);
      return;
    }
    const kind = blockKind(name);
    if (!kind) {
      this.sink.error(scope.file, u.name, 'unknown-kind', `unknown block '${name}': not a built-in kind or a block defined here or in an import${suggest(name, [...scope.symbols.blocks.keys(), ...allKindNames()])}`);
      return;
    }
    const checked = checkBuiltinUse(kind, u, scope.dims, (e) => this.value(e, scope), (span, code, msg, sev) => this.sink.add(scope.file, span, sev ?? 'error', code, msg));
    if (!checked || mult === 0) return;
    const paramCount = here.pmult * copies;
    const inst: BlockInstance = {
      kind: name, args: checked.args, dims: checked.dims, count: mult, paramCount, file: scope.file, site: u,
      top: scope.top ?? { file: scope.file, item: u }, path: [...scope.path, name], layers: here.layers, via: scope.via,
    };
    out.push(inst);
    this.memo.contribute(inst, mult, paramCount);
  }

  /** The `x N` count of a use (1 without `x`); undefined after reporting a bad count. */
  private repeatCount(u: BlockUse, scope: Scope): number | undefined {
    return u.repeat ? this.counted(u.repeat, scope, checkRepeat) : 1;
  }

  private tooMany(file: string, u: BlockUse): void {
    this.sink.error(file, u.name, 'too-many', `'${u.name.text}' occurs more than ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')} times here: too many to count exactly`);
  }

  private defUse(u: BlockUse, def: { file: string; decl: BlockDef }, scope: Scope, out: BlockInstance[]): void {
    this.references.push({ file: scope.file, span: u.name, target: { file: def.file, span: def.decl.name, kind: 'block' } });
    if (scope.defs.includes(def.decl.name.text)) {
      this.sink.error(scope.file, u.name, 'recursive-block', `block '${def.decl.name.text}' uses itself (directly or through other blocks)`);
      return;
    }
    if (scope.defs.length >= MAX_DEF_DEPTH) {
      this.sink.error(scope.file, u.name, 'block-too-deep', `block definitions nested deeper than ${MAX_DEF_DEPTH} levels: '${def.decl.name.text}' is not expanded`);
      return;
    }
    const bound = this.bindParams(u, def, scope);
    if (!bound) return;
    const key = this.expansionKey(def.decl, bound, scope);
    if (this.memo.replay(key, scope.mult, scope.pmult, () => this.tooMany(scope.file, u))) return;
    const inner: Scope = {
      file: def.file, symbols: this.symbols(def.file), dims: bound.dims, params: bound.params, mult: scope.mult, pmult: scope.pmult, shared: scope.shared,
      group: scope.group, allowed: scope.allowed, layers: scope.layers, all: scope.all, path: [...scope.path, def.decl.name.text], top: scope.top, via: [...scope.via, u],
      defs: [...scope.defs, def.decl.name.text],
    };
    // Arguments at the use site win over the definition's own settings.
    this.memo.record(key, scope.mult, scope.pmult, () =>
      this.body(def.decl.body, { ...inner, dims: { ...this.settings(def.decl.body, inner), ...bound.overrides } }, out));
  }

  /** Everything that shapes the instances of a definition use, except its multiplicity (see ExpansionMemo). */
  private expansionKey(def: BlockDef, bound: Bound, scope: Scope): string {
    const m = this.memo;
    return JSON.stringify([
      m.id(def), scope.file, [...bound.params], bound.dims, bound.overrides, scope.path, m.id(scope.top?.item), scope.group ?? -1, m.id(scope.layers), !!scope.shared,
    ]);
  }

  /** Binds arguments of a use to a block definition's parameters (dims may be overridden too). */
  private bindParams(u: BlockUse, d: { file: string; decl: BlockDef }, scope: Scope): Bound | undefined {
    return bindParams(u, d.decl, scope.dims, {
      atUse: (e) => this.value(e, scope),
      atDef: (e, dims, params) => this.value(e, { ...this.rootScope(d.file, dims), params }),
      error: (span, code, message) => this.sink.error(scope.file, span, code, message),
    });
  }

  /** Evaluates every top-level constant of `file`, so errors in unused ones are reported too. */
  checkConstants(file: string): void {
    this.constants.warm(file);
  }

  private lookup(scope: Scope): Lookup {
    return (name) => {
      if (scope.params.has(name)) return scope.params.get(name);
      if (DIM_NAMES.has(name)) return (scope.dims as unknown as Record<string, Value | undefined>)[name];
      const c = scope.symbols.lets.get(name);
      if (c) return this.constants.get(c.file, c.decl.name.text, c.decl.value);
      return undefined;
    };
  }

  /** A constant is evaluated once, so its errors always go to the reported diagnostics. */
  private constantValue(file: string, expr: Expr): Value | undefined {
    const saved = this.sink;
    this.sink = this.reportSink;
    try { return this.value(expr, this.rootScope(file, DEFAULT_DIMS)); } finally { this.sink = saved; }
  }

  /** Evaluates an expression, reporting errors; undefined when it has none. */
  value(e: Expr, scope: Scope): Value | undefined {
    const r = evaluate(e, this.lookup(scope));
    if (r.error) { if (!r.error.quiet) this.sink.error(scope.file, r.error, 'bad-value', r.error.message); return undefined; }
    return r.value;
  }
}

function allKindNames(): string[] {
  return [...BLOCK_KINDS.keys()];
}
