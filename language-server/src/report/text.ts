/** Plain-text report: one table of blocks per model, then totals and roofline times. */
import type { BlockReport, ModelReport } from '../cost/engine';
import { formatBytes, formatCount, formatExact, formatFlops, formatIntensity, formatPercent, formatSeconds } from '../format/units';
import { warningText } from '../format/warnings';

export function renderModelText(r: ModelReport): string {
  const t = r.totals;
  const out: string[] = [];
  out.push(`model ${r.model.name}  —  L = ${r.seq.toLocaleString('en-US')}, B = ${r.batch}, ${r.dtype}, ${r.hardware.name}`);
  out.push(table(r.blocks, t.params.total));
  out.push(`params        ${formatExact(t.params.total)} total (${formatCount(t.params.total)}), ${formatExact(t.params.active)} active (${formatCount(t.params.active)})`);
  out.push(`FLOPs/token   prefill ${formatFlops(t.flops.prefillPerToken)}, decode@L ${formatFlops(t.flops.decodePerToken)}, training ${formatFlops(t.flops.trainingPerToken)}`);
  out.push(`memory        weights ${formatBytes(t.weightBytes)}${t.hostWeightBytes ? ` (+${formatBytes(t.hostWeightBytes)} in host memory)` : ''}, KV/state ${formatBytes(t.cacheBytesPerSequence)} per sequence, device total ${formatBytes(r.deviceBytes)} of ${formatBytes(r.hardware.memory)}`);
  out.push(`decode step   moves ${formatBytes(t.decodeBytesPerStep)}${t.expertBytesPerStep ? ` (experts ${formatBytes(t.expertBytesPerStep)})` : ''}, intensity ${formatIntensity(r.decode.intensity)}`);
  out.push(`roofline      prefill ${formatSeconds(r.prefill.seconds)} (${r.prefill.bound}-bound), decode ${formatSeconds(r.decode.seconds)}/step (${r.decode.bound}-bound)`);
  if (r.hostLink) {
    out.push(`host link     ${formatBytes(r.hostLink.bytesPerStep)}/step = ${formatSeconds(r.hostLink.seconds)} over ${r.hardware.hostLinkName}; prefetch window ${formatSeconds(r.hostLink.prefetchWindowSeconds)} → ${r.hostLink.hidden ? 'hidden' : 'NOT hidden'}`);
  }
  for (const w of r.warnings) out.push(`warning: ${warningText(w)}`);
  return out.join('\n');
}

function table(blocks: readonly BlockReport[], total: number): string {
  const head = ['block', 'count', 'params', 'share', 'active', 'FLOPs/tok prefill', 'decode@L', 'KV/state', 'decode bytes', 'bound'];
  const rows = blocks.map((b) => [
    b.instance.path.join(' › '), String(b.instance.count), formatCount(b.all.params), formatPercent(b.all.params, total),
    formatCount(b.all.active), formatFlops(b.all.prefillFlops), formatFlops(b.all.decodeFlops), formatBytes(b.all.cacheBytes),
    formatBytes(b.all.decodeBytes), b.decode.bound,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
