/**
 * Extreme-argument uses of every registered block kind: for each kind, its first
 * test case (test/helpers/kindCases.ts) with one parameter replaced by an extreme value (0, 1, −1, ½, 2^31,
 * 2^53, 1e12, 1e308, huge lists) under each of the kind's enum choices — the wide generator; and seeded
 * mismatched combinations of 2–5 parameters at once (a huge count with a tiny width, …) — the deep one.
 */
import { KINDS, type KindName } from '../../language-server/src/kinds';
import type { ParamSpec } from '../../language-server/src/kinds/types';
import { CASES, model } from '../helpers/kindCases';
import { rng } from './generate';

export const EXTREME_NUMBERS = ['0', '1', '-1', '0.5', '2147483648', '9007199254740992', '1e12', '1e308'];
/** A list of 10^5 ones (cms periods) and other hostile lists. */
export const EXTREME_LISTS = ['[]', '[0]', '[9007199254740992]', '[1e308, 1e308]', `[${Array(100_000).fill('1').join(', ')}]`];

export interface Hostile { readonly kind: KindName; readonly what: string; readonly text: string }

/** Splits `a: 1, b: [1, 2]` at top-level commas into `[name, value]` pairs. */
function splitArgs(s: string): [string, string][] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map((x) => { const i = x.indexOf(':'); return [x.slice(0, i).trim(), x.slice(i + 1).trim()]; });
}

/** The first case of `kind` with its use's arguments changed by `set` (name → value text; undefined removes). */
export function withArgs(kind: KindName, set: Record<string, string | undefined>): string {
  const text = model(CASES[kind][0]);
  const re = new RegExp(`(^|\\n)(\\s*)${kind}(\\(([^\\n]*)\\))?(?=[ \\n])`);
  const m = re.exec(text)!;
  const args = new Map(m[4] ? splitArgs(m[4]) : []);
  for (const [k, v] of Object.entries(set)) if (v === undefined) args.delete(k); else args.set(k, v);
  const list = [...args].map(([k, v]) => `${k}: ${v}`).join(', ');
  return text.slice(0, m.index) + `${m[1]}${m[2]}${kind}${list ? `(${list})` : ''}` + text.slice(m.index + m[0].length);
}

function valuesFor(p: ParamSpec): string[] {
  if (p.type === 'list') return [...EXTREME_LISTS, ...EXTREME_NUMBERS];
  if (p.type === 'int' || p.type === 'number') return EXTREME_NUMBERS;
  return [];
}

/** Every kind × every enum choice (and the default) × every numeric or list parameter × every extreme value. */
export function* wideUses(): Generator<Hostile> {
  for (const kind of Object.keys(KINDS) as KindName[]) {
    const params = KINDS[kind].params;
    const choices: Record<string, string | undefined>[] = [{}];
    for (const e of params.filter((p) => p.type === 'enum')) for (const v of e.values ?? []) choices.push({ [e.name]: v });
    for (const choice of choices) {
      for (const p of params) {
        for (const v of valuesFor(p)) {
          const set = { ...choice, [p.name]: v };
          yield { kind, what: `${kind}(${Object.entries(set).map(([k, x]) => `${k}: ${(x ?? '').slice(0, 20)}`).join(', ')})`, text: withArgs(kind, set) };
        }
      }
    }
  }
}

/**
 * Mismatched combinations (the deep generator): `count` seeded uses, each setting 2–5 parameters of one kind at once to
 * extreme or ordinary values (an enum choice, a huge count with a tiny width, …), inside `layers` of 1 to 10^6.
 */
export function* deepUses(seed: number, count: number): Generator<Hostile> {
  const r = rng(seed);
  const kinds = Object.keys(KINDS) as KindName[];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  for (let i = 0; i < count; i++) {
    const kind = pick(kinds);
    const params = KINDS[kind].params.filter((p) => p.type !== 'string');
    const set: Record<string, string> = {};
    for (let k = 2 + Math.floor(r() * 4); k > 0 && params.length; k--) {
      const p = pick(params);
      const values = p.type === 'enum' ? [...(p.values ?? [])] : p.type === 'bool' ? ['true', 'false'] : [...valuesFor(p).filter((v) => v.length < 100), '2', '3', '7', '64'];
      if (values.length) set[p.name] = pick(values);
    }
    const layers = pick(['2', '1', '1_000_000', '4096']);
    const text = withArgs(kind, set).replace('layers 2 {', `layers ${layers} {`);
    yield { kind, what: `${kind}(${Object.entries(set).map(([k, v]) => `${k}: ${v}`).join(', ')}) ×${layers}`, text };
  }
}
