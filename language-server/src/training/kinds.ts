/**
 * What training adds to each block kind's forward cost, keyed by the registry's kind name (a `Record<KindName, …>`:
 * a new kind is a compile error until it has a row here, and docs/training-json.md lists the rows).
 * - `backward`: backward FLOPs / forward FLOPs counted in model FLOPs (MFU): 2 for matmuls, one product for the
 *   input gradient and one for the weight gradient (Kaplan et al. 2020 "6N"; Narayanan et al. 2021 §5.1).
 * - `contextRecompute`: fraction of the context-dependent forward FLOPs (the part that grows with L) a kernel
 *   recomputes in backward; counted in hardware FLOPs (HFU) only. FlashAttention-2 recomputes S = QKᵀ and P in
 *   backward (Dao 2023 §3.1.2): 5 matmuls in backward vs 2 forward = 2.5×, i.e. 0.5 more than the 2× above.
 * - `kernelFlops`: per-token forward FLOPs of a kernel that recomputes its own intermediates (Mamba's selective scan
 *   recomputes the states in backward instead of storing them, Gu & Dao 2023 §3.3; scan ≈ 9·d_inner·N FLOPs/token).
 * - `activation`: bytes stored per token for backward with no recomputation, split into a part linear in width and
 *   the attention scores' part that grows with L (dropped by selective recompute or FlashAttention). The transformer
 *   rows are Korthikanti et al. 2022 §4.1 per term: attention 11·h + 5·a·s, MLP 19·h, each LayerNorm 2·h (34·h +
 *   5·a·s per layer), generalised to GQA, gated MLPs and any d_ff; other kinds count the tensors their backward reads.
 * - `hostOptimizer`: the block's parameters and optimizer states live in host memory (Engram tables placed on host).
 */
import type { KindName } from '../kinds';
import type { Args, Dims } from '../kinds/types';
import { bool, num, numList, str } from '../kinds/formulas';
import { ntmCount, ntmShape } from '../kinds/ntm';
import { dncCount, dncShape } from '../kinds/dnc';
import { prefillKeys } from '../kinds/masks';
import { isSparse } from '../kinds/sparseMasks';

export interface ActivationBytes { readonly linear: number; readonly quadratic: number }

export interface KindTraining {
  readonly backward: number;
  readonly contextRecompute: number;
  readonly kernelFlops?: (a: Args, d: Dims) => number;
  readonly activation: (a: Args, d: Dims, seq: number) => ActivationBytes;
  readonly hostOptimizer?: (a: Args) => boolean;
  readonly note: string;
}

const h = (d: Dims): number => d.d_model ?? 0;
const opt = (a: Args, name: string, fallback: number): number => (a[name] === undefined ? fallback : num(a, name));
const lin = (bytes: number): ActivationBytes => ({ linear: bytes, quadratic: 0 });
const dense = (act: KindTraining['activation'], note: string): KindTraining => ({ backward: 2, contextRecompute: 0, activation: act, note });

/** Linformer: attention's tensors with k projected keys for s (the score term does not grow with L). */
function linformerBytes(a: Args, d: Dims): ActivationBytes {
  const H = num(a, 'heads'), hd = opt(a, 'head_dim', h(d) / H);
  return { linear: 3 * h(d) + 8 * H * hd, quadratic: 5 * H * num(a, 'k') };
}

function attentionBytes(a: Args, d: Dims, seq: number): ActivationBytes {
  const H = num(a, 'heads'), hd = opt(a, 'head_dim', h(d) / H), kv = opt(a, 'kv_heads', H), w = num(a, 'window');
  // Sparse masks keep scores only for the visible pairs (block-sparse kernels): keys per query, not L.
  const keys = isSparse(str(a, 'mask')) ? prefillKeys(a, seq, 0) : w > 0 ? Math.min(seq, w) : seq;
  // Longformer's global key/value projections run on every token: their outputs 4·KV·hd more.
  const global = bool(a, 'global_proj') ? 4 * kv * hd : 0;
  // QKV input 2h, Q and K 4·H·hd (GQA: K 2·KV·hd), V 2·KV·hd, output-projection input 2·H·hd, dropout mask h.
  return { linear: 3 * h(d) + 4 * H * hd + 4 * kv * hd + global, quadratic: 5 * H * keys };
}

function mlaBytes(a: Args, d: Dims, seq: number): ActivationBytes {
  const H = num(a, 'heads'), qk = num(a, 'qk_nope_dim') + num(a, 'qk_rope_dim'), v = num(a, 'v_head_dim');
  return { linear: 3 * h(d) + 2 * (num(a, 'q_lora') + num(a, 'kv_lora')) + 4 * H * qk + 4 * H * v, quadratic: 5 * H * seq };
}

function moeBytes(a: Args, d: Dims): ActivationBytes {
  const k = num(a, 'top_k'), ff = num(a, 'd_ff'), sff = opt(a, 'shared_d_ff', ff), g = bool(a, 'gated') ? 8 : 4;
  // Router input, each routed copy's expert MLP (2h input + its d_ff tensors), shared experts, weighted combine.
  return lin(2 * h(d) + k * (2 * h(d) + g * ff) + num(a, 'shared') * (2 * h(d) + g * sff) + 2 * k * h(d));
}

/** Controller tensors kept per step: an LSTM's four gates, c, tanh(c) and h (7H), or an mlp's pre-activation and h (2H). */
const ctrlActs = (kind: 'lstm' | 'mlp', H: number): number => (kind === 'lstm' ? 7 : 2) * H;

function ntmBytes(a: Args, d: Dims): ActivationBytes {
  const s = ntmShape(a, d), c = ntmCount(s, h(d), h(d));
  // input, controller, interface P, the step's whole new state (memory N·M included), w^c, w^g, w̃, w̃^γ of every head.
  return lin(2 * (h(d) + ctrlActs(s.ctrl.kind, s.ctrl.H) + c.P + c.state + 4 * (s.R + s.W) * s.N));
}

function dncBytes(a: Args, d: Dims): ActivationBytes {
  const s = dncShape(a, d), c = dncCount(s, h(d), h(d));
  // input, controller, interface, the new state (memory N·W and link N² included), allocation (sorted, product,
  // scattered), write content weights, and each read head's backward, content and forward weights.
  return lin(2 * (h(d) + ctrlActs(s.ctrl.kind, s.ctrl.H) + c.I + c.state + 4 * s.N + 3 * s.R * s.N));
}

function ssmBytes(a: Args, d: Dims): ActivationBytes {
  const di = opt(a, 'd_inner', num(a, 'expand') * h(d));
  // in_proj input 2h, x and z 4·d_inner, conv output, Δ, scan output and gated output 2·d_inner each, B and C.
  return lin(2 * h(d) + 12 * di + 4 * num(a, 'd_state'));
}

const NORM = dense((_a, d) => lin(2 * h(d)), 'input kept for the backward of the normalisation (Korthikanti: 2·h per LayerNorm)');
const MIXER = (factor: number, note: string): KindTraining => dense((_a, d) => lin(factor * h(d)), note);

export const TRAINING_KINDS: Record<KindName, KindTraining> = {
  embedding: dense((_a, d) => lin(h(d)), 'dropout mask h bytes per token (Korthikanti §4.1); backward is a scatter-add'),
  lm_head: dense((_a, d) => lin(4 * (d.vocab ?? 0)), 'fp32 logits kept for the cross-entropy backward (4·V bytes per token)'),
  rmsnorm: NORM,
  layernorm: NORM,
  linear: dense((a, d) => lin(2 * opt(a, 'd_in', h(d))), 'input kept for the weight gradient'),
  mlp: dense((a, d) => lin(3 * h(d) + 4 * num(a, 'd_ff')), 'Korthikanti MLP 19·h at d_ff = 4h: input 2h, activation in/out 2·d_ff each, mask h'),
  gated_mlp: dense((a, d) => lin(3 * h(d) + 8 * num(a, 'd_ff')), 'as mlp, with gate, up, activation and product tensors of d_ff each'),
  attention: { backward: 2, contextRecompute: 0.5, activation: attentionBytes, note: 'Korthikanti attention 11·h + 5·a·s (GQA-aware); FlashAttention-2 backward recomputes QKᵀ: +0.5× of the score FLOPs in HFU' },
  mla: { backward: 2, contextRecompute: 0.5, activation: mlaBytes, note: 'as attention, with the q/kv latents kept (DeepSeek-V2 MLA); FlashAttention-style recompute of the scores' },
  moe: dense(moeBytes, 'routed copies × capacity factor in the expert GEMMs (grouped-GEMM efficiency from serving/calibration.json); all-to-all dispatch and combine in forward and backward'),
  mamba: { backward: 2, contextRecompute: 0, kernelFlops: (a, d) => 9 * opt(a, 'd_inner', num(a, 'expand') * h(d)) * num(a, 'd_state'), activation: ssmBytes, note: 'selective scan recomputes its states in backward (Gu & Dao 2023 §3.3): +9·d_inner·N FLOPs per token in HFU, states not stored' },
  mamba2: { backward: 2, contextRecompute: 0, kernelFlops: (a, d) => 9 * opt(a, 'd_inner', num(a, 'expand') * h(d)) * num(a, 'd_state'), activation: ssmBytes, note: 'SSD chunked scan recomputes chunk states in backward (Dao & Gu 2024): as mamba' },
  hyena: MIXER(14, 'N+1 projections and N long-convolution outputs of width h kept (Poli et al. 2023), FFT convolutions recomputed'),
  linear_attention: MIXER(11, 'as attention without the score term: chunked state recomputed in backward (Katharopoulos et al. 2020)'),
  retnet: MIXER(13, 'as attention without the score term, value width 2h (Sun et al. 2023), chunkwise retention states recomputed'),
  rwkv_time_mix: MIXER(14, 'r, k, v, w, a, g projections of width h kept; WKV states recomputed in backward (RWKV-7 CUDA kernel)'),
  rwkv_channel_mix: dense((a, d) => lin(3 * h(d) + 4 * num(a, 'd_ff')), 'as mlp (squared-ReLU key/value MLP)'),
  gated_deltanet: MIXER(13, 'q, k, v, gates and output of width ≈ h kept; chunkwise delta-rule states recomputed (Yang et al. 2025)'),
  deltanet: MIXER(12, 'q, k, v, β and output of width ≈ h kept; chunkwise delta-rule states recomputed in backward (Yang et al. 2024, fla chunk_delta_rule)'),
  rg_lru: dense((a, d) => lin(2 * h(d) + 12 * opt(a, 'width', h(d))), 'x and y branches, conv output, both gates, normalised input and h of width w kept (Griffin linear scan, De et al. 2024 §3)'),
  mlstm: dense((a, d) => lin(str(a, 'variant') === 'large' ? 2 * h(d) + 2 * (2 * opt(a, 'qk_dim_factor', 0.5) + 5 * opt(a, 'v_dim_factor', 1)) * h(d) : 14 * opt(a, 'proj_factor', 2) * h(d)),
    'proj_up output, conv, q, k, v, gates, cell output and gated product of width di kept (large: input, q and k, v, o-gate, cell output, norm output and gated product); chunkwise mLSTM states recomputed (Beck et al. 2024 §2.3)'),
  slstm: MIXER(12, 'conv output, four gate pre-activations and the h, c, n, m sequences of width h kept (sLSTM has no parallel form, Beck et al. 2024 §2.2)'),
  lstm: dense((a, d) => lin(2 * h(d) + 2 * 7 * opt(a, 'hidden', h(d))), 'input, four gate activations, c, tanh(c) and h of width h kept per step (backpropagation through time)'),
  gru: dense((a, d) => lin(2 * h(d) + 2 * 6 * opt(a, 'hidden', h(d))), 'input, three gate activations, the recurrent n pre-activation and h of width h kept per step (backpropagation through time)'),
  linformer: { backward: 2, contextRecompute: 0, activation: linformerBytes, note: 'as attention (Korthikanti 11·h + 5·a·s) with the k projected keys in place of s: scores [H, k] per token (Wang et al. 2020)' },
  s4d: MIXER(6, 'input, SSM output, GELU output, output_linear output and GLU product of width h kept; FFT convolution recomputed in backward (Gu et al. 2022)'),
  s4: MIXER(6, 'input, SSM output, GELU output, output_linear output and GLU product of width h kept; Cauchy kernel and FFT convolution recomputed in backward (Gu et al. 2022)'),
  h3: dense((a, d) => lin(2 * (6 * h(d) + 2 * h(d) * num(a, 'head_dim'))), 'input, q, k, v, shifted k and the output_linear input of width h, K⊙V and the SSM output of width h·head_dim kept (bf16); FFT convolutions recomputed (Fu, Dao et al. 2023)'),
  gla: MIXER(12, 'q, k, v, g, decay and output of width ≈ h kept; chunkwise GLA states recomputed in backward (Yang et al. 2024 §4)'),
  engram: {
    backward: 2, contextRecompute: 0, activation: (a, d) => lin(2 * h(d) + 4 * num(a, 'dim') * num(a, 'branches')),
    hostOptimizer: (a) => str(a, 'placement') === 'host',
    note: 'retrieved rows and conv outputs kept; tables get sparse gradients, their Adam states live where the tables are (host when placement = host, Engram §2.5)',
  },
  mhc: { backward: 2, contextRecompute: 0, activation: (a, d) => lin(2 * num(a, 'streams') * h(d)), note: 'n residual streams of width h: the stream input is kept, the mixing kernels are recomputed in backward (mHC paper: ≈ 6.7 % training overhead at n = 4)' },
  titans: {
    backward: 3, contextRecompute: 0,
    activation: (a, d) => lin(6 * h(d) + 6 * num(a, 'memory_depth') * opt(a, 'memory_width', h(d))),
    note: 'backward differentiates through the inner-loop memory updates: taken as 3× forward (reverse mode costs ≤ 4× the function, Griewank & Walther 2008); memory-MLP activations per depth kept',
  },
  adaln: dense((_a, d) => lin(2 * h(d)), 'normalised input kept for the modulation backward (2·h bytes per token); the conditioning MLP runs once per image'),
  cms: {
    backward: 3, contextRecompute: 0,
    activation: (a, d) => lin(numList(a, 'periods').length * (4 * h(d) + 4 * num(a, 'd_ff'))),
    note: 'each level as an MLP (input and output 2·h, hidden in/out 2·d_ff each); backward through the test-time updates taken as 3× forward, as titans',
  },
  head: dense((a) => lin(4 * num(a, 'outputs')), 'fp32 outputs kept for the loss backward (4·K bytes per scored position, counted per token: an upper bound for pooled heads)'),
  hashed_embedding: dense((a) => lin(4 * num(a, 'hashes')), 'the k bucket ids per token; backward is a scatter-add into the shared table (Weinberger et al. 2009)'),
  ntm: dense(ntmBytes, 'backpropagation through time keeps every step\'s state (memory N·M, head weights, reads, controller) and addressing weights (Graves et al. 2014); nothing recomputed'),
  dnc: dense(dncBytes, 'backpropagation through time keeps every step\'s state (memory N·W, link N², usage, precedence, weights) and the allocation and read-mode weights (Graves et al. 2016); nothing recomputed'),
  custom: MIXER(2, 'unknown block: only its input (2·h bytes per token) is counted'),
};
