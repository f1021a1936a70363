/** The plain-text view of a training estimate (`archlens train-estimate` without --json). */
import type { TrainingEstimate } from '../training/estimate';
import type { ComputeOptimal } from '../training/chinchilla';
import { formatBytes, formatSeconds } from '../format/units';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const big = (x: number): string => x.toExponential(2);

function chinchillaLine(c: ComputeOptimal | undefined): string {
  if (!c) return 'compute-optimal  not shown: the Chinchilla fit covers dense Transformers only';
  return `compute-optimal  for 6·N·D = ${big(c.budgetFlops)} FLOPs: N ${big(c.params)}, D ${big(c.tokens)} tokens, loss ${c.optimalLoss.toFixed(3)} (this model: ${c.modelLoss.toFixed(3)}) — ${c.source}`;
}

export function renderTrainingText(modelName: string, e: TrainingEstimate, chinchilla?: ComputeOptimal): string {
  const s = e.setup, l = s.layout, m = e.memory, st = e.step;
  const lines = [
    `model ${modelName}  —  ${l.gpus} × ${s.hardware.name}: TP ${l.tp} · CP ${l.cp} · PP ${l.pp}${l.vpp > 1 ? ` (×${l.vpp} virtual)` : ''} · DP ${l.dp} · EP ${l.ep}; ZeRO ${s.zero}, recompute ${s.recompute}, ${s.dtype}`,
    `batch         ${s.globalBatch} × ${s.seq} tokens per step, micro-batch ${s.microBatch} (${e.microBatches} per replica)`,
    `step time     ${formatSeconds(st.seconds)} = compute ${formatSeconds(st.compute)} + TP ${formatSeconds(st.tp)} + EP ${formatSeconds(st.ep)} + PP bubble ${formatSeconds(st.bubble)} + DP exposed ${formatSeconds(st.dpExposed)} (of ${formatSeconds(st.dpTotal)}) + overhead ${formatSeconds(st.overhead)}`,
    `throughput    ${e.tokensPerS.toFixed(0)} tokens/s, ${e.modelTflopsPerGpu.toFixed(0)} model TFLOP/s per GPU; MFU ${pct(e.mfu)}, HFU ${pct(e.hfu)}`,
    `memory/GPU    weights ${formatBytes(m.weights)} + gradients ${formatBytes(m.gradients)} + optimizer ${formatBytes(m.optimizer)} + activations ${formatBytes(m.activations)} + workspace ${formatBytes(m.workspace)} = ${formatBytes(m.total)} of ${formatBytes(m.capacity)}: ${m.fits ? 'fits' : 'DOES NOT FIT'}${m.host > 0 ? `; host ${formatBytes(m.host)}` : ''}`,
    `${big(s.tokens)} tokens  ${e.days.toFixed(1)} days, ${e.gpuHours.toFixed(0)} GPU-hours${e.energyKwh !== undefined ? `, ≈ ${(e.energyKwh / 1000).toFixed(1)} MWh at board TDP (rough)` : ' (no cited TDP for this device: no energy figure)'}`,
    chinchillaLine(chinchilla),
  ];
  return `${lines.join('\n')}\n`;
}
