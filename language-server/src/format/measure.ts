/** Text renderings of a MeasureResult: the `archlens run` table and the rows of docs/measured-vs-estimated.md. */
import { formatBytes, formatCount, formatFlops } from './units';
import type { CpuFigures, MeasureResult, PhaseResult } from '../measure/types';

export const us = (x: number): string => (!Number.isFinite(x) ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(x >= 100 ? 0 : 1)} µs`);
export const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');

function phaseLine(name: string, p: PhaseResult): string {
  return `  ${name.padEnd(8)} ${us(p.estimatedUs).padStart(10)}  ${us(p.measuredUs).padStart(10)}  ${ratio(p.ratio).padStart(7)}  ${p.bound.padEnd(7)}  ${p.approximate ? '≈ ' : ''}${p.method}\n`;
}

export function cpuLine(f: CpuFigures): string {
  return `${f.model}, ${f.cores} logical cores, ${f.arch}: ${formatFlops(f.flops)}/s fp32 (${f.matmulN}² MatMul), ${formatBytes(f.bandwidth)}/s read (${formatBytes(f.streamBytes)} ReduceSum); ${f.runtime}, measured ${f.measuredAt}`;
}

export function formatRunTable(r: MeasureResult): string {
  const head = `${r.model}${r.probe ? ` (probe ${r.probe})` : ''}: ${formatCount(r.params)} params, T = L = ${r.seq}, ${r.runs} runs (median), provider ${r.provider}\n` +
    `  device   ${r.device.name}: ${formatFlops(r.device.peakFlops)}/s fp32, ${formatBytes(r.device.bandwidth)}/s\n` +
    `  per token   estimated    measured    ratio  bound    method\n`;
  const tried = r.attempts.filter((a) => !a.ok).map((a) => `${a.provider} (${a.error ?? 'failed'})`);
  return head + phaseLine('prefill', r.prefill) + phaseLine('decode', r.decode) +
    (tried.length ? `  providers tried first: ${tried.join('; ')}\n` : '') +
    r.notes.map((n) => `  note: ${n}\n`).join('');
}

/** One markdown table row: model, probe, params, est./measured prefill, ratio, est./measured decode, ratio, provider. */
export function markdownRow(r: MeasureResult): string {
  const cells = [r.model, `\`${r.probe || 'full'}\``, formatCount(r.params),
    us(r.prefill.estimatedUs), us(r.prefill.measuredUs), ratio(r.prefill.ratio), r.prefill.bound,
    us(r.decode.estimatedUs), `${r.decode.approximate ? '≈ ' : ''}${us(r.decode.measuredUs)}`, ratio(r.decode.ratio), r.decode.bound, r.provider];
  return `| ${cells.join(' | ')} |`;
}

export const MARKDOWN_HEAD = '| model | probe | params | prefill est. /tok | prefill measured /tok | ratio | bound | decode est. /tok | decode measured /tok | ratio | bound | provider |\n' +
  '|---|---|--:|--:|--:|--:|---|--:|--:|--:|---|---|';
