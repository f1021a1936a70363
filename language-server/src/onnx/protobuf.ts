// Minimal protobuf wire-format reader (no dependencies), used by onnxInfo.ts.
// Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (3/4, deprecated groups, are rejected).

export class ProtobufError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'ProtobufError';
  }
}

/** One field occurrence: `value` for varints, `start`/`end` for length-delimited and fixed payloads. */
export interface Field {
  num: number;
  wire: 0 | 1 | 2 | 5;
  value: number;
  start: number;
  end: number;
  tagOffset: number;
}

/** Reads a varint at `pos` as a JS number (int64 semantics: 10-byte negatives become negative numbers). */
export function readVarint(buf: Uint8Array, pos: number, limit: number): { value: number; next: number } {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= limit) throw new ProtobufError('truncated varint', pos);
    const b = buf[pos + i];
    if (i < 4) lo |= (b & 0x7f) << (7 * i);
    else if (i === 4) {
      lo |= (b & 0x0f) << 28;
      hi |= (b & 0x70) >> 4;
    } else hi |= (b & 0x7f) << (7 * i - 32);
    if ((b & 0x80) === 0) return { value: combine(lo >>> 0, hi >>> 0), next: pos + i + 1 };
  }
  throw new ProtobufError('varint longer than 10 bytes', pos);
}

function combine(lo: number, hi: number): number {
  if (hi & 0x80000000) return -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1);
  return hi * 4294967296 + lo;
}

/** Iterates the fields of the message occupying buf[start, end). Throws ProtobufError on malformed input. */
export function* fields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const tagOffset = pos;
    const tag = readVarint(buf, pos, end);
    pos = tag.next;
    const num = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (num < 1 || num > 536870911) throw new ProtobufError(`invalid field number ${num}`, tagOffset);
    if (wire === 0) {
      const v = readVarint(buf, pos, end);
      yield { num, wire, value: v.value, start: pos, end: v.next, tagOffset };
      pos = v.next;
    } else if (wire === 2) {
      const len = readVarint(buf, pos, end);
      const s = len.next;
      if (len.value < 0 || s + len.value > end) {
        throw new ProtobufError(`field ${num}: length ${len.value} runs past the end of its message (${end - s} bytes left)`, pos);
      }
      yield { num, wire, value: len.value, start: s, end: s + len.value, tagOffset };
      pos = s + len.value;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (pos + n > end) throw new ProtobufError(`truncated fixed${n * 8} field ${num}`, pos);
      yield { num, wire, value: 0, start: pos, end: pos + n, tagOffset };
      pos += n;
    } else {
      throw new ProtobufError(`unsupported wire type ${wire} for field ${num}`, tagOffset);
    }
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });

export function str(buf: Uint8Array, f: Field): string {
  return decoder.decode(buf.subarray(f.start, f.end));
}

/** Requires the field to have the expected wire type (a cheap guard against random bytes). */
export function expectWire(f: Field, wire: number, what: string): void {
  if (f.wire !== wire) throw new ProtobufError(`${what} (field ${f.num}) has wire type ${f.wire}, expected ${wire}`, f.tagOffset);
}

/** Appends a repeated varint field, packed (wire 2) or not (wire 0), to `out`. */
export function pushVarints(buf: Uint8Array, f: Field, out: number[], what: string): void {
  if (f.wire === 0) {
    out.push(f.value);
    return;
  }
  expectWire(f, 2, what);
  let pos = f.start;
  while (pos < f.end) {
    const v = readVarint(buf, pos, f.end);
    out.push(v.value);
    pos = v.next;
  }
}
