/**
 * A TrainingSetup from user choices (CLI flags), with defaults and clear errors for layouts that cannot run:
 * tp · cp · pp · dp ≠ gpus, TP not dividing a block's heads, EP not dividing the experts or the tp · dp ranks,
 * more pipeline stages than layers, and a global batch that does not split into whole micro-batches.
 */
import type { ModelInstance } from '../semantic/instances';
import { findHardware, HARDWARE, type Hardware } from '../cost/hardware';
import { blockKind, routedExperts } from '../kinds';
import { num } from '../kinds/formulas';
import { networkBandwidth } from './cluster';
import { RECOMPUTE, ZERO_STAGES, type Layout, type Recompute, type TrainingSetup, type ZeroStage } from './types';

export interface TrainingChoice {
  readonly hardware: string;
  readonly customHardware?: readonly Hardware[];
  readonly gpus?: number;
  readonly tp?: number; readonly pp?: number; readonly dp?: number; readonly cp?: number; readonly ep?: number; readonly vpp?: number;
  readonly zero?: string;
  readonly recompute?: string;
  readonly dtype?: string;
  readonly seq?: number;
  /** Tokens per optimizer step; a multiple of seq · dp · microBatch. */
  readonly globalBatchTokens?: number;
  readonly microBatch?: number;
  readonly tokens: number;
  readonly capacityFactor?: number;
  readonly networkGbps?: number;
}

/**
 * Mixer blocks (attention, SSM, …): one per layer, the unit pipeline stages and full recompute work in. A mixer
 * whose cost does not depend on L (linformer: position-free) still counts, by its role.
 */
export function layerCount(model: ModelInstance): number {
  const isMixer = (k: ReturnType<typeof blockKind>): boolean => k?.context !== 'position-free' || k.role === 'mixer';
  return model.blocks.reduce((s, b) => s + (isMixer(blockKind(b.kind)) ? b.count : 0), 0);
}

function layoutOf(c: TrainingChoice): Layout {
  const tp = c.tp ?? 1, pp = c.pp ?? 1, cp = c.cp ?? 1, ep = c.ep ?? 1, vpp = c.vpp ?? 1;
  const model = tp * pp * cp;
  const gpus = c.gpus ?? model * (c.dp ?? 1);
  if (gpus % model !== 0) throw new Error(`--gpus ${gpus} is not a multiple of tp·cp·pp = ${model}`);
  const dp = c.dp ?? gpus / model;
  if (tp * cp * pp * dp !== gpus) throw new Error(`tp·cp·pp·dp = ${tp}·${cp}·${pp}·${dp} = ${tp * cp * pp * dp} ≠ --gpus ${gpus}`);
  return { gpus, tp, pp, dp, cp, ep, vpp };
}

function checkModel(model: ModelInstance, l: Layout): void {
  for (const b of model.blocks) {
    const heads = num(b.args, 'heads');
    if (heads > 0 && heads % l.tp !== 0) throw new Error(`--tp ${l.tp} does not divide the ${heads} heads of ${b.kind} (${b.path.join(' › ')})`);
    const experts = routedExperts(b)?.experts;
    if (experts !== undefined && experts % l.ep !== 0) throw new Error(`--ep ${l.ep} does not divide the ${experts} experts`);
  }
  if (l.ep > 1 && !model.blocks.some((b) => routedExperts(b))) throw new Error(`--ep ${l.ep}: model '${model.name}' has no moe block (no kind with routed experts)`);
  if ((l.tp * l.dp) % l.ep !== 0) throw new Error(`--ep ${l.ep} must divide tp·dp = ${l.tp * l.dp} (experts are spread over the tensor- and data-parallel ranks of a stage)`);
  const layers = layerCount(model);
  if (l.pp * l.vpp > Math.max(1, layers)) throw new Error(`pp·vpp = ${l.pp * l.vpp} pipeline stages exceed the model's ${layers} layers`);
}

function positive(v: number, flag: string): number {
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`${flag} must be a positive finite number, got ${Number.isFinite(v) ? v : "a non-finite value (the model's figures overflow)"}`);
  return v;
}

function batchOf(c: TrainingChoice, l: Layout, seq: number, mb: number): number {
  const unit = l.dp * mb;
  if (c.globalBatchTokens === undefined) return unit * 4 * l.pp;
  const seqs = c.globalBatchTokens / seq;
  if (!Number.isInteger(seqs) || seqs % unit !== 0) {
    throw new Error(`--global-batch ${c.globalBatchTokens} tokens is not a whole number of micro-batches: it must be a multiple of seq·dp·micro-batch = ${seq}·${l.dp}·${mb} = ${seq * unit}`);
  }
  return seqs;
}

export function trainingSetupFor(model: ModelInstance, c: TrainingChoice): TrainingSetup {
  const hardware = findHardware(c.hardware, c.customHardware ?? []);
  if (!hardware) throw new Error(`unknown hardware '${c.hardware}'; known: ${[...HARDWARE, ...(c.customHardware ?? [])].map((h) => h.id).join(', ')}`);
  const layout = layoutOf(c);
  checkModel(model, layout);
  const zero = c.zero ?? '1';
  if (!ZERO_STAGES.includes(zero)) throw new Error(`--zero must be one of ${ZERO_STAGES.join(', ')}, got '${zero}'`);
  const recompute = (c.recompute ?? 'selective') as Recompute;
  if (!RECOMPUTE.includes(recompute)) throw new Error(`--recompute must be one of ${RECOMPUTE.join(', ')}, got '${c.recompute}'`);
  const dtype = c.dtype ?? 'bf16';
  if (dtype !== 'bf16' && dtype !== 'fp8') throw new Error(`--dtype must be bf16 or fp8, got '${dtype}'`);
  if (dtype === 'fp8' && !hardware.fp8) throw new Error(`${hardware.name} has no fp8 tensor path`);
  const seq = positive(c.seq ?? model.dims.context ?? 4096, '--seq');
  if (seq % layout.cp !== 0) throw new Error(`--cp ${layout.cp} does not divide --seq ${seq}`);
  const microBatch = positive(c.microBatch ?? 1, '--micro-batch');
  return {
    hardware, layout, zero: (zero === 'fsdp' ? 'fsdp' : Number(zero)) as ZeroStage, recompute, dtype, seq,
    globalBatch: batchOf(c, layout, seq, microBatch), microBatch, tokens: positive(c.tokens, '--tokens'),
    capacityFactor: positive(c.capacityFactor ?? 1, '--capacity-factor'),
    networkBandwidth: networkBandwidth(hardware, c.networkGbps).bytesPerS,
  };
}
