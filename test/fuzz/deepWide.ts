/**
 * Grammar-aware generator of deep and wide `.arch` programs (issue 11): random compositions of nested
 * `layers` groups, long operator chains, chains of constants (forwards and backwards), block definitions
 * that use each other once, twice or with different arguments, huge repeats and layer counts, long selector
 * chains, `extends` chains and chains of imports. Seeded, so a failure names its seed.
 */
import { rng } from './generate';

export interface Program {
  readonly main: string;
  /** Other files, keyed by path (`/mem/lib3.arch`); `main` imports the first. */
  readonly files: Record<string, string>;
}

type R = () => number;
const int = (r: R, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
/** Sizes are mostly small, sometimes large: deep and wide inputs without making every case slow. */
const size = (r: R): number => pick(r, [1, 2, 3, 8, 40, 300, 3000]);

function expr(r: R, names: readonly string[]): string {
  const n = size(r);
  const atoms = () => pick(r, ['1', '2', '4096', '1e300', '0', ...names, '(3 - 1)', '-1', 'd_model']);
  switch (int(r, 0, 3)) {
    case 0: return Array.from({ length: n }, atoms).join(pick(r, [' + ', ' * ', ' - ', ' / ']));
    case 1: return `${'('.repeat(Math.min(n, 100))}${atoms()}${')'.repeat(Math.min(n, 100))}`;
    case 2: return `${'-'.repeat(n)}${atoms()}`;
    default: return atoms();
  }
}

function selector(r: R): string {
  const atom = () => pick(r, ['every 2', 'every 3 from 1', 'first 1', 'last 2', '[0, 2]', '0..3', '5']);
  const n = size(r);
  switch (int(r, 0, 2)) {
    case 0: return Array.from({ length: n }, atom).join(pick(r, [' or ', ' and ']));
    case 1: return `${'not '.repeat(Math.min(n, 200))}${atom()}`;
    default: return atom();
  }
}

function use(r: R, blocks: readonly string[]): string {
  const name = blocks.length && r() < 0.5 ? pick(r, blocks) : pick(r, ['rmsnorm', 'custom(params: 12)', 'gated_mlp(d_ff: 256)', 'attention(heads: 4)']);
  const repeat = r() < 0.2 ? ` x ${pick(r, ['2', '1_000_000', '1e300', '0'])}` : '';
  return `${name}${repeat}${r() < 0.3 ? ` at ${selector(r)}` : ''}`;
}

function body(r: R, blocks: readonly string[], depth: number): string[] {
  const lines: string[] = [];
  for (let i = int(r, 1, 4); i > 0; i--) {
    if (depth > 0 && r() < 0.4) {
      const n = pick(r, ['1', '2', '32', '1_000_000']);
      lines.push(`layers ${n} {`, ...body(r, blocks, depth - 1), '}');
    } else lines.push(use(r, blocks));
  }
  return lines;
}

function constants(r: R): { text: string[]; names: string[] } {
  const n = size(r);
  const back = r() < 0.3;
  const text = Array.from({ length: n }, (_, i) => `let c${i} = ${back ? `c${i + 1}` : i ? `c${i - 1}` : '1'} + 1`);
  if (back) text.push(`let c${n} = 1`);
  return { text, names: [`c${back ? 0 : n - 1}`] };
}

function blockDefs(r: R, names: readonly string[]): { text: string[]; blocks: string[] } {
  const n = Math.min(size(r), 60);
  const text = ['block B0(p = 1) {', '  custom(params: p)', '}'];
  for (let i = 1; i < n; i++) {
    const prev = `B${i - 1}`;
    const inner = pick(r, [[prev], [prev, prev], [`${prev}(p: p * 2)`, `${prev}(p: p * 2 + 1)`], [prev, use(r, [prev])]]);
    text.push(`block B${i}(p = ${expr(r, names)}) {`, ...inner.map((l) => `  ${l}`), '}');
  }
  return { text, blocks: [`B${n - 1}`] };
}

function models(r: R, blocks: readonly string[]): string[] {
  const depth = pick(r, [1, 2, 5, 80]);
  const text = ['model M0 {', '  vocab = 1000', '  d_model = 64', ...body(r, blocks, depth).map((l) => `  ${l}`), '}'];
  const chain = r() < 0.3 ? size(r) : 0;
  for (let i = 1; i <= chain; i++) text.push(`model M${i} extends M${i - 1} {`, '}');
  return text;
}

/** Program number `seed`: main file plus a chain of imported files. */
export function deepWide(seed: number): Program {
  const r = rng(seed);
  const files: Record<string, string> = {};
  const imports = r() < 0.3 ? Math.min(size(r), 50) : 0;
  for (let i = 0; i < imports; i++) {
    files[`/mem/lib${i}.arch`] = `${i + 1 < imports ? `import "lib${i + 1}.arch"\n` : ''}block L${i} { ${i + 1 < imports ? `L${i + 1}` : 'rmsnorm'} }\n`;
  }
  const c = constants(r);
  const d = blockDefs(r, c.names);
  const blocks = [...d.blocks, ...(imports ? ['L0'] : [])];
  const main = [imports ? 'import "lib0.arch"' : '', ...c.text, ...d.text, ...models(r, blocks)].join('\n');
  return { main, files };
}
