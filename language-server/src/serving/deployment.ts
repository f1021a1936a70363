/**
 * A Deployment from user choices (CLI flags or editor settings), with defaults and clear errors:
 * gpus = tp·pp unless given; weights in the model's own `dtype` unless `weights` names a format; the activation
 * dtype follows the weights (fp8 for W8A8 fp8, else the model's 16-bit dtype); KV in the model's `kv_dtype`, else
 * the 16-bit activation dtype (vLLM's `kv_cache_dtype=auto`).
 */
import type { ModelInstance } from '../semantic/instances';
import { findHardware, HARDWARE, type Hardware } from '../cost/hardware';
import { DTYPES } from '../kinds/dtypes';
import { findFormat, formatOfDtype, WEIGHT_FORMATS } from './formats';
import { FRAMEWORKS } from './calibration';
import type { Deployment } from './types';

export interface DeploymentChoice {
  readonly hardware: string;
  readonly customHardware?: readonly Hardware[];
  readonly gpus?: number;
  readonly tp?: number;
  readonly pp?: number;
  readonly ep?: number;
  /** Activation / compute dtype; default from the weights. */
  readonly dtype?: string;
  /** A weight format (formats.ts) or a dtype of the language. */
  readonly weights?: string;
  readonly kvDtype?: string;
  readonly framework?: string;
}

const SIXTEEN = new Set(['bf16', 'fp16']);

export function deploymentFor(model: ModelInstance, c: DeploymentChoice): Deployment {
  const hardware = findHardware(c.hardware, c.customHardware ?? []);
  if (!hardware) throw new Error(`unknown hardware '${c.hardware}'; known: ${[...HARDWARE, ...(c.customHardware ?? [])].map((h) => h.id).join(', ')}`);
  const weights = c.weights ? findFormat(c.weights) ?? (DTYPES.includes(c.weights) ? formatOfDtype(c.weights) : undefined) : formatOfDtype(c.dtype ?? model.dims.dtype);
  if (!weights) throw new Error(`unknown weight format '${c.weights}'; known: ${WEIGHT_FORMATS.map((f) => f.id).join(', ')}`);
  for (const [flag, v] of [['--dtype', c.dtype], ['--kv-dtype', c.kvDtype]] as const) {
    if (v !== undefined && !DTYPES.includes(v)) throw new Error(`unknown ${flag} '${v}'; known: ${DTYPES.join(', ')}`);
  }
  const framework = c.framework ?? 'vllm';
  if (!FRAMEWORKS.includes(framework)) throw new Error(`unknown framework '${framework}'; known: ${FRAMEWORKS.join(', ')}`);
  const base16 = SIXTEEN.has(model.dims.dtype) ? model.dims.dtype : 'bf16';
  const activation = c.dtype ?? (weights.compute === 'fp8' ? 'fp8' : base16);
  const kvDtype = c.kvDtype ?? model.dims.kv_dtype ?? (SIXTEEN.has(activation) ? activation : base16);
  const tp = c.tp ?? 1, pp = c.pp ?? 1;
  return { hardware, gpus: c.gpus ?? tp * pp, tp, pp, ep: c.ep ?? 1, activation, weights, kvDtype, framework };
}
