/**
 * Adversarial input families for the hostile-input tests, the fuzz suite and the benchmark: each is a
 * function of a size `n` that yields `.arch` text whose naive analysis is deep (recursion as deep as n)
 * or wide (work exponential in n or proportional to a number written in the text).
 */
const HEADER = 'vocab = 1000\n  d_model = 64';

export interface Family {
  readonly name: string;
  readonly make: (n: number) => string;
}

export const FAMILIES: readonly Family[] = [
  { name: 'long sum', make: (n) => `let a = ${Array(n).fill('1').join(' + ')}\nmodel M {\n  ${HEADER}\n  custom(params: a)\n}\n` },
  { name: 'minus chain', make: (n) => `let a = ${'-'.repeat(n)}1\nmodel M {\n  ${HEADER}\n}\n` },
  { name: 'paren nest', make: (n) => `let a = ${'('.repeat(n)}1${')'.repeat(n)}\nmodel M {\n  ${HEADER}\n}\n` },
  { name: 'let chain', make: (n) => `let a0 = 1\n${Array.from({ length: n }, (_, i) => `let a${i + 1} = a${i} + 1`).join('\n')}\nmodel M {\n  ${HEADER}\n  custom(params: a${n})\n}\n` },
  { name: 'reverse let chain', make: (n) => `model M {\n  ${HEADER}\n  custom(params: a0)\n}\n${Array.from({ length: n }, (_, i) => `let a${i} = a${i + 1} + 1`).join('\n')}\nlet a${n} = 1\n` },
  { name: 'nested layers', make: (n) => `model M {\n  ${HEADER}\n${'layers 1 {\n'.repeat(n)}rmsnorm\n${'}\n'.repeat(n)}}\n` },
  { name: 'or selector', make: (n) => `model M {\n  ${HEADER}\n  layers 4 {\n    rmsnorm at ${Array(n).fill('first 1').join(' or ')}\n  }\n}\n` },
  { name: 'not selector', make: (n) => `model M {\n  ${HEADER}\n  layers 4 {\n    rmsnorm at ${'not '.repeat(n)}first 1\n  }\n}\n` },
  { name: 'extends chain', make: (n) => `model M0 {\n  ${HEADER}\n  rmsnorm\n}\n${Array.from({ length: n }, (_, i) => `model M${i + 1} extends M${i} {\n}`).join('\n')}\n` },
  { name: 'doubling blocks', make: (n) => `block B0 { rmsnorm }\n${Array.from({ length: n }, (_, i) => `block B${i + 1} {\n  B${i}\n  B${i}\n}`).join('\n')}\nmodel M {\n  ${HEADER}\n  layers 2 {\n    B${n}\n  }\n}\n` },
  { name: 'block chain', make: (n) => `block B0 { rmsnorm }\n${Array.from({ length: n }, (_, i) => `block B${i + 1} { B${i} }`).join('\n')}\nmodel M {\n  ${HEADER}\n  B${n}\n}\n` },
  { name: 'huge layers', make: (n) => `model M {\n  ${HEADER}\n  layers 1_000_000 {\n${'    rmsnorm\n'.repeat(n)}  }\n}\n` },
  { name: 'huge layers groups', make: (n) => `model M {\n  ${HEADER}\n${'  layers 1_000_000 { rmsnorm }\n'.repeat(n)}}\n` },
  { name: 'huge selectors', make: (n) => `model M {\n  ${HEADER}\n  layers 1_000_000 {\n${'    rmsnorm at every 2\n'.repeat(n)}  }\n}\n` },
  { name: 'nested huge layers', make: (n) => `model M {\n  ${HEADER}\n${'layers 1_000_000 {\n'.repeat(n)}rmsnorm\n${'}\n'.repeat(n)}}\n` },
  { name: 'huge repeat', make: (n) => `model M {\n  ${HEADER}\n${'  custom(params: 1e300) x 1e300\n'.repeat(n)}}\n` },
];
