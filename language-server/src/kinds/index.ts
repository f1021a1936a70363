/**
 * The registry of built-in block kinds: one module per family, each kind listed here once under its name.
 * `KindName` is derived from this table; every per-kind table elsewhere (ONNX lowerings) is a
 * `Record<KindName, …>`, so a kind missing from one is a compile error, and a test checks key = kind.name.
 */
import type { Args, BlockKind, ContextClass, DecodeState } from './types';
import { attention } from './attention';
import { adaln } from './conditioning';
import { custom } from './custom';
import { deltanet, gatedDeltanet } from './deltanet';
import { embedding, gatedMlp, layernorm, linear, lmHead, mlp, rmsnorm } from './dense';
import { engram } from './engram';
import { hyena } from './hyena';
import { mhc } from './mhc';
import { mla } from './mla';
import { moe } from './moe';
import { linearAttention, retnet, rwkvChannelMix, rwkvTimeMix } from './recurrent';
import { rgLru } from './rglru';
import { gla } from './gla';
import { linformer } from './linformer';
import { mamba, mamba2 } from './ssm';
import { titans } from './titans';
import { cms } from './cms';
import { mlstm, slstm } from './xlstm';
import { gru, lstm } from './rnn';
import { s4d } from './s4d';
import { hashedEmbedding, head } from './heads';
import { ntm } from './ntm';
import { dnc } from './dnc';
import { h3 } from './h3';
import { s4 } from './s4';

export const KINDS = {
  embedding, lm_head: lmHead, rmsnorm, layernorm, linear, mlp, gated_mlp: gatedMlp, attention,
  mla, moe, mamba, mamba2, hyena, linear_attention: linearAttention, retnet, rwkv_time_mix: rwkvTimeMix,
  rwkv_channel_mix: rwkvChannelMix, gated_deltanet: gatedDeltanet, deltanet, rg_lru: rgLru, gla, engram, mhc, titans, adaln, custom,
  cms, mlstm, slstm, lstm, gru, s4d, head, hashed_embedding: hashedEmbedding, ntm, dnc, s4, h3, linformer,
} as const satisfies Record<string, BlockKind>;

export type KindName = keyof typeof KINDS;

export const KIND_NAMES = Object.keys(KINDS) as readonly KindName[];

export const BLOCK_KINDS: ReadonlyMap<string, BlockKind> = new Map(Object.values(KINDS).map((k) => [k.name, k]));

export function blockKind(name: string): BlockKind | undefined {
  return BLOCK_KINDS.get(name);
}

/** Routed experts of a block use, or undefined for a kind without experts (BlockKind.experts). */
export function routedExperts(b: { readonly kind: string; readonly args: Args }): { experts: number; topK: number } | undefined {
  return blockKind(b.kind)?.experts?.(b.args);
}

export function isKindName(name: string): name is KindName {
  return BLOCK_KINDS.has(name);
}

/** The context class and decode state of one use of a kind (its arguments may choose them); position-free for an unknown kind. */
export function classOf(kind: string, args: Args): { context: ContextClass; decodeState: DecodeState } {
  const k = blockKind(kind);
  if (!k) return { context: 'position-free', decodeState: 'none' };
  return k.classify?.(args) ?? { context: k.context, decodeState: k.decodeState };
}
