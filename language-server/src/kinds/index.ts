/** The registry of built-in block kinds: one module per family, listed here once. */
import type { BlockKind } from './types';
import { attention } from './attention';
import { custom } from './custom';
import { embedding, gatedMlp, layernorm, linear, lmHead, mlp, rmsnorm } from './dense';
import { engram } from './engram';
import { hyena } from './hyena';
import { mhc } from './mhc';
import { mla } from './mla';
import { moe } from './moe';
import { linearAttention, retnet, rwkvChannelMix, rwkvTimeMix } from './recurrent';
import { mamba, mamba2 } from './ssm';
import { titans } from './titans';

const ALL: readonly BlockKind[] = [
  embedding, lmHead, rmsnorm, layernorm, linear, mlp, gatedMlp, attention,
  mla, moe, mamba, mamba2, hyena, linearAttention, retnet, rwkvTimeMix, rwkvChannelMix,
  engram, mhc, titans, custom,
];

export const BLOCK_KINDS: ReadonlyMap<string, BlockKind> = new Map(ALL.map((k) => [k.name, k]));

export function blockKind(name: string): BlockKind | undefined {
  return BLOCK_KINDS.get(name);
}
