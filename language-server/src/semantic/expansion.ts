/**
 * Keeps elaboration proportional to the text.
 *
 * - Counting is symbolic: the instances one block-definition use produces are remembered by everything
 *   that shapes them except how often the use occurs (its multiplicity). A second identical use — the
 *   second `B1` of `block B2 { B1 B1 }` — adds multiplicity × per-use count to the same instances instead
 *   of expanding the definition again, so twenty doubling definitions cost twenty expansions, not 2^20.
 * - Every analysis has a budget of block expansions and of layer indices examined by selectors; the
 *   use that exceeds it gets one located diagnostic and elaboration stops there.
 * - The layer indices of a whole group are one shared, lazily built list, not one list per line.
 */
import type { BlockInstance } from './instances';

/** Block uses elaborated per analysis before giving up with a diagnostic. */
export const MAX_EXPANSIONS = 100_000;
/** Layer indices examined by `at …` selectors per analysis (a selector costs the size of its group). */
export const MAX_SELECTOR_WORK = 20_000_000;

export interface LayerSet {
  readonly indices: readonly number[];
  readonly of: number;
}

const wholeGroups = new WeakSet<LayerSet>();

/** All indices 0…n-1 of a group; the list is built only when something reads it. */
export function allLayers(n: number): LayerSet {
  let cached: number[] | undefined;
  const set: LayerSet = {
    of: n,
    get indices(): number[] {
      cached ??= Array.from({ length: n }, (_, i) => i);
      return cached;
    },
  };
  wholeGroups.add(set);
  return set;
}

/** The first `k` indices of `set`, without building the list of a whole group. */
export function firstIndices(set: LayerSet, k: number): number[] {
  return wholeGroups.has(set) ? Array.from({ length: Math.min(k, set.of) }, (_, i) => i) : set.indices.slice(0, k);
}

/** How many indices `set` holds, without building the list of a whole group. */
export function layerCount(set: LayerSet): number {
  return wholeGroups.has(set) ? set.of : set.indices.length;
}

type Counted = { count: number; paramCount?: number };

/**
 * Per-use contribution of one remembered expansion: instance → [occurrences per unit of multiplicity, weight
 * copies per unit of weight multiplicity] (the two scale separately: shared weights, instances.ts `paramCount`).
 */
type Units = Map<BlockInstance, [number, number]>;

export class ExpansionMemo {
  private readonly done = new Map<string, Units>();
  /** Contributions of the expansions in progress, innermost last. */
  private readonly recording: Units[] = [];
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;

  /** A small stable number for an object (declarations, groups), for building keys. */
  id(o: object | undefined): number {
    if (!o) return 0;
    let n = this.ids.get(o);
    if (n === undefined) { n = this.nextId++; this.ids.set(o, n); }
    return n;
  }

  /** Records that `inst` gained `delta` occurrences and `pdelta` weight copies (a new instance or a repeated use). */
  contribute(inst: BlockInstance, delta: number, pdelta: number): void {
    for (const r of this.recording) { const [c, p] = r.get(inst) ?? [0, 0]; r.set(inst, [c + delta, p + pdelta]); }
  }

  /**
   * Replays the expansion remembered under `key` with multiplicity `mult`; false when there is none.
   * `overflow` is called (and nothing is added) when a count would stop being an exact integer.
   */
  replay(key: string, mult: number, pmult: number, overflow: () => void): boolean {
    const units = this.done.get(key);
    if (!units) return false;
    for (const [inst, [unit]] of units) {
      if (!Number.isSafeInteger(inst.count + unit * mult)) { overflow(); return true; }
    }
    for (const [inst, [unit, punit]] of units) {
      const c = inst as Counted;
      c.count += unit * mult;
      c.paramCount = (c.paramCount ?? 0) + punit * pmult;
      this.contribute(inst, unit * mult, punit * pmult);
    }
    return true;
  }

  /** Runs `expand` (one expansion with multiplicities `mult`, `pmult`) and remembers what it produced under `key`. */
  record(key: string, mult: number, pmult: number, expand: () => void): void {
    const r: Units = new Map();
    this.recording.push(r);
    try { expand(); } finally { this.recording.pop(); }
    if (mult <= 0 || pmult <= 0) return;
    const units: Units = new Map();
    for (const [inst, [delta, pdelta]] of r) units.set(inst, [delta / mult, pdelta / pmult]);
    this.done.set(key, units);
  }
}

/** Counts work against the analysis budget; `over` is true once it has been exceeded. */
export class Budget {
  private expansions = 0;
  private selectorWork = 0;
  over = false;

  /** Charges one block use; a message when this use exceeds the budget. */
  expansion(): string | undefined {
    if (this.over) return undefined;
    if (++this.expansions <= MAX_EXPANSIONS) return undefined;
    this.over = true;
    return `analysis stopped: this file expands to more than ${MAX_EXPANSIONS.toLocaleString('en-US')} block uses; costs below this point are not counted`;
  }

  /** Charges `work` (group size × selector size) for one selector; a message when it exceeds the budget. */
  selector(work: number): string | undefined {
    if (this.over) return undefined;
    this.selectorWork += work;
    if (this.selectorWork <= MAX_SELECTOR_WORK) return undefined;
    this.over = true;
    return `analysis stopped: layer selectors here examine more than ${MAX_SELECTOR_WORK.toLocaleString('en-US')} layer indices in all; costs below this point are not counted`;
  }
}
