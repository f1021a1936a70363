/**
 * Gate views drawn as layers × tokens or bars: per-token gates of recurrent kinds (Mamba Δ, decay, write strength,
 * Titans θ/α/η; mean over channels or heads), the MoE expert load over the text (a bar per expert), and the mHC
 * composite gain across depth (max absolute row sum of H^res_l ⋯ H^res_0 per token). Pure data functions first.
 */
import type { TokenGateKind } from '../language-server/src/protocol/gates';
import { el } from './dom';
import type { LayerTensor, MatrixSpec, TokenGate } from './heatmap';

export const TOKEN_GATE_TITLES: Record<TokenGateKind, string> = {
  ssm_delta: 'Mamba Δ (selectivity: large Δ resets to the input)',
  decay: 'Decay per step (RetNet γ, Gated DeltaNet α, RWKV w: state kept)',
  write: 'Write strength (Gated DeltaNet β, RWKV-7 a)',
  titans_theta: 'Titans θ (surprise learning rate)',
  titans_alpha: 'Titans α (forget)',
  titans_eta: 'Titans η (momentum)',
};

/** Batch 0, mean over the trailing channel axis (if any): one row of T values. */
export function tokenMeans(t: LayerTensor): number[] {
  const T = t.dims[1];
  const C = t.dims.length > 2 ? t.dims.slice(2).reduce((a, b) => a * b, 1) : 1;
  return Array.from({ length: T }, (_, i) => {
    let s = 0;
    for (let c = 0; c < C; c++) s += t.data[i * C + c];
    return C ? s / C : 0;
  });
}

/** Mean routing probability per expert over the tokens of batch 0, for an [B,T,E] moe_probs tensor. */
export function expertLoad(t: LayerTensor): number[] {
  const [T, E] = [t.dims[1], t.dims[2]];
  const load = new Array<number>(E).fill(0);
  for (let i = 0; i < T; i++) for (let e = 0; e < E; e++) load[e] += t.data[i * E + e] / T;
  return load;
}

/** Composite gain per (H^res, token): max row sum of |H_l ⋯ H_0| over the hc_res gates in depth order (batch 0; hc_res_l{i} before hc_res_l{i}_b). */
export function compositeGain(hcs: readonly LayerTensor[]): number[][] {
  if (!hcs.length) return [];
  const [T, n] = [hcs[0].dims[1], hcs[0].dims[2]];
  const rows: number[][] = hcs.map(() => new Array<number>(T).fill(0));
  for (let i = 0; i < T; i++) {
    let P: number[] = Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
    hcs.forEach((h, l) => {
      const H = (a: number, b: number): number => h.data[(i * n + a) * n + b];
      P = Array.from({ length: n * n }, (_, k) => { let s = 0; for (let m = 0; m < n; m++) s += H(Math.floor(k / n), m) * P[m * n + (k % n)]; return s; });
      rows[l][i] = Math.max(...Array.from({ length: n }, (_, a) => P.slice(a * n, a * n + n).reduce((s, x) => s + Math.abs(x), 0)));
    });
  }
  return rows;
}

/** The layers × tokens matrix of one per-token gate kind. */
export function tokenGateSpec(kind: TokenGateKind, ts: readonly TokenGate[], cols: readonly string[]): MatrixSpec {
  const rows = ts.filter((t) => t.kind === kind);
  const values = rows.map(tokenMeans);
  const max = Math.max(1e-12, ...values.flat());
  return { id: `gate-${kind}`, what: TOKEN_GATE_TITLES[kind], rows: rows.map((t) => `layer ${t.layer}`), cols, value: (r, c) => values[r][c] ?? 0, scale: max > 1 ? max : 1 };
}

export function gainSpec(hcs: readonly LayerTensor[], cols: readonly string[]): MatrixSpec {
  const g = compositeGain(hcs);
  const max = Math.max(1, ...g.flat());
  return { id: 'mhc-gain', what: 'mHC composite gain (max |row sum| of H_l⋯H_0)', rows: hcs.map((h) => `≤ layer ${h.layer}${h.index ? ` (${String.fromCharCode(97 + h.index)})` : ''}`), cols, value: (r, c) => g[r][c] ?? 0, scale: max };
}

/** One bar per expert (width ∝ load; 1/E marks the balanced share). */
export function loadBars(moe: readonly LayerTensor[]): HTMLElement {
  const box = el('div', { class: 'load-bars', attrs: { id: 'moe-load', role: 'table', 'aria-label': 'MoE expert load over the text' } });
  for (const t of moe) {
    const load = expertLoad(t);
    const top = Math.max(1e-12, ...load);
    box.append(el('div', { class: 'load-layer', text: `layer ${t.layer} (balanced: ${(100 / load.length).toFixed(1)} %)` }));
    load.forEach((v, e) => {
      const bar = el('span', { class: 'load-bar', data: { load: v.toFixed(4) }, title: `layer ${t.layer}, expert ${e}: ${(100 * v).toFixed(1)} % of the routing mass` });
      bar.style.width = `${(100 * v) / top}%`;
      box.append(el('div', { class: 'load-row', attrs: { role: 'row' } }, [el('span', { class: 'row-label', text: `e${e}` }), bar, el('span', { class: 'note', text: `${(100 * v).toFixed(1)} %` })]));
    });
  }
  return box;
}
