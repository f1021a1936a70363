/**
 * Program snapshots: exactly the files the language server loaded for a document (through its fenced host, with
 * open buffers overlaid), and how each import of each file resolved. snapshotHost reads and resolves only within
 * a snapshot, never the disk: a refused import stays refused with the server's own message, a file the server did
 * not load cannot be read. The inference worker analyses with it, so probe and measure paths honour the fence
 * and unsaved buffers without the client parsing anything.
 */
import type { FileHost, Program } from '../semantic/program';

/** How one import of a file resolved in the server: to `file`, refused with a reason, or not found (neither). */
export interface SnapshotImport {
  readonly spec: string;
  readonly file?: string;
  readonly refused?: string;
}

export interface SnapshotFile {
  /** The file's identity in the program (absolute, symbolic links resolved). */
  readonly path: string;
  readonly text: string;
  readonly imports: readonly SnapshotImport[];
}

export interface ProgramSnapshot {
  /** The document's file (entry of the program). */
  readonly file: string;
  readonly files: readonly SnapshotFile[];
}

/** Import resolutions seen while loading a program: importing file → spec → outcome. */
export type ResolutionLog = Map<string, Map<string, SnapshotImport>>;

/** Wraps `inner` so every resolve/explain answer is written to `log` (a fresh log per analysis). */
export function recordingHost(inner: FileHost, log: ResolutionLog): FileHost {
  const record = (from: string, spec: string, outcome: SnapshotImport): void => {
    let specs = log.get(from);
    if (!specs) log.set(from, (specs = new Map()));
    specs.set(spec, { ...specs.get(spec), ...outcome });
  };
  return {
    read: (file) => inner.read(file),
    unreadable: (file) => inner.unreadable?.(file),
    resolve(from, spec) {
      const file = inner.resolve(from, spec);
      record(from, spec, file === undefined ? { spec } : { spec, file });
      return file;
    },
    explain(from, spec) {
      const refused = inner.explain?.(from, spec);
      if (refused !== undefined) record(from, spec, { spec, refused });
      return refused;
    },
  };
}

/** The snapshot of a loaded program: its files (texts as analysed) with the import outcomes `log` recorded. */
export function programSnapshot(program: Program, log: ResolutionLog): ProgramSnapshot {
  const files = [...program.files.values()].map((f) => ({
    path: f.file,
    text: f.text,
    imports: [...(log.get(f.file)?.values() ?? [])],
  }));
  return { file: program.entry, files };
}

/** A FileHost that reads and resolves only within `snapshot` (no disk access). */
export function snapshotHost(snapshot: ProgramSnapshot): FileHost {
  const texts = new Map<string, string>();
  const imports = new Map<string, Map<string, SnapshotImport>>();
  for (const f of snapshot.files) {
    texts.set(f.path, f.text);
    imports.set(f.path, new Map(f.imports.map((i) => [i.spec, i])));
  }
  return {
    read: (file) => texts.get(file),
    resolve: (from, spec) => imports.get(from)?.get(spec)?.file,
    explain(from, spec) {
      const known = imports.get(from)?.get(spec);
      if (known?.refused) return known.refused;
      return known ? undefined : `import refused: '${spec}' is not part of the program the language server loaded`;
    },
  };
}

/** True when `x` has the shape of a ProgramSnapshot (it crosses a process boundary). */
export function isProgramSnapshot(x: unknown): x is ProgramSnapshot {
  const s = x as { file?: unknown; files?: unknown } | null;
  return typeof s?.file === 'string' && Array.isArray(s.files) && s.files.every(isSnapshotFile);
}

function isSnapshotFile(x: unknown): boolean {
  const f = x as { path?: unknown; text?: unknown; imports?: unknown } | null;
  return typeof f?.path === 'string' && typeof f.text === 'string' && Array.isArray(f.imports) && f.imports.every((i: unknown) => {
    const r = i as { spec?: unknown; file?: unknown; refused?: unknown } | null;
    return typeof r?.spec === 'string' && (r.file === undefined || typeof r.file === 'string') && (r.refused === undefined || typeof r.refused === 'string');
  });
}
