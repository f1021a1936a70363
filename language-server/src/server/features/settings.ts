/**
 * User settings the server applies to every cost figure (`archlens.*` in the editor). Keys, defaults and
 * enums come from the schema (settings/schema.ts); the server pulls the values with
 * `workspace/configuration` (server/main.ts) and validates them here.
 */
import { findHardware, HARDWARE, type Hardware } from '../../cost/hardware';
import { parseCustomHardware } from '../../cost/customHardware';
import { DTYPES } from '../../kinds/dtypes';
import { SETTINGS } from '../../settings/schema';
import { PARALLEL_PATTERN } from '../../settings/parallel';
import { FRAMEWORKS } from '../../serving/calibration';
import type { CostOptions } from '../../cost/engine';

export interface ArchSettings {
  readonly hardware: string;
  /** 0 = the model's own `context`. */
  readonly seq: number;
  readonly batch: number;
  /** '' = the model's own dtype. */
  readonly dtype: string;
  readonly inlayHints: boolean;
  readonly codeLens: boolean;
  /** Valid `archlens.customHardware` entries (bad ones are left out and reported by `readSettingsReport`). */
  readonly customHardware: readonly Hardware[];
  /** The serving deployment (hover cards, the dashboard's Deployment section). */
  readonly gpus: number;
  /** `tp=N,pp=N,ep=N` ('' = tp over all GPUs); checked against the pattern, layout errors are shown where used. */
  readonly parallel: string;
  readonly framework: string;
  readonly input: number;
  readonly output: number;
}

export const DEFAULT_SETTINGS: ArchSettings = {
  hardware: SETTINGS.hardware.default,
  seq: SETTINGS.seq.default,
  batch: SETTINGS.batch.default,
  dtype: SETTINGS.dtype.default,
  inlayHints: SETTINGS['inlayHints.enabled'].default,
  codeLens: SETTINGS['codeLens.enabled'].default,
  customHardware: [],
  gpus: SETTINGS.gpus.default,
  parallel: SETTINGS.parallel.default,
  framework: SETTINGS.framework.default,
  input: SETTINGS.input.default,
  output: SETTINGS.output.default,
};

/** The value at a dotted key ('inlayHints.enabled') of the `archlens` section, nested or flat. */
function at(r: Record<string, unknown>, key: string): unknown {
  if (key in r) return r[key];
  let v: unknown = r;
  for (const part of key.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/** An integer ≥ the setting's minimum, else its default. */
function int(v: unknown, spec: { default: number; minimum: number }): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= spec.minimum ? Math.floor(v) : spec.default;
}

/** Accepts whatever the client sent for the `archlens` section; anything invalid falls back to the default. */
export function readSettings(raw: unknown): ArchSettings {
  return readSettingsReport(raw).settings;
}

/** The settings and one message per ignored value worth telling the user about (bad custom devices, unknown hardware). */
export function readSettingsReport(raw: unknown): { settings: ArchSettings; problems: readonly string[] } {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const hardware = at(r, 'hardware'), dtype = at(r, 'dtype');
  const custom = parseCustomHardware(at(r, 'customHardware'));
  const problems = [...custom.problems];
  const known = typeof hardware === 'string' && findHardware(hardware, custom.devices) !== undefined;
  if (typeof hardware === 'string' && !known) problems.push(`archlens.hardware '${hardware}' is neither a catalogue device nor an archlens.customHardware id; using '${DEFAULT_SETTINGS.hardware}'`);
  const settings: ArchSettings = {
    hardware: known ? hardware : DEFAULT_SETTINGS.hardware,
    seq: int(at(r, 'seq'), SETTINGS.seq),
    batch: int(at(r, 'batch'), SETTINGS.batch),
    dtype: typeof dtype === 'string' && DTYPES.includes(dtype) ? dtype : DEFAULT_SETTINGS.dtype,
    inlayHints: at(r, 'inlayHints.enabled') !== false,
    codeLens: at(r, 'codeLens.enabled') !== false,
    customHardware: custom.devices,
    ...servingSettings(r, problems),
  };
  return { settings, problems };
}

type ServingSettings = Pick<ArchSettings, 'gpus' | 'parallel' | 'framework' | 'input' | 'output'>;

/** gpus, parallel, framework, input and output; a malformed layout or unknown framework is reported and ignored. */
function servingSettings(r: Record<string, unknown>, problems: string[]): ServingSettings {
  const parallel = at(r, 'parallel'), framework = at(r, 'framework');
  const layoutOk = typeof parallel === 'string' && new RegExp(PARALLEL_PATTERN).test(parallel);
  if (typeof parallel === 'string' && !layoutOk) problems.push(`archlens.parallel '${parallel}' is not of the form "tp=N,pp=N,ep=N"; using tp = archlens.gpus`);
  const fwOk = typeof framework === 'string' && FRAMEWORKS.includes(framework);
  if (typeof framework === 'string' && !fwOk) problems.push(`archlens.framework '${framework}' is unknown (known: ${FRAMEWORKS.join(', ')}); using '${DEFAULT_SETTINGS.framework}'`);
  return {
    gpus: int(at(r, 'gpus'), SETTINGS.gpus),
    parallel: layoutOk ? parallel : DEFAULT_SETTINGS.parallel,
    framework: fwOk ? framework : DEFAULT_SETTINGS.framework,
    input: int(at(r, 'input'), SETTINGS.input),
    output: int(at(r, 'output'), SETTINGS.output),
  };
}

export function costOptions(s: ArchSettings): CostOptions {
  const hardware: Hardware = findHardware(s.hardware, s.customHardware) ?? HARDWARE[0];
  return { hardware, seq: s.seq || undefined, batch: s.batch, dtype: s.dtype || undefined };
}
