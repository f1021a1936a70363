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

/** `^(engram_alpha|…|hc_post)_l(\d+)$`, as docs/gates.md states it. */
export const GATE_NAME = new RegExp(`^(${GATE_KINDS.join('|')})_l(\\d+)$`);

/** Kind and decoder layer of a gate output name, or undefined for any other output. */
export function parseGateName(name: string): { kind: GateKind; layer: number } | undefined {
  const m = GATE_NAME.exec(name);
  return m ? { kind: m[1] as GateKind, layer: Number(m[2]) } : undefined;
}

/** Whether the gate panel draws this output. */
export function isDrawnGate(name: string): boolean {
  const g = parseGateName(name);
  return g !== undefined && (DRAWN_GATE_KINDS as readonly string[]).includes(g.kind);
}
