/**
 * Multi-head Latent Attention (MLA), DeepSeek-V2 (arXiv 2405.04434) and DeepSeek-V3 (arXiv 2412.19437).
 * Parameters follow HF `DeepseekV3Attention`: q_a_proj d×q_lora, q_a_layernorm q_lora,
 * q_b_proj q_lora×H·(nope+rope) (or q_proj d×H·(nope+rope) when q_lora = 0),
 * kv_a_proj_with_mqa d×(kv_lora+rope), kv_a_layernorm kv_lora, kv_b_proj kv_lora×H·(nope+v), o_proj H·v×d.
 * DeepSeek-V3 (d 7168, H 128, q_lora 1536, kv_lora 512, nope 128, rope 64, v 128) gives 187,107,328.
 * The cache holds the compressed latent plus the shared RoPE key: (kv_lora + rope) elements per token.
 * Prefill uses the naive (decompressed) form; decode the weight-absorbed form (V2 paper §2.1.2), in which
 * W_UK is folded into the query and W_UV into the output: their MACs equal kv_b_proj's, so 2·linear holds.
 */
import type { BlockKind } from './types';
import { byteWidths, causalAverageKeys, denseCost, dModel, num } from './formulas';
import { scaleArgs } from './probeScale';

export const mla: BlockKind = {
  name: 'mla',
  summary: 'Multi-head Latent Attention (DeepSeek-V2/V3): low-rank compressed KV cache with a decoupled RoPE key.',
  needs: ['d_model'],
  context: 'attention',
  decodeState: 'kv-cache',
  tpAllReduces: 1,
  role: 'mixer',
  mask: () => 'causal',
  probe: (a, w) => scaleArgs(a, w, 'heads', 'q_lora', 'kv_lora', 'qk_nope_dim', 'qk_rope_dim', 'v_head_dim'),
  params: [
    { name: 'heads', type: 'int', required: true, min: 1, doc: 'Number of attention heads H.' },
    { name: 'q_lora', type: 'int', default: 0, min: 0, doc: 'Query compression rank (DeepSeek-V3: 1536); 0 = no compression, a direct q_proj d×H·(nope+rope).' },
    { name: 'kv_lora', type: 'int', default: 512, min: 1, doc: 'KV compression rank d_c: the latent cached per token.' },
    { name: 'qk_nope_dim', type: 'int', default: 128, min: 0, doc: 'Per-head query/key dimension without RoPE.' },
    { name: 'qk_rope_dim', type: 'int', default: 64, min: 0, doc: 'Per-head decoupled RoPE dimension; the RoPE key is shared by all heads and cached.' },
    { name: 'v_head_dim', type: 'int', default: 128, min: 1, doc: 'Per-head value dimension.' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const H = num(args, 'heads');
    const qr = num(args, 'q_lora');
    const c = num(args, 'kv_lora');
    const nope = num(args, 'qk_nope_dim');
    const rope = num(args, 'qk_rope_dim');
    const v = num(args, 'v_head_dim');
    const qk = nope + rope;
    const qProj = qr > 0 ? d * qr + qr * H * qk : d * H * qk;
    const linear = qProj + d * (c + rope) + c * H * (nope + v) + H * v * d;
    const norms = (qr > 0 ? qr : 0) + c;
    const L = ctx.seq;
    const { kv } = byteWidths(dims);
    const perToken = (c + rope) * kv;
    return denseCost(dims, ctx, {
      params: linear + norms,
      prefillFlops: 2 * linear + (2 * H * qk + 2 * H * v) * causalAverageKeys(L, 0),
      decodeFlops: 2 * linear + (2 * H * (c + rope) + 2 * H * c) * L,
      cacheBytes: perToken * L,
      cacheReadPerSeq: perToken * L,
      cacheWritePerSeq: perToken,
      formula: [
        `params = ${qr > 0 ? 'd·q_lora + q_lora + q_lora·H·(nope+rope)' : 'd·H·(nope+rope)'} + d·(kv_lora+rope) + kv_lora` +
          ` + kv_lora·H·(nope+v) + H·v·d = ${linear + norms}`,
        `prefill FLOPs/token (naive) = 2·linear + (2·H·(nope+rope) + 2·H·v)·keys; keys = (L+1)/2 causal`,
        `decode FLOPs (weight-absorbed) = 2·linear + (2·H·(kv_lora+rope) + 2·H·kv_lora)·L = 2·${linear} + (2·${H}·${c + rope} + 2·${H}·${c})·${L}`,
        `KV cache = (kv_lora + rope)·L·bytes = ${c + rope}·${L}·${kv} B (latent, shared by all heads)`,
      ],
    });
  },
};
