/** Block kind → ONNX lowering: one module per kind family, listed here once; a missing kind is a compile error. */
import type { KindLowering } from './context';
import { isKindName, type KindName } from '../../kinds';
import { embedding, gatedMlp, layernormL, linearL, lmHead, mlp, rmsnormL } from './dense';
import { attention, mla } from './attention';
import { moe } from './moe';
import { mhc } from './mhc';
import { engram } from './engram';
import { mamba, mamba2 } from './ssm';
import { hyena } from './hyena';
import { titans } from './titans';
import { cms } from './cms';
import { adaln } from './conditioning';
import { custom } from './custom';
import { deltanet, gatedDeltanet } from './deltanet';
import { linearAttention, retnet, rwkvChannelMix, rwkvTimeMix } from './recurrent';
import { rgLru } from './rglru';
import { gla } from './gla';
import { linformer } from './linformer';
import { mlstm, slstm } from './xlstm';
import { gru, lstm } from './rnn';
import { s4d } from './s4d';
import { hashedEmbedding, head } from './heads';
import { ntm } from './ntm';
import { dnc } from './dnc';
import { h3 } from './h3';
import { s4 } from './s4';

export const LOWERINGS = {
  embedding, lm_head: lmHead, rmsnorm: rmsnormL, layernorm: layernormL, linear: linearL, mlp, gated_mlp: gatedMlp,
  attention, mla, moe, mhc, engram, mamba, mamba2,
  linear_attention: linearAttention, retnet, rwkv_time_mix: rwkvTimeMix, rwkv_channel_mix: rwkvChannelMix,
  gated_deltanet: gatedDeltanet, deltanet, rg_lru: rgLru, gla, hyena, titans, adaln, custom,
  cms, mlstm, slstm, lstm, gru, s4d, head, hashed_embedding: hashedEmbedding, ntm, dnc, s4, h3, linformer,
} as const satisfies Record<KindName, KindLowering>;

/** The lowering of a registered kind; undefined for a name that is not one. */
export function loweringOf(kind: string): KindLowering | undefined {
  return isKindName(kind) ? LOWERINGS[kind] : undefined;
}
