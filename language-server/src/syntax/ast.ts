/**
 * Syntax tree of `.arch` files. Every node carries the exact source span
 * (`start`/`end` are UTF-16 offsets into the document text), so diagnostics,
 * hover and go-to-definition can map back to the text without re-parsing.
 * The grammar that produces these nodes is documented in grammar.ts.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Ident extends Span {
  readonly kind: 'Ident';
  readonly text: string;
}

export interface StringLit extends Span {
  readonly kind: 'String';
  readonly value: string;
}

export interface NumberLit extends Span {
  readonly kind: 'Number';
  readonly value: number;
  /** The literal as written, e.g. `128_256` or `8Ki`. */
  readonly raw: string;
}

export interface ListExpr extends Span {
  readonly kind: 'List';
  readonly items: readonly Expr[];
}

export interface BinaryExpr extends Span {
  readonly kind: 'Binary';
  readonly op: '+' | '-' | '*' | '/';
  readonly left: Expr;
  readonly right: Expr;
}

export interface NegExpr extends Span {
  readonly kind: 'Neg';
  readonly operand: Expr;
}

/** Placeholder produced by error recovery where an expression was expected. */
export interface MissingExpr extends Span {
  readonly kind: 'Missing';
}

export type Expr = Ident | StringLit | NumberLit | ListExpr | BinaryExpr | NegExpr | MissingExpr;

/** `name: value` inside a block's argument list. */
export interface Arg extends Span {
  readonly kind: 'Arg';
  readonly name: Ident;
  readonly value: Expr;
}

/** Layer selectors used after `at`: which indices of the enclosing `layers` group a line applies to. */
export type Selector =
  | (Span & { readonly kind: 'Every'; readonly step: Expr; readonly from?: Expr })
  | (Span & { readonly kind: 'First'; readonly count: Expr })
  | (Span & { readonly kind: 'Last'; readonly count: Expr })
  | (Span & { readonly kind: 'Indices'; readonly items: readonly (Expr | IndexRange)[] })
  | (Span & { readonly kind: 'Not'; readonly operand: Selector })
  | (Span & { readonly kind: 'Or'; readonly left: Selector; readonly right: Selector })
  | (Span & { readonly kind: 'And'; readonly left: Selector; readonly right: Selector })
  | (Span & { readonly kind: 'BadSelector' });

/** `a..b` inside an index list: inclusive range. */
export interface IndexRange extends Span {
  readonly kind: 'IndexRange';
  readonly from: Expr;
  readonly to: Expr;
}

/** `name = value`: sets a dimension or option for the enclosing scope. */
export interface Setting extends Span {
  readonly kind: 'Setting';
  readonly name: Ident;
  readonly value: Expr;
}

/** A use of a built-in block kind or of a `block` definition: `attention(heads: 32) x 2 at first 3`. */
export interface BlockUse extends Span {
  readonly kind: 'Use';
  readonly name: Ident;
  readonly args: readonly Arg[];
  /** Span of `( … )`, present when parentheses were written. */
  readonly argsSpan?: Span;
  readonly repeat?: Expr;
  /** `shared`: every occurrence of this use (its `x N` and the layers it is placed on) reuses one set of weights. */
  readonly shared?: Span;
  readonly selector?: Selector;
}

/** `layers N { … }`: N stacked layers; lines inside may carry `at` selectors. */
export interface LayersGroup extends Span {
  readonly kind: 'Layers';
  readonly keyword: Span;
  readonly count: Expr;
  /** `layers N shared { … }`: the N layers reuse one set of weights (Universal / looped Transformers, ALBERT). */
  readonly shared?: Span;
  readonly body: readonly BodyItem[];
  readonly selector?: Selector;
}

export type BodyItem = Setting | BlockUse | LayersGroup;

export interface Param extends Span {
  readonly kind: 'Param';
  readonly name: Ident;
  readonly defaultValue?: Expr;
}

/** `block Name(p = 1, q) { … }`: a reusable, parameterised group of blocks. */
export interface BlockDef extends Span {
  readonly kind: 'BlockDef';
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly body: readonly BodyItem[];
  readonly doc?: string;
}

/** `model Name extends Base { … }`. */
export interface ModelDecl extends Span {
  readonly kind: 'Model';
  readonly name: Ident;
  readonly base?: Ident;
  readonly body: readonly BodyItem[];
  readonly doc?: string;
}

/** `import "path.arch"`. */
export interface ImportDecl extends Span {
  readonly kind: 'Import';
  readonly path: StringLit;
}

/** Top-level `let name = value` constant. */
export interface LetDecl extends Span {
  readonly kind: 'Let';
  readonly name: Ident;
  readonly value: Expr;
}

export type TopItem = ImportDecl | LetDecl | BlockDef | ModelDecl;

export interface SyntaxDiagnostic extends Span {
  readonly message: string;
}

export interface ArchFile extends Span {
  readonly kind: 'File';
  readonly items: readonly TopItem[];
  readonly diagnostics: readonly SyntaxDiagnostic[];
}

export type AnyNode = TopItem | BodyItem | Arg | Param | Expr | Selector | IndexRange | ArchFile;
