/**
 * A small zip reader (enough for a VSIX: stored or deflated entries, no zip64, no encryption) so the smoke test
 * needs no `unzip` binary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { inflateRawSync } from 'zlib';

export interface ZipEntry { name: string; method: number; compressedSize: number; size: number; localOffset: number }

const EOCD = 0x06054b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw new Error('not a zip file: no end of central directory record');
}

export function zipEntries(buf: Buffer): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== CENTRAL) throw new Error(`bad central directory entry #${i}`);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    out.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export function readEntry(buf: Buffer, e: ZipEntry): Uint8Array {
  const p = e.localOffset;
  if (buf.readUInt32LE(p) !== LOCAL) throw new Error(`bad local header for ${e.name}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const raw = new Uint8Array(buf.buffer, buf.byteOffset + start, e.compressedSize);
  const inflated = e.method === 8 ? inflateRawSync(raw) : undefined;
  const data = e.method === 0 ? raw.slice() : inflated && new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
  if (!data) throw new Error(`${e.name}: unsupported compression method ${e.method}`);
  if (data.length !== e.size) throw new Error(`${e.name}: expected ${e.size} bytes, got ${data.length}`);
  return data;
}

/** Extracts every entry of `zipFile` under `dir`; refuses entries that would land outside it. Returns the names. */
export function unzip(zipFile: string, dir: string): string[] {
  const buf = fs.readFileSync(zipFile);
  const root = path.resolve(dir);
  const names: string[] = [];
  for (const e of zipEntries(buf)) {
    const dest = path.resolve(root, e.name);
    if (dest !== root && !dest.startsWith(root + path.sep)) throw new Error(`zip entry escapes the target folder: ${e.name}`);
    if (e.name.endsWith('/')) { fs.mkdirSync(dest, { recursive: true }); continue; }
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, readEntry(buf, e));
    names.push(e.name);
  }
  return names;
}
