/** The gate tensors the panel posts to its webview, and what it says about those it cannot show faithfully. No 'vscode' import. */
import type { OutputTensor } from '../../language-server/src/protocol/inference';
import type { GateRun } from '../../language-server/src/protocol/webview';
import { isDrawnGate } from '../../language-server/src/protocol/gates';

/** The most gate values posted to the webview (long text runs in chunks: extension/panels/chunks.ts). */
export const MAX_VALUES = 4_000_000;

/** The panel draws gate tensors of at most this rank (the webview protocol's limit). */
export const MAX_GATE_RANK = 8;

/**
 * Gate outputs only (logits are not shown), as plain number arrays, within the size the webview can draw. What
 * cannot be shown faithfully is said in `notes`, not hidden: NaN / infinite values (drawn as 0) and gates of too
 * high a rank (left out).
 */
export function gateOutputs(outputs: readonly OutputTensor[], notes: string[] = []): GateRun['outputs'] {
  const drawn = outputs.filter((o) => isDrawnGate(o.name));
  for (const o of drawn.filter((x) => x.dims.length > MAX_GATE_RANK)) notes.push(`${o.name} has ${o.dims.length} dimensions; the panel draws gates of at most ${MAX_GATE_RANK}: left out`);
  const gates = drawn.filter((o) => o.dims.length <= MAX_GATE_RANK);
  const total = gates.reduce((s, o) => s + o.data.length, 0);
  if (total > MAX_VALUES) throw new Error(`the gate outputs hold ${total.toLocaleString('en-US')} values, more than the ${MAX_VALUES.toLocaleString('en-US')} the panel draws`);
  return gates.map((o) => {
    const bad = Array.from(o.data).filter((x) => !Number.isFinite(Number(x))).length;
    if (bad) notes.push(`${o.name}: ${bad.toLocaleString('en-US')} of ${o.data.length.toLocaleString('en-US')} values are NaN or infinite (the model produced them); drawn as 0`);
    return { name: o.name, dims: [...o.dims], data: Array.from(o.data, (x) => (Number.isFinite(x) ? Number(x) : 0)) };
  });
}
