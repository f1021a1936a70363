/** The plain-text view of a serving estimate (`archlens estimate` without --json). */
import type { ServingEstimate } from '../serving/estimate';
import type { PhaseTime } from '../serving/timing';
import { formatBytes, formatSeconds } from '../format/units';

function phaseLine(name: string, p: PhaseTime): string {
  const kinds = Object.entries(p.byKind).sort((a, b) => b[1].seconds - a[1].seconds).slice(0, 4)
    .map(([k, v]) => `${k} ${formatSeconds(v.seconds)}`).join(', ');
  return `${name.padEnd(13)} compute ${formatSeconds(p.compute)} · memory ${formatSeconds(p.memory)} · communication ${formatSeconds(p.communication)} · overhead ${formatSeconds(p.overhead)}${kinds ? `\n${''.padEnd(13)} by kind: ${kinds}` : ''}`;
}

export function renderEstimateText(modelName: string, e: ServingEstimate, ideal?: ServingEstimate): string {
  const d = e.deployment, w = e.workload, m = e.memory;
  const par = `TP ${d.tp} · PP ${d.pp} · EP ${d.ep} · ${d.gpus / (d.tp * d.pp)} replica(s)`;
  const lines = [
    `model ${modelName}  —  ${d.gpus} × ${d.hardware.name}, ${par}, ${d.framework}`,
    `workload      B = ${w.batch}, input ${w.input}, output ${w.output}; weights ${d.weights.id} (${d.weights.bitsPerWeight} bits), compute ${d.activation}, KV ${d.kvDtype}`,
    `TTFT          ${formatSeconds(e.ttft)}${ideal ? `   (ideal roofline ${formatSeconds(ideal.ttft)})` : ''}`,
    `TPOT          ${formatSeconds(e.tpot)} mean over ${e.decodeSteps} decode steps${ideal ? `   (ideal ${formatSeconds(ideal.tpot)})` : ''}`,
    `end to end    ${formatSeconds(e.e2e)}${e.waves > 1 ? ` in ${e.waves} waves of ≤ ${e.concurrency} sequences (the batch does not fit at once)` : ''}`,
    `throughput    ${e.outputTokensPerS.toFixed(1)} output tok/s (${e.outputTokensPerSPerGpu.toFixed(1)} per GPU), ${e.inputTokensPerS.toFixed(0)} input tok/s in prefill`,
    `memory/GPU    weights ${formatBytes(m.weights)} + KV ${formatBytes(m.kv)} + activations ${formatBytes(m.activations)} + workspace ${formatBytes(m.workspace)} = ${formatBytes(m.total)} of ${formatBytes(m.capacity)}: ${m.fits ? 'fits' : 'DOES NOT FIT'}; largest batch that fits ${m.maxBatch}`,
    phaseLine('prefill', e.prefill),
    phaseLine('decode', e.decode),
  ];
  return `${lines.join('\n')}\n`;
}
