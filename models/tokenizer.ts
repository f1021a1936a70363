/**
 * Byte-level tokenizer of models/engram-moe-tiny.onnx: token id = one UTF-8 byte (vocab 256, no special
 * tokens). Used inside the extension to turn text into `input_ids` and to label heatmap cells.
 *
 * `canonicalId` is the Engram "tokenizer compression" map P (paper §2.1) that the model applies inside
 * the graph before hashing N-grams: ASCII A–Z → a–z; tab, LF, CR → space. Exposed for a TypeScript
 * re-implementation of the forward pass; callers never need to apply it to `input_ids`.
 */

export const VOCAB_SIZE = 256;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 bytes of `text` (lone surrogates become U+FFFD, as TextEncoder does). */
export function encode(text: string): number[] {
  return Array.from(encoder.encode(text));
}

/** Text of a byte sequence; invalid or truncated UTF-8 becomes U+FFFD. Ids outside 0..255 are rejected. */
export function decode(ids: ArrayLike<number | bigint>): string {
  const bytes = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = Number(ids[i]);
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`token id ${String(ids[i])} at ${i} is not a byte`);
    bytes[i] = v;
  }
  return decoder.decode(bytes);
}

/** One token (byte) with what to show for it. */
export interface TokenPiece {
  /** The byte value = token id. */
  id: number;
  /**
   * Display string. The first byte of a character shows the whole character (whitespace and control bytes
   * as visible symbols: space ␣, newline ↵, tab →, others as \xNN); the other bytes of a multi-byte
   * character show '' and have `continuation: true`, so a viewer can merge them into the first byte's cell.
   */
  display: string;
  /** The exact text of the character this byte belongs to ('' for continuation bytes). */
  text: string;
  /** True for the 2nd..4th bytes of a multi-byte UTF-8 character. */
  continuation: boolean;
  /** UTF-16 offsets [start, end) in the input string of the character this byte belongs to. */
  start: number;
  end: number;
}

const VISIBLE: Record<number, string> = { 32: '␣', 10: '↵', 9: '→', 13: '␍' };

function visible(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  if (VISIBLE[c] !== undefined) return VISIBLE[c];
  if (c < 32 || c === 127) return `\\x${c.toString(16).padStart(2, '0')}`;
  return ch;
}

/** One entry per token of `encode(text)`, in the same order (tokenPieces(t).length === encode(t).length). */
export function tokenPieces(text: string): TokenPiece[] {
  const out: TokenPiece[] = [];
  let offset = 0;
  for (const ch of text) {
    const bytes = encoder.encode(ch);
    const start = offset;
    const end = offset + ch.length;
    bytes.forEach((b, i) => {
      out.push({ id: b, display: i === 0 ? visible(ch) : '', text: i === 0 ? ch : '', continuation: i > 0, start, end });
    });
    offset = end;
  }
  return out;
}

/** Engram tokenizer compression P applied to one byte id (see the file comment). */
export function canonicalId(id: number): number {
  if (id >= 65 && id <= 90) return id + 32;
  if (id === 9 || id === 10 || id === 13) return 32;
  return id;
}
