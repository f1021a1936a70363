/**
 * Compiled probe files live in a private folder of the extension's own storage (never the shared OS temp folder):
 * the folder is created owner-only and must not be a symbolic link; each file is named by its content hash,
 * created exclusively ('wx', so a planted link or file is never followed or overwritten blindly) and its content
 * is verified before it is reused or run. Old probes are deleted on startup and when the gate panel closes.
 * No 'vscode' import (the worker and tests use it).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const PROBE_FILE = /^[A-Za-z0-9_]{1,64}-[0-9a-f]{64}\.onnx$/;

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Creates `dir` (owner-only) if needed; refuses a folder that is a symbolic link or not a directory. */
export function ensurePrivateDir(dir: string): void {
  if (!path.isAbsolute(dir)) throw new Error(`the probe folder must be an absolute path: ${dir}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`the probe folder ${dir} is not a plain directory`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700); // made earlier with looser rights
}

/** True when `file` is a regular file (not a link) whose content hashes to `hash`. */
export function fileHasHash(file: string, hash: string): boolean {
  try {
    if (!fs.lstatSync(file).isFile()) return false;
    const buf = fs.readFileSync(file);
    return sha256(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) === hash;
  } catch {
    return false;
  }
}

/** Writes `bytes` as `<name>-<sha256>.onnx` in the private `dir` (or reuses a verified identical file); returns path and hash. */
export function writeProbeFile(dir: string, name: string, bytes: Uint8Array): { path: string; sha256: string } {
  ensurePrivateDir(dir);
  const hash = sha256(bytes);
  const safe = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64) || 'model';
  const file = path.join(dir, `${safe}-${hash}.onnx`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, bytes, { flag: 'wx', mode: 0o600 });
      return { path: file, sha256: hash };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (fileHasHash(file, hash)) return { path: file, sha256: hash };
      fs.rmSync(file, { force: true }); // not our bytes (or a link): remove it, then create ours exclusively
    }
  }
  throw new Error(`could not create the probe file ${file} exclusively`);
}

/** Deletes the probe files (and nothing else) in `dir`; a missing folder is fine. */
export function deleteProbeFiles(dir: string): number {
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return 0; }
  let deleted = 0;
  for (const n of names.filter((x) => PROBE_FILE.test(x))) {
    try { fs.rmSync(path.join(dir, n), { force: true }); deleted++; } catch { /* in use elsewhere: next time */ }
  }
  return deleted;
}
