/**
 * Gate output names (docs/gates.md is the spec): the naming convention of compiled graphs' gate outputs, defined
 * once here for the ONNX validation (onnx/info.ts) and, re-exported by protocol/gates.ts, for the
 * gate panel host (extension/panels/gatesPanel.ts) and the webview heatmaps (webview/heatmap.ts).
 */
export const GATE_KINDS = [
  'engram_alpha', 'moe_probs', 'attn_probs', 'hc_res', 'hc_pre', 'hc_post',
  'ssm_delta', 'decay', 'write', 'titans_theta', 'titans_alpha', 'titans_eta',
] as const;
export type GateKind = (typeof GATE_KINDS)[number];

/** The kinds the gate panel draws; `hc_pre` / `hc_post` are valid gate outputs but have no heatmap yet. */
export const DRAWN_GATE_KINDS = [
  'engram_alpha', 'moe_probs', 'attn_probs', 'hc_res', 'ssm_delta', 'decay', 'write', 'titans_theta', 'titans_alpha', 'titans_eta',
] as const satisfies readonly GateKind[];

/** Per-token gates `[B, T]` or `[B, T, C]` (C channels or heads), drawn as layers × tokens (mean over C). */
export const TOKEN_GATE_KINDS = ['ssm_delta', 'decay', 'write', 'titans_theta', 'titans_alpha', 'titans_eta'] as const satisfies readonly DrawnGateKind[];
export type TokenGateKind = (typeof TOKEN_GATE_KINDS)[number];
export type DrawnGateKind = (typeof DRAWN_GATE_KINDS)[number];

/**
 * `^(engram_alpha|…|hc_post)_l(\d+)(?:_([b-z]))?$`, as docs/gates.md states it. A second (third, …) gate of one kind
 * in one layer takes the suffix `_b` (`_c`, …): the FFN-side hyper-connection of a layer is `hc_res_l{i}_b`.
 */
export const GATE_NAME = new RegExp(`^(${GATE_KINDS.join('|')})_l(\\d+)(?:_([b-z]))?$`);

/** The name of the `index`-th (0-based) gate of `kind` in `layer`: `hc_res_l3`, then `hc_res_l3_b`, … */
export function gateName(kind: GateKind, layer: number, index = 0): string {
  return `${kind}_l${layer}${index > 0 ? `_${String.fromCharCode(97 + Math.min(index, 25))}` : ''}`;
}

/** Kind and decoder layer of a gate output name (and `index` ≥ 1 for a suffixed one), or undefined for any other output. */
export function parseGateName(name: string): { kind: GateKind; layer: number; index?: number } | undefined {
  const m = GATE_NAME.exec(name);
  if (!m) return undefined;
  return m[3] ? { kind: m[1] as GateKind, layer: Number(m[2]), index: m[3].charCodeAt(0) - 97 } : { kind: m[1] as GateKind, layer: Number(m[2]) };
}

/** Whether the gate panel draws this output. */
export function isDrawnGate(name: string): boolean {
  const g = parseGateName(name);
  return g !== undefined && (DRAWN_GATE_KINDS as readonly string[]).includes(g.kind);
}
