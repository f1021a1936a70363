/**
 * `archlens.parallel`: the parallel layout as comma-separated `tp=N`, `pp=N`, `ep=N` (each at most once; missing
 * parts are 1). The empty string means tensor parallel over all `archlens.gpus`. One pattern for the JSON schema
 * (VS Code underlines bad values) and one parser for the server.
 */

export interface ParallelLayout { readonly tp: number; readonly pp: number; readonly ep: number }

const PART = '\\s*(tp|pp|ep)\\s*=\\s*[1-9][0-9]{0,4}\\s*';
export const PARALLEL_PATTERN = `^(\\s*|${PART}(,${PART})*)$`;

/** The layout of `text` on `gpus` GPUs, or a message saying what is wrong with it. */
export function parseParallel(text: string, gpus: number): ParallelLayout | { error: string } {
  if (!new RegExp(PARALLEL_PATTERN).test(text)) return { error: `archlens.parallel '${text}' is not of the form "tp=N,pp=N,ep=N"` };
  if (!text.trim()) return { tp: gpus, pp: 1, ep: 1 };
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (k in out) return { error: `archlens.parallel '${text}' gives ${k} twice` };
    out[k] = Number(v);
  }
  return { tp: out.tp ?? 1, pp: out.pp ?? 1, ep: out.ep ?? 1 };
}
