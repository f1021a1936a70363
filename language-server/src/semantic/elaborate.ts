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
import { checkDim, DEFAULT_DIMS, DIM_NAMES, withDim } from './dims';
import type { Program } from './program';
import { selectIndices } from './selectors';
import { visibleSymbols, type SymbolTable } from './symbols';
import { checkBuiltinUse } from './checkArgs';
import { suggest } from './suggest';

/** Largest `layers N` accepted; beyond it the text is almost certainly a typo. */
export const MAX_LAYERS = 1_000_000;
const MAX_DEF_DEPTH = 32;

interface Scope {
  readonly file: string;
  readonly symbols: SymbolTable;
  readonly dims: Dims;
  readonly params: ReadonlyMap<string, Value>;
  readonly mult: number;
  readonly group?: number;
  /** Indices of `group` this scope applies to (a block definition used `at …`); all when absent. */
  readonly allowed?: readonly number[];
  readonly layers?: { indices: number[]; of: number };
  readonly path: readonly string[];
  readonly top?: { file: string; item: BodyItem };
  readonly defs: readonly string[];
  readonly via: readonly (BlockUse | LayersGroup)[];
}

export class Elaborator {
  readonly references: Reference[] = [];
  private readonly symbolCache = new Map<string, SymbolTable>();

  constructor(private readonly program: Program, private sink: DiagnosticSink) {}

  symbols(file: string): SymbolTable {
    let s = this.symbolCache.get(file);
    if (!s) { s = visibleSymbols(this.program, file, this.sink); this.symbolCache.set(file, s); }
    return s;
  }

  model(file: string, decl: ModelDecl): ModelInstance {
    const blocks: BlockInstance[] = [];
    const dims = this.modelBody(file, decl, blocks, new Set());
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

  private rootScope(file: string, dims: Dims): Scope {
    return { file, symbols: this.symbols(file), dims, params: new Map(), mult: 1, path: [], defs: [], via: [] };
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
      ...scope, mult: here.mult, group: n, allowed: undefined, layers: undefined, path: [...scope.path, `layers ${n}`], via: [...scope.via, g],
    };
    this.body(g.body, { ...inner, dims: this.settings(g.body, inner) }, out);
  }

  private layerCount(e: Expr, scope: Scope): number | undefined {
    const v = this.value(e, scope);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      this.sink.error(scope.file, e, 'wrong-type', `the layer count must be a non-negative integer, found ${JSON.stringify(v)}`);
      return undefined;
    }
    if (v > MAX_LAYERS) { this.sink.error(scope.file, e, 'too-many-layers', `at most ${MAX_LAYERS} layers per group`); return undefined; }
    return v;
  }

  /** How many times an item occurs given its selector in the current group, and at which indices. */
  private placement(sel: Selector | undefined, scope: Scope): { mult: number; layers?: { indices: number[]; of: number } } | undefined {
    if (scope.group === undefined) {
      if (!sel) return { mult: scope.mult, layers: scope.layers };
      this.sink.error(scope.file, sel, 'selector-outside-layers', `'at' selects layers, so it must be inside a 'layers N { … }' group (directly or through a block used there)`);
      return undefined;
    }
    const n = scope.group;
    const base = scope.allowed ? [...scope.allowed] : range(n);
    if (!sel) return { mult: scope.mult * base.length, layers: { indices: base, of: n } };
    const problems: { start: number; end: number; message: string }[] = [];
    const allowed = new Set(base);
    const indices = selectIndices(sel, n, this.lookup(scope), problems).filter((i) => allowed.has(i));
    for (const p of problems) this.sink.error(scope.file, p, 'selector', p.message);
    return { mult: scope.mult * indices.length, layers: { indices, of: n } };
  }

  private use(u: BlockUse, scope: Scope, out: BlockInstance[]): void {
    const name = u.name.text;
    if (!name) return;
    const here = this.placement(u.selector, scope);
    if (!here) return;
    let repeat = 1;
    if (u.repeat) {
      const r = this.value(u.repeat, scope);
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) {
        if (r !== undefined) this.sink.error(scope.file, u.repeat, 'wrong-type', `'x' needs a non-negative integer count`);
        return;
      }
      repeat = r;
    }
    const mult = here.mult * repeat;
    const def = scope.symbols.blocks.get(name);
    if (def) {
      // Inside a group, the definition's own `at` selectors refine where it applies.
      const inGroup = scope.group !== undefined ? { mult: scope.mult * repeat, allowed: here.layers?.indices } : { mult };
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
    out.push({
      kind: name, args: checked.args, dims: checked.dims, count: mult, file: scope.file, site: u,
      top: scope.top ?? { file: scope.file, item: u }, path: [...scope.path, name], layers: here.layers, via: scope.via,
    });
  }

  private defUse(u: BlockUse, def: { file: string; decl: BlockDef }, scope: Scope, out: BlockInstance[]): void {
    this.references.push({ file: scope.file, span: u.name, target: { file: def.file, span: def.decl.name, kind: 'block' } });
    if (scope.defs.includes(def.decl.name.text) || scope.defs.length >= MAX_DEF_DEPTH) {
      this.sink.error(scope.file, u.name, 'recursive-block', `block '${def.decl.name.text}' uses itself (directly or through other blocks)`);
      return;
    }
    const bound = this.bindParams(u, def, scope);
    if (!bound) return;
    const inner: Scope = {
      file: def.file, symbols: this.symbols(def.file), dims: bound.dims, params: bound.params, mult: scope.mult,
      group: scope.group, allowed: scope.allowed, layers: scope.layers, path: [...scope.path, def.decl.name.text], top: scope.top, via: [...scope.via, u],
      defs: [...scope.defs, def.decl.name.text],
    };
    // Arguments at the use site win over the definition's own settings.
    this.body(def.decl.body, { ...inner, dims: { ...this.settings(def.decl.body, inner), ...bound.overrides } }, out);
  }

  /** Binds arguments of a use to a block definition's parameters (dims may be overridden too). */
  private bindParams(u: BlockUse, d: { file: string; decl: BlockDef }, scope: Scope): { params: Map<string, Value>; dims: Dims; overrides: Partial<Dims> } | undefined {
    const def = d.decl;
    const params = new Map<string, Value>();
    let dims = scope.dims;
    const overrides: Record<string, Value> = {};
    let ok = true;
    for (const a of u.args) {
      const v = this.value(a.value, scope);
      if (v === undefined) { ok = false; continue; }
      if (def.params.some((p) => p.name.text === a.name.text)) {
        if (params.has(a.name.text)) this.sink.error(scope.file, a.name, 'duplicate-arg', `argument '${a.name.text}' is given twice`);
        params.set(a.name.text, v);
      } else if (DIM_NAMES.has(a.name.text)) {
        const expected = checkDim(a.name.text, v);
        if (expected) { this.sink.error(scope.file, a.value, 'wrong-type', `'${a.name.text}' must be ${expected}`); ok = false; } else { dims = withDim(dims, a.name.text, v); overrides[a.name.text] = v; }
      } else {
        this.sink.error(scope.file, a.name, 'unknown-param', `block '${def.name.text}' has no parameter '${a.name.text}'; its parameters are ${def.params.map((p) => p.name.text).join(', ') || '(none)'}`);
        ok = false;
      }
    }
    for (const p of def.params) {
      if (params.has(p.name.text)) continue;
      if (!p.defaultValue) { this.sink.error(scope.file, u.name, 'missing-arg', `missing argument '${p.name.text}' for block '${def.name.text}'`); ok = false; continue; }
      // Defaults are evaluated where the block is defined, seeing the parameters bound so far and the use's dims.
      const v = this.value(p.defaultValue, { ...this.rootScope(d.file, dims), params });
      if (v === undefined) ok = false; else params.set(p.name.text, v);
    }
    return ok ? { params, dims, overrides: overrides as Partial<Dims> } : undefined;
  }

  /** Evaluates every top-level constant of `file`, so errors in unused ones are reported too. */
  checkConstants(file: string): void {
    for (const [name, c] of this.symbols(file).lets) if (c.file === file) this.constant(c.file, name, c.decl.value);
  }

  private lookup(scope: Scope): Lookup {
    return (name) => {
      if (scope.params.has(name)) return scope.params.get(name);
      if (DIM_NAMES.has(name)) return (scope.dims as unknown as Record<string, Value | undefined>)[name];
      const c = scope.symbols.lets.get(name);
      if (c) return this.constant(c.file, c.decl.name.text, c.decl.value);
      return undefined;
    };
  }

  private readonly constants = new Map<string, Value | null>();

  private constant(file: string, name: string, expr: Expr): Value | undefined {
    const key = `${file}\u0000${name}`;
    if (this.constants.has(key)) return this.constants.get(key) ?? undefined;
    this.constants.set(key, null); // cycle guard
    const v = this.value(expr, this.rootScope(file, DEFAULT_DIMS));
    this.constants.set(key, v ?? null);
    return v;
  }

  /** Evaluates an expression, reporting errors; undefined when it has none. */
  value(e: Expr, scope: Scope): Value | undefined {
    const r = evaluate(e, this.lookup(scope));
    if (r.error) { this.sink.error(scope.file, r.error, 'bad-value', r.error.message); return undefined; }
    return r.value;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function allKindNames(): string[] {
  return [...BLOCK_KINDS.keys()];
}
