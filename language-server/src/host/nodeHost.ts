/**
 * FileHost over the local disk. `std/…` imports resolve to the standard library shipped with
 * Archlens; other imports resolve relative to the importing file. With `root` set, imports that
 * would leave that folder (including through symbolic links) are refused.
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

export function nodeHost(opts: NodeHostOptions = {}): FileHost {
  const stdlib = opts.stdlib ?? findStdlib();
  return {
    read(file) {
      const open = opts.overlay?.get(file);
      if (open !== undefined) return open;
      try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
    },
    resolve(fromFile, spec) {
      const target = spec.startsWith('std/')
        ? stdlib && path.join(stdlib, spec.slice(4))
        : path.resolve(path.dirname(fromFile), spec);
      if (!target) return undefined;
      const withExt = target.endsWith('.arch') ? target : `${target}.arch`;
      if (!opts.overlay?.has(withExt) && !fs.existsSync(withExt)) return undefined;
      if (!inside(withExt, [stdlib, opts.root])) return opts.root ? undefined : withExt;
      return withExt;
    },
  };
}

/** True when `file` (after resolving symbolic links) lies under one of `roots`. */
function inside(file: string, roots: readonly (string | undefined)[]): boolean {
  let real: string;
  try { real = fs.realpathSync(file); } catch { real = file; }
  return roots.some((r) => {
    if (!r) return false;
    let rr: string;
    try { rr = fs.realpathSync(r); } catch { rr = r; }
    const rel = path.relative(rr, real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}
