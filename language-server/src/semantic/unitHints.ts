/**
 * `context = 32K` means 32,000 (K, M, B, T are decimal), but a context length is almost always a power of two.
 * The rule stays; where the binary reading is likely (the digits are a power of two) an info diagnostic says so,
 * with the spelling to use (`32Ki` = 32,768); the server offers it as a quick fix, the CLI prints it as a note.
 */
import type { ArchFile, BodyItem } from '../syntax/ast';
import type { Diagnostic } from './diagnostics';

export const SI_CONTEXT = 'si-context';
const BINARY: Readonly<Record<string, { suffix: string; mult: number }>> = {
  K: { suffix: 'Ki', mult: 2 ** 10 }, M: { suffix: 'Mi', mult: 2 ** 20 }, B: { suffix: 'Gi', mult: 2 ** 30 }, T: { suffix: 'Ti', mult: 2 ** 40 },
};

/** The binary spelling of an SI literal such as `32K` when its digits are a power of two (`32Ki`, 32,768). */
export function binaryReading(raw: string): { text: string; value: number } | undefined {
  const m = /^(\d[\d_]*)([KMBT])$/.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1].replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1 || (n & (n - 1)) !== 0) return undefined;
  const b = BINARY[m[2]];
  return { text: `${m[1]}${b.suffix}`, value: n * b.mult };
}

function contextSettings(items: readonly BodyItem[], out: BodyItem[]): void {
  for (const item of items) {
    if (item.kind === 'Setting' && item.name.text === 'context' && item.value.kind === 'Number') out.push(item);
    else if (item.kind === 'Layers') contextSettings(item.body, out);
  }
}

/** Info diagnostics for `context = <n><K|M|B|T>` settings of `file`'s models whose binary reading is likely. */
export function unitHints(ast: ArchFile, file: string): Diagnostic[] {
  const settings: BodyItem[] = [];
  for (const item of ast.items) if (item.kind === 'Model') contextSettings(item.body, settings);
  const out: Diagnostic[] = [];
  for (const s of settings) {
    if (s.kind !== 'Setting' || s.value.kind !== 'Number') continue;
    const b = binaryReading(s.value.raw);
    if (!b) continue;
    const si = s.value.value.toLocaleString('en-US');
    out.push({ file, start: s.value.start, end: s.value.end, severity: 'info', code: SI_CONTEXT,
      message: `context = ${s.value.raw} is ${si} tokens (K, M, B, T are powers of 1,000); a power of two is likely: ${b.text} = ${b.value.toLocaleString('en-US')}?` });
  }
  return out;
}
