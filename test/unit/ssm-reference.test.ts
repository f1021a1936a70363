/**
 * The compiled h3 and s4 graphs against plain step-by-step recurrences written from the reference implementations'
 * step functions (float64, independent of the lowering's modal filters, FFTs, Cauchy kernel and Woodbury step):
 * - h3: HazyResearch/H3 src/models/ssm/h3.py H3.step — SSKernelShift.step (x ← shift(x) + B·k, y = C·x, + D·k),
 *   SSKernelDiag bilinear step (dA = (1 + ΔA/2)/(1 − ΔA/2), dB = B·Δ/(1 − ΔA/2), y = 2·Re(C·x) + D·kv) on the
 *   head_dim² products of each head, the sum with q over d1 and output channels ordered (d2, head);
 * - s4: the bilinear discretisation of the full DPLR matrix (Gu et al. 2022 eq. 3): A = diag(Λ, Λ̄) − p·p* with
 *   p = (P, P̄), Ā = (I − Δ/2·A)⁻¹(I + Δ/2·A), B̄ = (I − Δ/2·A)⁻¹·Δ·(B, B̄), y = (C, C̄)·x + D·u, by a dense complex
 *   solve; then GELU and Linear(H, 2H) + GLU (state-spaces/s4 models/s4/s4.py FFTConv.step, S4Block.step).
 * Model: embedding → block → lm_head (untied), so logits = (x + block(x))·W.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { analyzeText } from '../helpers/memoryHost';
import { compileModel } from '../../language-server/src/compile/compile';
import { initializerFloats, readOnnxInfo } from '../../language-server/src/onnx/info';

ort.env.logLevel = 'error';
type Weights = Record<string, Float32Array>;
type Cx = [number, number];

const IDS = [3, 1, 4, 1, 5, 9, 2, 6];
const V = 16;

async function compiled(block: string, d: number): Promise<{ W: Weights; logits: Float32Array }> {
  const a = analyzeText(`model M {\n  vocab = ${V}\n  d_model = ${d}\n  tied = false\n  embedding\n  ${block}\n  lm_head\n}\n`);
  const c = compileModel(a.models[0], { seq: IDS.length });
  const W: Weights = {};
  for (const t of readOnnxInfo(c.bytes).initializers) if (!t.name.startsWith('const/')) W[t.name.replace(/^l0\.(h3|s4)\//, '')] = initializerFloats(t);
  const r = await (await ort.InferenceSession.create(c.bytes)).run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(IDS.map(BigInt)), [1, IDS.length]) });
  return { W, logits: r.logits.data as Float32Array };
}

const lin = (x: number[], w: Float32Array, b: Float32Array | undefined, dout: number): number[] =>
  Array.from({ length: dout }, (_, o) => x.reduce((s, xi, i) => s + xi * w[i * dout + o], b ? b[o] : 0));
const embed = (W: Weights, id: number, d: number): number[] => Array.from(W['l0.embedding/weight'].slice(id * d, id * d + d));

function compare(logits: Float32Array, ref: number[][]): void {
  let worst = 0, mag = 0;
  ref.forEach((row, t) => row.forEach((v, j) => { worst = Math.max(worst, Math.abs(logits[t * V + j] - v)); mag = Math.max(mag, Math.abs(v)); }));
  assert.ok(mag > 0.1, `logits too small to compare (${mag})`);
  assert.ok(worst < 1e-4, `max |Δ logits| = ${worst}`);
}

/** One H3 step (h3.py H3.step) for channel width d, state size N, head_dim hd; mutates the states. */
function h3Step(W: Weights, x: number[], d: number, N: number, hd: number, shift: number[][], st: Cx[][]): number[] {
  const q = lin(x, W.q_proj, W.q_proj_bias, d), k = lin(x, W.k_proj, W.k_proj_bias, d), v = lin(x, W.v_proj, W.v_proj_bias, d);
  const ks = k.map((kc, ch) => {
    const s = shift[ch];
    for (let n = N - 1; n > 0; n--) s[n] = s[n - 1] + W.shift_B[ch * N + n] * kc;
    s[0] = W.shift_B[ch * N] * kc;
    return s.reduce((acc, sn, n) => acc + W.shift_C[ch * N + n] * sn, 0) + W.shift_D[ch] * kc;
  });
  const H = d / hd, S = N / 2, y = new Array(d).fill(0);
  for (let h = 0; h < H; h++) {
    const dt = Math.exp(W.log_dt[h]);
    for (let d1 = 0; d1 < hd; d1++) for (let d2 = 0; d2 < hd; d2++) {
      const kv = ks[h * hd + d1] * v[h * hd + d2], s = st[(h * hd + d1) * hd + d2];
      let out = W.D[h] * kv;
      for (let n = 0; n < S; n++) {
        const i = h * S + n, xr = (-Math.exp(W.inv_A_real[i]) * dt) / 2, xi = (W.A_imag[i] * dt) / 2;
        const den = (1 - xr) ** 2 + xi ** 2, ir = (1 - xr) / den, ii = xi / den; // 1/(1 − x)
        const dA: Cx = [(1 + xr) * ir - xi * ii, (1 + xr) * ii + xi * ir];
        const dB: Cx = [(W.B[2 * i] * ir - W.B[2 * i + 1] * ii) * dt, (W.B[2 * i] * ii + W.B[2 * i + 1] * ir) * dt];
        s[n] = [dA[0] * s[n][0] - dA[1] * s[n][1] + dB[0] * kv, dA[0] * s[n][1] + dA[1] * s[n][0] + dB[1] * kv];
        out += 2 * (W.C[2 * i] * s[n][0] - W.C[2 * i + 1] * s[n][1]);
      }
      y[d2 * H + h] += q[h * hd + d1] * out;
    }
  }
  return lin(y, W.output_linear, W.output_linear_bias, d);
}

test('h3 graph = h3.py step recurrence (d 8, N 4, head_dim 2)', async () => {
  const [d, N, hd] = [8, 4, 2];
  const { W, logits } = await compiled(`h3(d_state: ${N}, head_dim: ${hd})`, d);
  const shift = Array.from({ length: d }, () => new Array(N).fill(0));
  const st = Array.from({ length: d * hd }, () => Array.from({ length: N / 2 }, (): Cx => [0, 0]));
  compare(logits, IDS.map((id) => {
    const x = embed(W, id, d), o = h3Step(W, x, d, N, hd, shift, st);
    return lin(x.map((xi, i) => xi + o[i]), W['l0.lm_head/weight'], undefined, V);
  }));
});

const cmul = (a: Cx, b: Cx): Cx => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: Cx, b: Cx): Cx => { const n = b[0] ** 2 + b[1] ** 2; return [(a[0] * b[0] + a[1] * b[1]) / n, (a[1] * b[0] - a[0] * b[1]) / n]; };
const csub = (a: Cx, b: Cx): Cx => [a[0] - b[0], a[1] - b[1]];

/** Solves M·X = R (complex, M n × n, R n × m) by Gauss–Jordan with partial pivoting. */
function solve(M: Cx[][], R: Cx[][]): Cx[][] {
  const n = M.length, A = M.map((row, i) => [...row, ...R[i]]);
  for (let c = 0; c < n; c++) {
    const piv = A.slice(c).reduce((b, row, i) => (Math.hypot(...row[c]) > Math.hypot(...A[b][c]) ? c + i : b), c);
    [A[c], A[piv]] = [A[piv], A[c]];
    A[c] = A[c].map((v) => cdiv(v, A[c][c]));
    for (let r = 0; r < n; r++) if (r !== c) { const f = A[r][c]; A[r] = A[r].map((v, j) => csub(v, cmul(f, A[c][j]))); }
  }
  return A.map((row) => row.slice(n));
}

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x < 0 ? -y : y;
}

/** Ā and B̄ of channel h: the bilinear discretisation of the full 2S × 2S DPLR matrix. */
function s4System(W: Weights, h: number, S: number): { Ab: Cx[][]; Bb: Cx[]; c: Cx[] } {
  const half = (t: Float32Array, n: number): Cx => [t[2 * (h * S + n)], t[2 * (h * S + n) + 1]];
  const full = (f: (n: number) => Cx): Cx[] => [...Array.from({ length: S }, (_, n) => f(n)), ...Array.from({ length: S }, (_, n) => { const z = f(n); return [z[0], -z[1]] as Cx; })];
  const lam = full((n) => [-Math.exp(W.A_real[h * S + n]), -W.A_imag[h * S + n]]);
  const p = full((n) => half(W.P, n)), b = full((n) => half(W.B, n)), c = full((n) => half(W.C, n));
  const dt = Math.exp(W.log_dt[h]), N = 2 * S;
  const A = (i: number, j: number): Cx => csub(i === j ? lam[i] : [0, 0], cmul(p[i], [p[j][0], -p[j][1]]));
  const M = (sign: number): Cx[][] => Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => {
    const a = A(i, j);
    return [(i === j ? 1 : 0) + (sign * dt * a[0]) / 2, (sign * dt * a[1]) / 2] as Cx;
  }));
  const X = solve(M(-1), M(1).map((row, i) => [...row, [dt * b[i][0], dt * b[i][1]] as Cx]));
  return { Ab: X.map((row) => row.slice(0, N)), Bb: X.map((row) => row[N]), c };
}

test('s4 graph (Cauchy kernel, FFT convolution) = the dense bilinear DPLR recurrence (H 4, N 6)', async () => {
  const [H, N] = [4, 6];
  const { W, logits } = await compiled(`s4(d_state: ${N})`, H);
  const sys = Array.from({ length: H }, (_, h) => s4System(W, h, N / 2));
  const xs = sys.map((): Cx[] => Array.from({ length: N }, (): Cx => [0, 0]));
  compare(logits, IDS.map((id) => {
    const u = embed(W, id, H);
    const y = sys.map(({ Ab, Bb, c }, h) => {
      const x = Ab.map((row, i) => row.reduce((s, a, j) => { const m = cmul(a, xs[h][j]); return [s[0] + m[0], s[1] + m[1]] as Cx; }, [Bb[i][0] * u[h], Bb[i][1] * u[h]] as Cx));
      xs[h] = x;
      return x.reduce((s, xi, i) => s + cmul(c[i], xi)[0], 0) + W.D[h] * u[h];
    });
    const z = lin(y.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))), W.output_linear, W.output_linear_bias, 2 * H);
    const o = z.slice(0, H).map((v, i) => v / (1 + Math.exp(-z[H + i])));
    return lin(u.map((ui, i) => ui + o[i]), W['l0.lm_head/weight'], undefined, V);
  }));
});
