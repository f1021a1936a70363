/**
 * Long text in chunks for the gate panel: the ids are cut into pieces the model takes (256 byte tokens for an
 * ONNX model with a dynamic axis, the fixed T of a compiled probe), run one after another (progress per chunk,
 * cancellable between and during chunks), and the per-token gate outputs are joined along the token axis.
 * Attention maps ([B, H, T, T]) do not join across chunks: with more than one chunk they are left out (named).
 * No 'vscode' import (tests use it directly).
 */
import type { GateTensor } from '../../language-server/src/protocol/webview';
import { parseGateName } from '../../language-server/src/protocol/gates';
import { fitIds } from './probeGates';

export const CHUNK_TOKENS = 256;
export const MAX_CHUNKS = 32;

export interface Chunk { ids: number[]; real: number }

/** The chunks for `ids`: slices of `CHUNK_TOKENS`, or of a probe's fixed `seq` (fitted to its vocabulary, last padded). */
export function planChunks(ids: readonly number[], fixed?: { seq: number; vocab: number }, maxChunks = MAX_CHUNKS): Chunk[] {
  const size = fixed?.seq ?? CHUNK_TOKENS;
  const out: Chunk[] = [];
  for (let at = 0; at < Math.max(ids.length, 1) && out.length < maxChunks; at += size) {
    const slice = ids.slice(at, at + size);
    out.push(fixed ? fitIds(slice, fixed.seq, fixed.vocab) : { ids: [...slice], real: slice.length });
  }
  return out;
}

/** Whether a gate output has the token axis at 1 ([B, T, …]); attention maps do not. */
const tokenAxis = (name: string): boolean => parseGateName(name)?.kind !== 'attn_probs';

/** Positions [0, real) of batch 0 of a [B, T, …] tensor. */
function firstTokens(t: GateTensor, real: number): number[] {
  const inner = t.dims.slice(2).reduce((a, b) => a * b, 1);
  return t.data.slice(0, real * inner);
}

/** One run's gates from the chunks' gates (a single chunk is returned as it is); `dropped` names what cannot join. */
export function mergeChunks(parts: readonly GateTensor[][], chunks: readonly Chunk[]): { outputs: GateTensor[]; dropped: string[] } {
  if (parts.length === 1) return { outputs: [...parts[0]], dropped: [] };
  const outputs: GateTensor[] = [];
  const dropped: string[] = [];
  for (const first of parts[0] ?? []) {
    if (!tokenAxis(first.name) || first.dims.length < 2) { dropped.push(first.name); continue; }
    const pieces = parts.map((p, i) => p.find((t) => t.name === first.name)).map((t, i) => (t ? firstTokens(t, chunks[i].real) : []));
    const T = chunks.reduce((s, c) => s + c.real, 0);
    outputs.push({ name: first.name, dims: [1, T, ...first.dims.slice(2)], data: pieces.flat() });
  }
  return { outputs, dropped };
}
