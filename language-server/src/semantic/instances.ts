/** The semantic model: what a `model` declaration elaborates to. */
import type { BlockUse, BodyItem, LayersGroup, ModelDecl, Span } from '../syntax/ast';
import type { Args, Dims } from '../kinds/types';

/** One built-in block at one place in the model, with how many times it occurs. */
export interface BlockInstance {
  readonly kind: string;
  readonly args: Args;
  readonly dims: Dims;
  /** Occurrences in the model (layers × selector matches × `x N`). */
  readonly count: number;
  /**
   * Distinct sets of weights among the `count` occurrences (≤ count): equal to count unless the block's weights
   * are shared across repetitions (`layers N shared { … }`, `Use shared`). Parameters and weight bytes are
   * counted paramCount times; FLOPs, caches and times count times. Absent: count.
   */
  readonly paramCount?: number;
  /** File holding `site`. */
  readonly file: string;
  /** The use of the built-in kind (inside a block definition when reached through one). */
  readonly site: BlockUse;
  /** The item of the model's own body this instance comes from. */
  readonly top: { readonly file: string; readonly item: BodyItem };
  /** Human-readable location, e.g. `layers 32 › DecoderLayer › attention`. */
  readonly path: readonly string[];
  /** `layers` groups and block-definition uses passed through on the way to `site`, outermost first. */
  readonly via: readonly (BlockUse | LayersGroup)[];
  /** Layer indices (of the innermost `layers` group) where the block occurs. */
  readonly layers?: { readonly indices: readonly number[]; readonly of: number };
}

export interface ModelInstance {
  readonly name: string;
  readonly file: string;
  readonly decl: ModelDecl;
  readonly dims: Dims;
  readonly blocks: readonly BlockInstance[];
}

/** A name in the text that refers to a declaration (for go-to-definition, references, rename). */
export interface Reference {
  readonly file: string;
  readonly span: Span;
  readonly target: { readonly file: string; readonly span: Span; readonly kind: 'block' | 'model' | 'let' | 'param' };
}

/** Distinct weight copies of an instance (see `paramCount`). */
export function weightCopies(b: Pick<BlockInstance, 'count' | 'paramCount'>): number {
  return b.paramCount ?? b.count;
}

/** True when some occurrences of the instance reuse another occurrence's weights. */
export function isShared(b: Pick<BlockInstance, 'count' | 'paramCount'>): boolean {
  return weightCopies(b) < b.count;
}
