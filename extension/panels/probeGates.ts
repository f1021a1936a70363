/**
 * "Visualize Gates of a Compiled Probe", client part: the probe itself is compiled by the inference worker from
 * the language server's program snapshot (inference/probeJob.ts); its graph's sequence length is fixed, so the
 * panel fits its byte tokens to it (fitIds: ids modulo the probe's vocabulary, truncated or padded).
 * No 'vscode' import (tests use it directly).
 */

/** The pad id fills positions after the text (shown as ∅). */
export const PAD = 0;

/** Byte ids → exactly `seq` ids below `vocab`: truncated, or padded with PAD; `real` = how many come from the text. */
export function fitIds(ids: readonly number[], seq: number, vocab: number): { ids: number[]; real: number } {
  const real = Math.min(ids.length, seq);
  const out = ids.slice(0, real).map((i) => ((i % vocab) + vocab) % vocab);
  while (out.length < seq) out.push(PAD % vocab);
  return { ids: out, real };
}

/** Display pieces for a fitted run: the text's pieces, then ∅ for each pad position. */
export function fitPieces(pieces: readonly string[], real: number, seq: number): string[] {
  return [...pieces.slice(0, real), ...Array.from({ length: seq - real }, () => '∅')];
}

