/**
 * Building `.arch` text: number formatting, block calls, `at` selectors derived from per-layer
 * rules, and the final layout (header, notes, settings, body).
 */
import { Cfg, ImportError } from './config';

/** Argument values: numbers, booleans, or raw source text (identifiers such as `silu`, expressions). */
export type ArgValue = number | boolean | string | undefined;

/** `14336` → `14_336`; small numbers and non-integers as written. */
export function fmtNum(v: number): string {
  if (!Number.isInteger(v) || Math.abs(v) < 10_000) return String(v);
  return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

/** Context lengths that are multiples of 1024 read better as `8Ki`, `128Ki`. */
export function fmtContext(v: number): string {
  return v % 1024 === 0 ? `${v / 1024}Ki` : fmtNum(v);
}

/** `kind(a: 1, b: true)`; undefined arguments are left out, and so are empty parentheses. */
export function call(kind: string, args: Record<string, ArgValue> = {}): string {
  const parts = Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? fmtNum(v) : String(v)}`);
  return parts.length ? `${kind}(${parts.join(', ')})` : kind;
}

/** `true` when set, else undefined (so that the kind's `false` default stays implicit). */
export function flag(b: boolean | undefined): true | undefined {
  return b ? true : undefined;
}

/** One line of a layer body: code plus an optional trailing comment. */
export interface Line {
  readonly code: string;
  readonly comment?: string;
}

/**
 * Text from a config (architecture names, model types, field values) made safe for a `#` comment: line breaks and
 * other control characters become spaces, so a config string can never start a line of declarations.
 */
export function commentText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ');
}

function show(code: string, sel: string | undefined, comment?: string): string {
  return `${code}${sel ? ` at ${sel}` : ''}${comment ? `  # ${commentText(comment)}` : ''}`;
}

/**
 * Evaluates `f` for each of `n` layers and groups equal lines: every distinct line is emitted once
 * with the `at` selector of the layers that use it (none when all do). Undefined = absent there.
 */
export function perLayer(n: number, f: (i: number) => Line | undefined): string[] {
  const groups = new Map<string, { line: Line; idx: number[] }>();
  for (let i = 0; i < n; i++) {
    const line = f(i);
    if (!line) continue;
    const key = `${line.code}\u0000${line.comment ?? ''}`;
    const g = groups.get(key);
    if (g) g.idx.push(i); else groups.set(key, { line, idx: [i] });
  }
  return [...groups.values()].map(({ line, idx }) => show(line.code, selector(idx, n), line.comment));
}

/** The same line in every layer. */
export function every(code: string, comment?: string): string {
  return show(code, undefined, comment);
}

/** The shortest readable selector for a sorted index set of a group of `n` layers (undefined = all). */
export function selector(idx: readonly number[], n: number): string | undefined {
  if (idx.length === n) return undefined;
  const comp: number[] = [];
  for (let i = 0; i < n; i++) if (!idx.includes(i)) comp.push(i);
  // Prefer the form that reads like the config's rule: `first k` / `every p from f`, or their negation.
  for (const allowLast of [false, true]) {
    const direct = simpleSelector(idx, n, allowLast);
    if (direct) return direct;
    const inverse = simpleSelector(comp, n, allowLast);
    if (inverse) return `not ${inverse}`;
  }
  return listSelector(idx);
}

function simpleSelector(idx: readonly number[], n: number, allowLast: boolean): string | undefined {
  if (idx.length === 0) return undefined;
  const contiguous = idx.every((v, i) => v === idx[0] + i);
  if (contiguous && idx[0] === 0) return `first ${idx.length}`;
  if (contiguous && idx[idx.length - 1] === n - 1 && allowLast) return `last ${idx.length}`;
  if (idx.length < 2) return undefined;
  const from = idx[0];
  const step = idx[1] - idx[0];
  if (step < 2) return undefined; // contiguous runs read better as first / last
  const expected: number[] = [];
  for (let i = from; i < n; i += step) expected.push(i);
  if (expected.length !== idx.length || !expected.every((v, i) => v === idx[i])) return undefined;
  return from === 0 ? `every ${step}` : `every ${step} from ${from}`;
}

function listSelector(idx: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j] + 1) j++;
    parts.push(j > i + 1 ? `${idx[i]}..${idx[j]}` : j === i + 1 ? `${idx[i]}, ${idx[j]}` : `${idx[i]}`);
    i = j + 1;
  }
  return `[${parts.join(', ')}]`;
}

/** `layers n { … }` with its body indented. */
export function layers(n: number, body: readonly string[]): string[] {
  return [`layers ${n} {`, ...body.map((l) => `  ${l}`), '}'];
}

/** A model ready to print. */
export interface Draft {
  readonly name: string;
  /** Header comment lines (without `# `). */
  readonly header: readonly string[];
  readonly settings: readonly (readonly [string, string])[];
  readonly body: readonly string[];
  /** Further declarations printed after the model (e.g. a DeepSeek MTP model). */
  readonly after?: readonly string[];
}

export function render(d: Draft, notes: readonly string[]): string {
  const out = [
    ...d.header.map((h) => `# ${commentText(h)}`),
    ...notes.map((n) => `# note: ${commentText(n)}`),
    `model ${d.name} {`,
    ...d.settings.map(([k, v]) => `  ${k} = ${v}`),
    '',
    ...d.body.map((l) => `  ${l}`),
    '}',
  ];
  if (d.after?.length) out.push('', ...d.after);
  return `${out.join('\n')}\n`;
}

/** The header: source, model type / class, and the key fields present in the config. */
export function header(c: Cfg, source: string, keys: readonly string[]): string[] {
  const arch = Array.isArray(c.raw.architectures) ? ` (${c.raw.architectures.join(', ')})` : '';
  const fields = keys.filter((k) => c.has(k)).map((k) => `${k} ${JSON.stringify(c.raw[k])}`);
  const lines = [`Imported by \`archlens import\` from the Hugging Face config of ${source}`, `model_type: ${c.family}${arch}`];
  for (let i = 0; i < fields.length; i += 4) lines.push(fields.slice(i, i + 4).join(', '));
  return lines;
}

const TORCH_DTYPES: Readonly<Record<string, string>> = {
  float32: 'fp32', float: 'fp32', bfloat16: 'bf16', float16: 'fp16', half: 'fp16',
};

/** `dtype` from `torch_dtype` (or the newer `dtype` key); notes quantized checkpoints. */
export function dtypeSetting(c: Cfg, top: Cfg = c): string {
  const raw = top.strOpt('torch_dtype') ?? top.strOpt('dtype') ?? c.strOpt('torch_dtype') ?? c.strOpt('dtype');
  const q = top.raw.quantization_config;
  if (q && typeof q === 'object' && 'quant_method' in q) {
    c.note(`checkpoint is quantized (quantization_config.quant_method = ${JSON.stringify((q as { quant_method: unknown }).quant_method)}); dtype below is torch_dtype — override dtype to cost the quantized weights`);
  }
  if (raw === undefined) {
    c.note(`no 'torch_dtype' in the config; using the archlens default dtype = bf16`);
    return 'bf16';
  }
  const dt = TORCH_DTYPES[raw.replace(/^torch\./, '')];
  if (!dt) throw new ImportError(`config field 'torch_dtype' has unsupported value ${JSON.stringify(raw)}`);
  return dt;
}

/** `tied` from `tie_word_embeddings`, else the config class default (with a note). */
export function tiedSetting(c: Cfg, classDefault: boolean, field = 'tie_word_embeddings'): boolean {
  return c.boolOr(field, classDefault);
}

/** Maps `hidden_act` values onto the activations the feed-forward kinds know. */
export function activation(c: Cfg, field: string, fallback?: string): string {
  const raw = c.strOpt(field) ?? (fallback === undefined ? c.missing(field, 'feed-forward') : fallback);
  if (!c.has(field)) c.note(`'${field}' is not in the config; using the ${c.hfClass} default ${field} = ${raw}`);
  if (raw === 'silu' || raw === 'swish') return 'silu';
  if (raw.startsWith('gelu')) return 'gelu';
  if (raw === 'relu') return 'relu';
  if (raw === 'relu2' || raw === 'relu_squared') return 'relu2';
  throw new ImportError(`config field '${field}' = ${JSON.stringify(raw)} is not a supported activation (silu, gelu*, relu, relu2)`);
}
