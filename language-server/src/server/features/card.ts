/** Markdown cost card shared by hover (block, layer group, model, block definition). */
import type { BlockReport, ModelReport } from '../../cost/engine';
import type { BlockCost } from '../../kinds/types';
import { decodeTime, prefillTime, sumCosts } from '../../cost/algebra';
import { peakFlops } from '../../cost/hardware';
import { blockKind } from '../../kinds';
import { finiteText, formatBytes, formatCount, formatFlops, formatIntensity, formatPercent, formatSeconds } from '../../format/units';
import type { DeploymentParams } from '../../protocol/dashboard';
import { frameworkSetup } from '../../serving/calibration';
import type { ServingPair } from './deployment';

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
    [`ideal roofline (${hw.name}, these blocks)`, `decode ${formatSeconds(decode.seconds)} ${decode.bound}-bound · prefill ${formatSeconds(prefill.seconds)} ${prefill.bound}-bound`],
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

/** A table cell: no pipes or line breaks from engine messages. */
const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const per = (x: number, steps: number): string => (steps ? formatSeconds(x) : '—');

/** The model card's serving rows: the calibrated estimate on the settings' deployment and the same as a bare roofline. */
export function servingRows(p: DeploymentParams, r: ServingPair | { error: string }): [string, string][] {
  if ('error' in r) return [['serving estimate', `⚠ ${cell(r.error)}`]];
  const layout = [`tp ${p.tp}`, p.pp > 1 ? `pp ${p.pp}` : '', p.ep > 1 ? `ep ${p.ep}` : ''].filter(Boolean).join(', ');
  const where = `${frameworkSetup(p.framework).fw.name}, ${p.gpus} × ${r.deployment.hardware.short}, ${layout}`;
  const e = r.estimate, i = r.ideal;
  const waves = e.waves > 1 ? ` · KV fits ${e.concurrency}: ${e.waves} waves` : '';
  return [
    [`serving (${where})`, `TTFT ${formatSeconds(e.ttft)} · TPOT ${per(e.tpot, e.decodeSteps)} · ${formatCount(e.outputTokensPerS)} tok/s (B = ${p.batch}, ${p.input.toLocaleString('en-US')} in → ${p.output.toLocaleString('en-US')} out)${waves}`],
    ['ideal roofline', `TTFT ${formatSeconds(i.ttft)} · TPOT ${per(i.tpot, i.decodeSteps)} (same deployment: datasheet peaks, no overheads)`],
  ];
}
