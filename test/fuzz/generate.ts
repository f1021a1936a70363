/**
 * Seeded fuzz inputs for the parser and analysis: mutations of the shipped examples
 * (truncation, random bytes, splices, deep nesting, huge numbers, long lines, unicode)
 * and random token soup from the language's own vocabulary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mulberry32 } from '../../language-server/src/compile/graph';

/** Seeded PRNG (the compiler's mulberry32, so fuzz runs are reproducible). */
export const rng = mulberry32;

const ROOT = path.join(__dirname, '..', '..');

export function corpus(): string[] {
  const dirs = [path.join(ROOT, 'examples'), path.join(ROOT, 'language-server', 'stdlib')];
  const out: string[] = [];
  for (const d of dirs) {
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) if (f.endsWith('.arch')) out.push(fs.readFileSync(path.join(d, f), 'utf8'));
  }
  return out;
}

const WORDS = ['model', 'block', 'layers', 'import', 'let', 'extends', 'at', 'every', 'from', 'first', 'last', 'not', 'and', 'or', 'x',
  'attention', 'mla', 'moe', 'mamba', 'mamba2', 'engram', 'mhc', 'titans', 'custom', 'rmsnorm', 'embedding', 'lm_head', 'gated_mlp',
  'heads', 'kv_heads', 'd_model', 'vocab', 'd_ff', 'experts', 'top_k', 'true', 'false', 'silu', 'bf16'];
const PUNCT = ['(', ')', '{', '}', '[', ']', ',', ':', '=', '+', '-', '*', '/', '..', '\n', ' ', '"', '#', '//'];
const NUMBERS = ['0', '1', '4096', '128_256', '8K', '1Gi', '1e308', '9'.repeat(400), '-1', '0.5', '1__2', '3Q', '2^53'];
const UNICODE = ['é', '€', '𝔸', '\u0000', '\u200b', '\ufeff', '🙂', '\r', '\t'];

type Mutation = (s: string, r: () => number) => string;
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)];
const at = (s: string, r: () => number): number => Math.floor(r() * (s.length + 1));

const MUTATIONS: Mutation[] = [
  (s, r) => s.slice(0, at(s, r)),
  (s, r) => { const i = at(s, r); return s.slice(0, i) + String.fromCharCode(Math.floor(r() * 0x3000)) + s.slice(i); },
  (s, r) => { const i = at(s, r), j = at(s, r); return s.slice(0, Math.min(i, j)) + s.slice(Math.max(i, j)); },
  (s, r) => { const i = at(s, r); return s.slice(0, i) + pick(PUNCT, r) + s.slice(i); },
  (s, r) => { const i = at(s, r); return s.slice(0, i) + pick(NUMBERS, r) + s.slice(i); },
  (s, r) => { const i = at(s, r); return s.slice(0, i) + pick(UNICODE, r) + s.slice(i); },
  (s, r) => { const i = at(s, r), n = 1 + Math.floor(r() * 3000); return s.slice(0, i) + '('.repeat(n) + s.slice(i); },
  (s, r) => { const i = at(s, r), n = 1 + Math.floor(r() * 500); return s.slice(0, i) + 'layers 2 {\n'.repeat(n) + s.slice(i); },
  (s, r) => { const i = at(s, r); return s.slice(0, i) + 'x'.repeat(Math.floor(r() * 200_000)) + s.slice(i); },
  (s, r) => { const i = at(s, r), j = at(s, r); return s.slice(0, i) + s.slice(j, j + Math.floor(r() * 400)) + s.slice(i); },
];

function soup(r: () => number): string {
  const n = Math.floor(r() * 200);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = r();
    parts.push(k < 0.5 ? pick(WORDS, r) : k < 0.8 ? pick(PUNCT, r) : k < 0.95 ? pick(NUMBERS, r) : pick(UNICODE, r));
    parts.push(r() < 0.7 ? ' ' : '');
  }
  return parts.join('');
}

/** The i-th fuzz input of a run seeded with `seed`; deterministic. */
export function* fuzzInputs(count: number, seed = 1): Generator<string> {
  const r = rng(seed);
  const base = corpus();
  for (let i = 0; i < count; i++) {
    if (!base.length || r() < 0.25) { yield soup(r); continue; }
    let s = pick(base, r);
    const rounds = 1 + Math.floor(r() * 3);
    for (let k = 0; k < rounds; k++) s = pick(MUTATIONS, r)(s, r);
    yield s;
  }
}
