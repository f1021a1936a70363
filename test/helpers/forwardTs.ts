// The forward pass of models/engram-moe-tiny.onnx in plain TypeScript (batch 1), with the same math as the
// PyTorch model in models/model.py, reading every weight from the ONNX initializers (onnxInfo.ts) and the Engram
// hash constants from the graph (onnxGraph.ts). Used by the benchmark (ORT CPU vs plain TS) and its tests.
import { readOnnxInfo } from '../../language-server/src/onnx/info';
import { engramHashes, GraphIndex, moeTopK, type EngramHash } from './onnxGraph';

type F32 = Float32Array;
export interface TsTensor {
  name: string;
  dims: number[];
  data: F32;
}

interface EngramW { hashes: EngramHash[]; table: F32; row: number; wk: F32; wv: F32; normH: F32; normK: F32; normV: F32; conv: F32; kernel: number; dilation: number }
interface FfnW { gate: F32; up: F32; down: F32; f: number }
interface MoeW { router: F32; experts: FfnW[]; topK: number }
interface LayerW { engram?: EngramW; normAttn: F32; wq: F32; wk: F32; wv: F32; wo: F32; normFfn: F32; ffn?: FfnW; moe?: MoeW }

export interface TsModelOptions {
  /** Attention heads when the graph's attn_probs outputs do not state them. */
  heads?: number;
  ropeTheta?: number;
  eps?: number;
}

const PAD_ID = 256;

export class TsModel {
  private constructor(
    readonly vocab: number, readonly d: number, readonly heads: number, private readonly layers: LayerW[],
    private readonly embed: F32, private readonly norm: F32, private readonly lmHead: F32,
    private readonly ropeTheta: number, private readonly eps: number, readonly outputNames: string[],
  ) {}

  static fromOnnx(bytes: Uint8Array, opts: TsModelOptions = {}): TsModel {
    const g = new GraphIndex(readOnnxInfo(bytes));
    const embed = g.weight('embed.weight');
    const [vocab, d] = embed.dims;
    const headsDim = g.info.outputs.find((o) => o.name.startsWith('attn_probs_l'))?.dims?.[1];
    const heads = typeof headsDim === 'number' ? headsDim : opts.heads;
    if (!heads) throw new Error('cannot tell the number of attention heads: pass options.heads');
    const layers: LayerW[] = [];
    for (let i = 0; g.hasWeight(`layers.${i}.attn.wq.weight`); i++) layers.push(loadLayer(g, i));
    const names = g.info.outputs.map((o) => o.name);
    return new TsModel(vocab, d, heads, layers, embed.data, g.weight('norm.weight').data, g.weight('lm_head.weight').data, opts.ropeTheta ?? 10000, opts.eps ?? 1e-6, names);
  }

  /** logits [1,T,V] and the gate outputs, in the graph's output order. */
  forward(ids: number[]): TsTensor[] {
    const T = ids.length;
    const d = this.d;
    let h: F32 = new Float32Array(T * d);
    ids.forEach((id, t) => h.set(this.embed.subarray(id * d, (id + 1) * d), t * d));
    const out = new Map<string, TsTensor>();
    const put = (name: string, dims: number[], data: F32) => out.set(name, { name, dims, data });
    this.layers.forEach((L, i) => {
      if (L.engram) {
        const { y, alpha } = engram(L.engram, h, ids, d, this.eps);
        h = add(h, y);
        put(`engram_alpha_l${i}`, [1, T], alpha);
      }
      const { out: a, probs } = this.attention(L, rmsnorm(h, d, L.normAttn, this.eps), T);
      put(`attn_probs_l${i}`, [1, this.heads, T, T], probs);
      h = add(h, a);
      const x = rmsnorm(h, d, L.normFfn, this.eps);
      if (L.moe) {
        const m = moe(L.moe, x, d);
        put(`moe_probs_l${i}`, [1, T, L.moe.experts.length], m.probs);
        h = add(h, m.out);
      } else h = add(h, swiglu(L.ffn!, x, d));
    });
    put('logits', [1, T, this.vocab], linear(rmsnorm(h, d, this.norm, this.eps), d, this.lmHead, this.vocab));
    return this.outputNames.filter((n) => out.has(n)).map((n) => out.get(n)!);
  }

  private attention(L: LayerW, x: F32, T: number): { out: F32; probs: F32 } {
    const { d, heads: H } = this;
    const hd = d / H;
    const q = this.rope(linear(x, d, L.wq, d), T, hd);
    const k = this.rope(linear(x, d, L.wk, d), T, hd);
    const v = linear(x, d, L.wv, d);
    const probs = new Float32Array(H * T * T);
    const ctx = new Float32Array(T * d);
    const scale = 1 / Math.sqrt(hd);
    const row = new Float64Array(T);
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let c = 0; c < hd; c++) dot += q[t * d + h * hd + c] * k[s * d + h * hd + c];
          row[s] = dot * scale;
          if (row[s] > max) max = row[s];
        }
        let sum = 0;
        for (let s = 0; s <= t; s++) sum += row[s] = Math.exp(row[s] - max);
        const p = probs.subarray((h * T + t) * T, (h * T + t + 1) * T);
        for (let s = 0; s <= t; s++) {
          p[s] = row[s] / sum;
          for (let c = 0; c < hd; c++) ctx[t * d + h * hd + c] += p[s] * v[s * d + h * hd + c];
        }
      }
    }
    return { out: linear(ctx, d, L.wo, d), probs };
  }

  /** Rotary embedding on each head (halves rotated), float32 angles as in the exported graph. */
  private rope(x: F32, T: number, hd: number): F32 {
    const half = hd / 2;
    const f = Math.fround;
    const inv = Array.from({ length: half }, (_, i) => f(Math.pow(this.ropeTheta, f(-i * f(2 / hd)))));
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < half; i++) {
        const ang = f(t * inv[i]);
        const cos = f(Math.cos(ang));
        const sin = f(Math.sin(ang));
        for (let base = t * this.d; base < (t + 1) * this.d; base += hd) {
          const x1 = x[base + i];
          const x2 = x[base + half + i];
          x[base + i] = x1 * cos - x2 * sin;
          x[base + half + i] = x1 * sin + x2 * cos;
        }
      }
    }
    return x;
  }
}

function loadLayer(g: GraphIndex, i: number): LayerW {
  const w = (s: string) => g.weight(`layers.${i}.${s}`).data;
  const L: LayerW = { normAttn: w('norm_attn.weight'), wq: w('attn.wq.weight'), wk: w('attn.wk.weight'), wv: w('attn.wv.weight'), wo: w('attn.wo.weight'), normFfn: w('norm_ffn.weight') };
  if (g.hasWeight(`layers.${i}.engram.table.weight`)) {
    const hashes = engramHashes(g, i);
    const conv = g.weight(`layers.${i}.engram.conv.weight`);
    L.engram = {
      hashes, table: w('engram.table.weight'), row: g.weight(`layers.${i}.engram.table.weight`).dims[1],
      wk: w('engram.w_k.weight'), wv: w('engram.w_v.weight'), normH: w('engram.norm_h.weight'), normK: w('engram.norm_k.weight'),
      normV: w('engram.norm_v.weight'), conv: conv.data, kernel: conv.dims[2], dilation: Math.max(...hashes.map((h) => h.order)),
    };
  }
  const ffn = (p: string): FfnW => ({ gate: w(`${p}.w_gate.weight`), up: w(`${p}.w_up.weight`), down: w(`${p}.w_down.weight`), f: g.weight(`layers.${i}.${p}.w_gate.weight`).dims[0] });
  if (g.hasWeight(`layers.${i}.ffn.router.weight`)) {
    const experts: FfnW[] = [];
    for (let e = 0; g.hasWeight(`layers.${i}.ffn.experts.${e}.w_gate.weight`); e++) experts.push(ffn(`ffn.experts.${e}`));
    L.moe = { router: w('ffn.router.weight'), experts, topK: moeTopK(g, i) ?? 2 };
  } else L.ffn = ffn('ffn');
  return L;
}

/** y[t, o] = Σ_i x[t, i] · W[o, i]   (W is a torch Linear weight [out, in]). */
export function linear(x: F32, inDim: number, W: F32, outDim: number): F32 {
  const T = x.length / inDim;
  const y = new Float32Array(T * outDim);
  const tail = outDim - (outDim % 4);
  for (let t = 0; t < T; t++) {
    const xo = t * inDim;
    const yo = t * outDim;
    for (let o = 0; o < tail; o += 4) {
      // four outputs per pass: each x value is loaded once for four weight rows
      const w0 = o * inDim, w1 = w0 + inDim, w2 = w1 + inDim, w3 = w2 + inDim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < inDim; i++) {
        const xi = x[xo + i];
        s0 += xi * W[w0 + i];
        s1 += xi * W[w1 + i];
        s2 += xi * W[w2 + i];
        s3 += xi * W[w3 + i];
      }
      y[yo + o] = s0;
      y[yo + o + 1] = s1;
      y[yo + o + 2] = s2;
      y[yo + o + 3] = s3;
    }
    for (let o = tail; o < outDim; o++) {
      let s = 0;
      for (let i = 0; i < inDim; i++) s += x[xo + i] * W[o * inDim + i];
      y[yo + o] = s;
    }
  }
  return y;
}

function rmsnorm(x: F32, d: number, w: F32, eps: number): F32 {
  const y = new Float32Array(x.length);
  for (let t = 0; t < x.length / d; t++) {
    let ms = 0;
    for (let c = 0; c < d; c++) ms += x[t * d + c] * x[t * d + c];
    const r = 1 / Math.sqrt(ms / d + eps);
    for (let c = 0; c < d; c++) y[t * d + c] = x[t * d + c] * r * w[c];
  }
  return y;
}

const silu = (v: number) => v / (1 + Math.exp(-v));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

function add(a: F32, b: F32): F32 {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a;
}

function swiglu(W: FfnW, x: F32, d: number): F32 {
  const g = linear(x, d, W.gate, W.f);
  const u = linear(x, d, W.up, W.f);
  for (let i = 0; i < g.length; i++) g[i] = silu(g[i]) * u[i];
  return linear(g, W.f, W.down, d);
}

/** Softmax router, top-k mask, renormalised weights over the chosen experts (models/model.py MoE). */
function moe(W: MoeW, x: F32, d: number): { out: F32; probs: F32 } {
  const E = W.experts.length;
  const T = x.length / d;
  const probs = linear(x, d, W.router, E);
  const weights = new Float32Array(T * E);
  for (let t = 0; t < T; t++) {
    const p = probs.subarray(t * E, (t + 1) * E);
    const max = Math.max(...p);
    let sum = 0;
    for (let e = 0; e < E; e++) sum += p[e] = Math.exp(p[e] - max);
    for (let e = 0; e < E; e++) p[e] /= sum;
    const kth = [...p].sort((a, b) => b - a)[W.topK - 1];
    let kept = 0;
    for (let e = 0; e < E; e++) kept += p[e] >= kth ? p[e] : 0;
    for (let e = 0; e < E; e++) weights[t * E + e] = p[e] >= kth ? p[e] / kept : 0;
  }
  const out = new Float32Array(T * d);
  W.experts.forEach((ex, e) => {
    // each expert only on the tokens routed to it (the others have weight 0: same result as the dense export)
    const rows = Array.from({ length: T }, (_, t) => t).filter((t) => weights[t * E + e] > 0);
    const xs = new Float32Array(rows.length * d);
    rows.forEach((t, r) => xs.set(x.subarray(t * d, (t + 1) * d), r * d));
    const y = swiglu(ex, xs, d);
    rows.forEach((t, r) => {
      for (let c = 0; c < d; c++) out[t * d + c] += weights[t * E + e] * y[r * d + c];
    });
  });
  return { out, probs };
}

/** Tokenizer compression P: ASCII A-Z → a-z; tab, LF, CR → space. */
function canonical(id: number): number {
  if (id >= 65 && id <= 90) return id + 32;
  return id === 9 || id === 10 || id === 13 ? 32 : id;
}

function engram(W: EngramW, h: F32, ids: number[], d: number, eps: number): { y: F32; alpha: F32 } {
  const T = ids.length;
  const x = ids.map(canonical);
  const dim = W.row * W.hashes.length;
  const e = new Float32Array(T * dim);
  for (let t = 0; t < T; t++) {
    W.hashes.forEach((hs, s) => {
      let acc = hs.add;
      for (let j = 0; j < hs.order; j++) acc += (t - j >= 0 ? x[t - j] : PAD_ID) * hs.mult[j];
      const rowIdx = (acc % hs.slots) + hs.offset;
      e.set(W.table.subarray(rowIdx * W.row, (rowIdx + 1) * W.row), t * dim + s * W.row);
    });
  }
  const k = rmsnorm(linear(e, dim, W.wk, d), d, W.normK, eps);
  const v = linear(e, dim, W.wv, d);
  const hn = rmsnorm(h, d, W.normH, eps);
  const alpha = new Float32Array(T);
  for (let t = 0; t < T; t++) {
    let dot = 0;
    for (let c = 0; c < d; c++) dot += hn[t * d + c] * k[t * d + c];
    alpha[t] = sigmoid(dot / Math.sqrt(d));
    for (let c = 0; c < d; c++) v[t * d + c] *= alpha[t];
  }
  const u = rmsnorm(v, d, W.normV, eps);
  const y = new Float32Array(T * d);
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let j = 0; j < W.kernel; j++) {
        const src = t - (W.kernel - 1 - j) * W.dilation;
        if (src >= 0) s += W.conv[c * W.kernel + j] * u[src * d + c];
      }
      y[t * d + c] = silu(s) + v[t * d + c];
    }
  }
  return { y, alpha };
}
