/** In-memory FileHost for tests: files keyed by absolute-looking paths, `std/` from the real stdlib. */
import * as path from 'path';
import type { FileHost } from '../../language-server/src/semantic/program';
import { analyze, type Analysis } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';

export function memoryHost(files: Record<string, string>): FileHost {
  const disk = nodeHost();
  return {
    read: (f) => files[f] ?? (f.startsWith('/mem/') ? undefined : disk.read(f)),
    resolve: (from, spec) => {
      if (spec.startsWith('std/')) return disk.resolve(from, spec);
      const p = path.posix.resolve(path.posix.dirname(from), spec.endsWith('.arch') ? spec : `${spec}.arch`);
      return files[p] !== undefined ? p : undefined;
    },
  };
}

/** Analyses one in-memory file (plus optional others it imports). */
export function analyzeText(text: string, others: Record<string, string> = {}): Analysis {
  return analyze('/mem/main.arch', memoryHost({ '/mem/main.arch': text, ...others }));
}

/** 1-based line:col of an offset, for readable assertions. */
export function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}
