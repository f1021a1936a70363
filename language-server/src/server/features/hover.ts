/** textDocument/hover: cost card for the block, layer group, model or block definition under the cursor. */
import type { BlockReport, ModelReport } from '../../cost/engine';
import type { BlockDef, BlockUse, LayersGroup, ModelDecl } from '../../syntax/ast';
import { weightCopies, type BlockInstance, type ModelInstance } from '../../semantic/instances';
import { blockKind } from '../../kinds';
import { costModel } from '../../cost/engine';
import { formatBytes, formatCount, formatFlops, formatSeconds } from '../../format/units';
import { costCard, servingRows, sumBlocks } from './card';
import { deploymentParams, servingPair } from './deployment';
import { trainingEstimate, trainingParams } from './training';
import type { ArchSettings } from './settings';
import type { DocState } from './docState';
import { allUses, locate } from './locate';
import { costOptions } from './settings';
import { Elaborator } from '../../semantic/elaborate';
import { DiagnosticSink } from '../../semantic/diagnostics';
import { warningText } from '../../format/warnings';
import { firstIndices, layerCount, type LayerSet } from '../../semantic/expansion';

export interface HoverResult { readonly markdown: string; readonly start: number; readonly end: number }

export function handleHover(doc: DocState, offset: number): HoverResult | undefined {
  const t = locate(doc.analysis.ast, offset);
  if (!t) return undefined;
  switch (t.kind) {
    case 'model': {
      const m = doc.analysis.model(t.node);
      return m && { markdown: modelCard(doc.report(m), modelServing(m, doc.settings)) + (t.node.doc ? `\n\n---\n${t.node.doc}` : ''), start: t.node.name.start, end: t.node.name.end };
    }
    case 'use': return useHover(doc, t.node, t.container);
    case 'layers': return groupHover(doc, t.node, t.container);
    case 'arg': {
      const spec = blockKind(t.use.name.text)?.params.find((p) => p.name === t.node.name.text);
      return spec && { markdown: `**${spec.name}**: ${spec.type}${spec.default !== undefined ? ` = ${JSON.stringify(spec.default)}` : ''}\n\n${spec.doc}`, start: t.node.name.start, end: t.node.name.end };
    }
    case 'def': {
      const h = defHover(doc, t.node.name.text, t.node.name, t.node);
      return h && t.node.doc ? { ...h, markdown: `${h.markdown}\n\n---\n${t.node.doc}` } : h;
    }
  }
}

/**
 * Models that can reach `container`: itself when it is a model; for a block definition, first the
 * models that name it directly (found in the syntax tree, without elaborating), then all others.
 */
function* candidateModels(doc: DocState, container: ModelDecl | BlockDef): Generator<ModelInstance> {
  if (container.kind === 'Model') { yield doc.analysis.model(container); return; }
  const models = doc.analysis.ast.items.filter((i): i is ModelDecl => i.kind === 'Model' && !!i.name.text);
  const direct = models.filter((m) => allUses(m.body).some((u) => u.name.text === container.name.text));
  for (const m of direct) yield doc.analysis.model(m);
  for (const m of models) if (!direct.includes(m)) yield doc.analysis.model(m);
}

/** Reports of blocks reached through `node` (the use itself, a definition use or a group), in the first model that has any. */
function matching(doc: DocState, container: ModelDecl | BlockDef, pred: (b: BlockReport) => boolean): { report: ModelReport; blocks: BlockReport[] } | undefined {
  for (const m of candidateModels(doc, container)) {
    const report = doc.report(m);
    const blocks = report.blocks.filter(pred);
    if (blocks.length) return { report, blocks };
  }
  return undefined;
}

function useHover(doc: DocState, use: BlockUse, container: ModelDecl | BlockDef): HoverResult | undefined {
  const span = { start: use.name.start, end: use.name.end };
  const hit = matching(doc, container, (b) => b.instance.site === use || b.instance.via.includes(use));
  if (!hit) return undefined;
  const count = hit.blocks.some((b) => b.instance.via.includes(use)) ? undefined : hit.blocks.reduce((s, b) => s + b.instance.count, 0);
  const first = hit.blocks[0].instance;
  const where = first.layers ? ` · layers ${compactIndices(first.layers)}` : '';
  const title = `${use.name.text}${count && count > 1 ? ` × ${count}` : ''}${where}${sharedNote(hit.blocks.map((b) => b.instance))}`;
  const kind = blockKind(use.name.text);
  return { markdown: costCard(title, sumBlocks(hit.blocks), hit.report, kind?.summary), ...span };
}

function groupHover(doc: DocState, g: LayersGroup, container: ModelDecl | BlockDef): HoverResult | undefined {
  const hit = matching(doc, container, (b) => b.instance.via.includes(g));
  if (!hit) return undefined;
  const title = `layers group (${hit.blocks.length} block lines)${sharedNote(hit.blocks.map((b) => b.instance))}`;
  return { markdown: costCard(title, sumBlocks(hit.blocks), hit.report), start: g.keyword.start, end: g.keyword.end };
}

/** ` · shared ×N` when the blocks' weights are reused N times (occurrences per distinct weight set); else ''. */
function sharedNote(blocks: readonly BlockInstance[]): string {
  const count = blocks.reduce((s, b) => s + b.count, 0);
  const copies = blocks.reduce((s, b) => s + weightCopies(b), 0);
  if (copies <= 0 || copies >= count) return '';
  const n = count / copies;
  return ` · shared ×${Number.isInteger(n) ? n : n.toFixed(1)} (${formatCount(copies)} weight set${copies === 1 ? '' : 's'} for ${formatCount(count)} occurrences)`;
}

/** A block definition is costed as one use, with the arguments and dims of its first use in a model. */
function defHover(doc: DocState, name: string, span: { start: number; end: number }, def: BlockDef): HoverResult | undefined {
  for (const m of candidateModels(doc, def)) {
    const use = firstUseOf(doc, m, name);
    if (!use) continue;
    const elab = new Elaborator(doc.analysis.program, new DiagnosticSink());
    const instances = elab.use1(doc.file, { ...use, selector: undefined, repeat: undefined }, m.dims);
    if (!instances.length) continue;
    const one: ModelInstance = { ...m, blocks: instances };
    const r = costModel(one, costOptions(doc.settings));
    const card = costCard(`block ${name} — one use, as in model ${m.name}`, sumBlocks(r.blocks), { ...doc.report(m), seq: r.seq });
    return { markdown: card, ...span };
  }
  return { markdown: `**block ${name}**\n\nNot used by any model in this file, so it has no cost yet.`, ...span };
}

function firstUseOf(doc: DocState, m: ModelInstance, name: string): BlockUse | undefined {
  for (const b of m.blocks) {
    for (const v of b.via) if (v.kind === 'Use' && v.name.text === name) return v;
  }
  return undefined;
}

/** The serving rows of a model card, on the deployment of the archlens.* settings. */
function modelServing(m: ModelInstance, s: ArchSettings): [string, string][] {
  const p = deploymentParams(s);
  return [...servingRows(p, servingPair(m, s, p)), ...trainingRows(m, s)];
}

/** With a `tokens` setting: the training estimate on the settings' cluster, data parallel (features/training.ts). */
function trainingRows(m: ModelInstance, s: ArchSettings): [string, string][] {
  const tokens = m.dims.tokens;
  if (tokens === undefined) return [];
  const e = trainingEstimate(m, s, trainingParams(m, s, 0));
  if ('error' in e) return [['training', `⚠ ${e.error.replace(/\|/g, '\\|')}`]];
  const where = `${e.setup.layout.gpus} × ${e.setup.hardware.short ?? e.setup.hardware.name}, dp ${e.setup.layout.dp}, ZeRO-1`;
  return [[`training (${formatCount(tokens)} tokens, ${where})`, `${formatCount(e.gpuHours)} GPU-hours · ${e.days < 1e21 ? e.days.toFixed(1) : formatCount(e.days)} days · MFU ${(e.mfu * 100).toFixed(0)} %${e.memory.fits ? '' : ' · ⚠ does not fit one GPU\'s memory: see the dashboard\'s Training layouts'}`]];
}

export function modelCard(r: ModelReport, serving: readonly [string, string][] = []): string {
  const t = r.totals;
  const L = `L = ${r.seq.toLocaleString('en-US')}`;
  const rows: [string, string][] = [
    ['params', `${formatCount(t.params.total)} total · ${formatCount(t.params.active)} active`],
    ['FLOPs / token', `prefill ${formatFlops(t.flops.prefillPerToken)} · decode@${r.seq.toLocaleString('en-US')} ${formatFlops(t.flops.decodePerToken)} · training ${formatFlops(t.flops.trainingPerToken)}`],
    ['memory', `weights ${formatBytes(t.weightBytes)}${t.hostWeightBytes ? ` (+${formatBytes(t.hostWeightBytes)} host)` : ''} · KV/state ${formatBytes(t.cacheBytesPerSequence)}/seq`],
    ...serving,
    ['decode step', `moves ${formatBytes(t.decodeBytesPerStep)} · ideal roofline ${formatSeconds(r.decode.seconds)} ${r.decode.bound}-bound at ${L}`],
    ['prefill', `ideal roofline ${formatSeconds(r.prefill.seconds)} ${r.prefill.bound}-bound (B = ${r.batch}, ${L})`],
  ];
  const out = [`**model ${r.model.name}** on ${r.hardware.name}`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  for (const w of r.warnings) out.push('', `⚠ ${warningText(w)}`);
  return out.join('\n');
}

/** `0…31 (all 32)`, `1, 3, 5` or `0, 2, 4, 6, 8, 10, … (500000 of 1000000)`, without building a whole group's list. */
function compactIndices(layers: LayerSet): string {
  const count = layerCount(layers), of = layers.of;
  if (count === of) return `0…${of - 1} (all ${of})`;
  if (count <= 8) return firstIndices(layers, 8).join(', ');
  return `${firstIndices(layers, 6).join(', ')}, … (${count} of ${of})`;
}
