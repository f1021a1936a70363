/** Sizes of the per-platform VSIX files, freshly built into dist-vsix/ by extension/dev/package.ts (about 15 s). */
import * as fs from 'fs';
import { TARGETS, packageAll, vsixPath, MAX_LINUX_X64_BYTES } from '../../extension/dev/package';

export interface VsixFigures { sizes: { target: string; bytes: number; built: string }[]; limitBytes: number }

export function vsixSizes(): VsixFigures {
  packageAll(TARGETS, { quiet: true });
  const sizes = TARGETS.filter((t) => fs.existsSync(vsixPath(t))).map((t) => {
    const st = fs.statSync(vsixPath(t));
    return { target: t, bytes: st.size, built: st.mtime.toISOString() };
  });
  return { sizes, limitBytes: MAX_LINUX_X64_BYTES };
}
