/** Markdown cost card shared by hover (block, layer group, model, block definition). */
import type { BlockReport, ModelReport } from '../../cost/engine';
import type { BlockCost } from '../../kinds/types';
import { roofline } from '../../cost/roofline';
import { peakFlops } from '../../cost/hardware';
import { finiteText, formatBytes, formatCount, formatFlops, formatIntensity, formatPercent, formatSeconds } from '../../format/units';

/** Sums the all-occurrence costs of several block reports. */
export function sumBlocks(blocks: readonly BlockReport[]): BlockCost {
  const z = { params: 0, active: 0, prefillFlops: 0, decodeFlops: 0, cacheBytes: 0, weightBytes: 0, hostWeightBytes: 0, decodeBytes: 0, hostDecodeBytes: 0, expertBytesDecode: 0 };
  for (const b of blocks) {
    for (const k of Object.keys(z) as (keyof typeof z)[]) z[k] += (b.all[k] as number | undefined) ?? 0;
  }
  return { ...z, formula: blocks.length === 1 ? blocks[0].one.formula : [] };
}

export function costCard(title: string, c: BlockCost, r: ModelReport, note?: string): string {
  const hw = r.hardware;
  const peak = peakFlops(hw, r.dtype);
  const decode = roofline(r.batch * c.decodeFlops, c.decodeBytes, peak, hw.bandwidth);
  const prefill = roofline(r.batch * r.seq * c.prefillFlops, c.weightBytes + r.batch * c.cacheBytes, peak, hw.bandwidth);
  const L = r.seq.toLocaleString('en-US');
  const rows: [string, string][] = [
    ['params', `${formatCount(c.params)} total · ${formatCount(c.active)} active · ${formatPercent(c.params, r.totals.params.total)} of ${r.model.name}`],
    ['FLOPs / token', `prefill ${formatFlops(c.prefillFlops)} · decode@${L} ${formatFlops(c.decodeFlops)}`],
    ['KV / state', `${formatBytes(c.cacheBytes)} per sequence at L = ${L}`],
    ['decode step', `moves ${formatBytes(c.decodeBytes)}${c.expertBytesDecode ? ` (experts ${formatBytes(c.expertBytesDecode)})` : ''} · ${formatIntensity(decode.intensity)}`],
    [`roofline (${hw.name})`, `decode ${formatSeconds(decode.seconds)} ${decode.bound}-bound · prefill ${formatSeconds(prefill.seconds)} ${prefill.bound}-bound`],
  ];
  if (c.hostWeightBytes || c.hostDecodeBytes) rows.push(['host memory', `${formatBytes(c.hostWeightBytes)} tables · ${formatBytes(c.hostDecodeBytes)} per step over ${hw.hostLinkName}`]);
  const out = [`**${title}**`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  out.push('', `*B = ${r.batch}, ${r.dtype}; 1 MAC = 2 FLOPs; causal attention.*`);
  if (note) out.push('', note);
  if (c.formula.length) out.push('', '```text', ...c.formula.map(finiteText), '```');
  return out.join('\n');
}
