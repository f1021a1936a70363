/** Markdown cost card shared by hover (block, layer group, model, block definition). */
import type { BlockReport, ModelReport } from '../../cost/engine';
import type { BlockCost } from '../../kinds/types';
import { decodeTime, prefillTime, sumCosts } from '../../cost/algebra';
import { peakFlops } from '../../cost/hardware';
import { blockKind } from '../../kinds';
import { finiteText, formatBytes, formatCount, formatFlops, formatIntensity, formatPercent, formatSeconds } from '../../format/units';

/** Sums the all-occurrence costs of several block reports. */
export function sumBlocks(blocks: readonly BlockReport[]): BlockCost {
  return sumCosts(blocks.map((b) => b.all));
}

export function costCard(title: string, c: BlockCost, r: ModelReport, note?: string): string {
  const hw = r.hardware;
  const phase = { batch: r.batch, seq: r.seq, peak: peakFlops(hw, r.dtype), bandwidth: hw.bandwidth };
  const decode = decodeTime(c, phase);
  const prefill = prefillTime(c, phase);
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
  out.push('', `*B = ${r.batch}, ${r.dtype}; 1 MAC = 2 FLOPs${attentionNote(r)}.*`);
  if (note) out.push('', note);
  if (c.formula.length) out.push('', '```text', ...c.formula.map(finiteText), '```');
  return out.join('\n');
}

/** `; causal attention` (or the masks its attention uses) where the model has attention at all: Hyena, RetNet… have none. */
function attentionNote(r: ModelReport): string {
  const masks = new Set<string>();
  for (const b of r.blocks) {
    const m = blockKind(b.instance.kind)?.mask?.(b.instance.args);
    if (m) masks.add(m);
  }
  return masks.size ? `; ${[...masks].join(' / ')} attention` : '';
}
