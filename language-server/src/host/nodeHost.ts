/**
 * FileHost over the local disk. `std/…` imports resolve to the standard library shipped with Archlens (and must
 * stay inside it); other imports resolve relative to the importing file. With `root` set, imports that would
 * leave that folder (including through symbolic links) are refused with a diagnostic saying so. Files are
 * identified by their real path (symbolic links resolved), so a link back to a file already loaded is a cycle,
 * not a new file; link loops (a → b → a) fail to resolve at once (ELOOP) instead of being followed.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { FileHost } from '../semantic/program';

export function findStdlib(): string | undefined {
  const candidates = [
    path.join(__dirname, 'stdlib'),
    path.join(__dirname, '..', 'language-server', 'stdlib'),
    path.join(__dirname, '..', '..', 'stdlib'),
    path.join(__dirname, '..', 'stdlib'),
  ];
  return candidates.find((c) => fs.existsSync(path.join(c, 'README.md')));
}

export interface NodeHostOptions {
  readonly stdlib?: string;
  /** Imports must stay inside this folder (the workspace); the standard library is always allowed. */
  readonly root?: string;
  /** Texts that override the disk (open editor buffers), keyed by absolute path. */
  readonly overlay?: ReadonlyMap<string, string>;
}

type Resolution = { file: string } | { refused: string } | undefined;

/** Largest file read as source (an import or the file given to the CLI). */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

export function nodeHost(opts: NodeHostOptions = {}): FileHost {
  const stdlib = opts.stdlib ?? findStdlib();
  const refused = new Map<string, string>();
  return {
    read(file) {
      const open = opts.overlay?.get(file);
      if (open !== undefined) return open;
      const r = readSource(file);
      if (typeof r === 'string') return r;
      if (r) refused.set(file, r.refused); else refused.delete(file);
      return undefined;
    },
    unreadable: (file) => refused.get(file),
    resolve(fromFile, spec) {
      const r = resolveSpec(fromFile, spec, stdlib, opts);
      return r && 'file' in r ? r.file : undefined;
    },
    explain(fromFile, spec) {
      const r = resolveSpec(fromFile, spec, stdlib, opts);
      return r && 'refused' in r ? r.refused : undefined;
    },
  };
}

/**
 * Text of a regular file of at most MAX_SOURCE_BYTES; `{ refused }` says why another kind or size of file is not read;
 * undefined when it cannot be opened. The file is opened without blocking and checked through its descriptor, so a
 * FIFO or device never blocks the reader and cannot be swapped in between the check and the read.
 */
export function readSource(file: string): string | { refused: string } | undefined {
  let fd: number;
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0)); } catch { return undefined; }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { refused: `'${path.basename(file)}' is not a regular file (${kindOf(st)}); only .arch text files are read` };
    if (st.size > MAX_SOURCE_BYTES) return { refused: `'${path.basename(file)}' is ${formatMiB(st.size)}; source files are limited to ${formatMiB(MAX_SOURCE_BYTES)}` };
    return decodeSource(new Uint8Array(fs.readFileSync(fd)));
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Source bytes as text: UTF-8 (a BOM dropped), or UTF-16 when the file starts with a UTF-16 byte-order mark (editors
 * on Windows save such files) — never UTF-16 bytes read as UTF-8, which turns every character into two.
 */
export function decodeSource(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const utf8 = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  return new TextDecoder('utf-8').decode(utf8);
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a plain file';
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function resolveSpec(fromFile: string, spec: string, stdlib: string | undefined, opts: NodeHostOptions): Resolution {
  const isStd = spec.startsWith('std/');
  if (isStd && !stdlib) return undefined;
  const target = isStd ? path.join(stdlib!, spec.slice(4)) : path.resolve(path.dirname(fromFile), spec);
  const file = target.endsWith('.arch') ? target : `${target}.arch`;
  if (opts.overlay?.has(file)) return inside(file, [stdlib, opts.root]) || !opts.root ? { file } : { refused: outside(spec, opts.root, false) };
  const real = realpath(file);
  if (real === 'loop') return { refused: `cannot import '${spec}': a loop of symbolic links` };
  if (real === undefined) return undefined;
  if (isStd) return inside(real, [stdlib]) ? { file: real } : { refused: `'${spec}' is not a file of the standard library ('std/…' cannot leave it)` };
  if (!opts.root || inside(real, [stdlib, opts.root])) return { file: real };
  return { refused: outside(spec, opts.root, !under(file, opts.root)) };
}

function outside(spec: string, root: string, direct: boolean): string {
  const how = direct ? '' : ' through a symbolic link';
  return `import refused: '${spec}' resolves${how} outside the workspace folder ${root}; imports may only read .arch files inside the workspace or the standard library ('std/…')`;
}

/** Real path of an existing file; 'loop' for a symbolic-link loop; undefined when it does not exist. */
function realpath(file: string): string | 'loop' | undefined {
  try { return fs.realpathSync(file); } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'loop' : undefined;
  }
}

/** True when `file` (after resolving symbolic links) lies under one of `roots` (also resolved). */
function inside(file: string, roots: readonly (string | undefined)[]): boolean {
  const real = (p: string): string => { const r = realpath(p); return r === undefined || r === 'loop' ? p : r; };
  return roots.some((r) => r !== undefined && under(real(file), real(r)));
}

/** Lexical containment: `file` is `root` or below it, as spelled. */
function under(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
