/**
 * The `.arch` grammar, in one place. `parser.ts` implements exactly these rules
 * (one function per rule, named after it); docs/language.md reproduces this text.
 * Newlines end body items; `#` and `//` start comments.
 */
export const GRAMMAR = String.raw`
File      = { Import | Let | BlockDef | Model } ;
Import    = "import" STRING ;
Let       = "let" IDENT "=" Expr ;
BlockDef  = "block" IDENT [ "(" [ Param { "," Param } ] ")" ] "{" Body "}" ;
Param     = IDENT [ "=" Expr ] ;
Model     = "model" IDENT [ "extends" IDENT ] "{" Body "}" ;
Body      = { Item NEWLINE } ;
Item      = Layers | Setting | Use ;
Layers    = "layers" Expr [ "shared" ] "{" Body "}" [ "at" Selector ] ;
Setting   = IDENT "=" Expr ;
Use       = IDENT [ "(" [ Arg { "," Arg } ] ")" ] [ "x" Expr ] [ "shared" ] [ "at" Selector ] ;
Arg       = IDENT ":" Expr ;
Selector  = SelAnd { "or" SelAnd } ;
SelAnd    = SelUnary { "and" SelUnary } ;
SelUnary  = "not" SelUnary | SelAtom ;
SelAtom   = "every" Expr [ "from" Expr ] | "first" Expr | "last" Expr
          | "[" [ Index { "," Index } ] "]" | "(" Selector ")" | Index ;
Index     = Expr [ ".." Expr ] ;
Expr      = Term { ( "+" | "-" ) Term } ;
Term      = Unary { ( "*" | "/" ) Unary } ;
Unary     = "-" Unary | Primary ;
Primary   = NUMBER | STRING | IDENT | "[" [ Expr { "," Expr } ] "]" | "(" Expr ")" ;
NUMBER    = DIGITS [ "." DIGITS ] [ EXPONENT ] [ "K" | "M" | "B" | "T" | "Ki" | "Mi" | "Gi" | "Ti" ] ;  (* "_" may separate digits *)
`;

/** Words with a fixed meaning at the start of a top-level declaration or body item. */
export const DECLARATION_KEYWORDS = ['import', 'let', 'block', 'model'] as const;
/** Words used inside bodies and selectors. */
export const BODY_KEYWORDS = ['layers', 'extends', 'x', 'shared', 'at', 'every', 'from', 'first', 'last', 'not', 'and', 'or'] as const;
/** Literal words usable as values. */
export const VALUE_KEYWORDS = ['true', 'false'] as const;
