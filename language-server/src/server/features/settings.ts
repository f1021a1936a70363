/** User settings the server applies to every cost figure (`archlens.*` in the editor). */
import { findHardware, HARDWARE, type Hardware } from '../../cost/hardware';
import { DTYPES } from '../../kinds/dtypes';
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
}

export const DEFAULT_SETTINGS: ArchSettings = { hardware: 'h100', seq: 0, batch: 1, dtype: '', inlayHints: true, codeLens: true };

/** Accepts whatever the client sent; anything invalid falls back to the default. */
export function readSettings(raw: unknown): ArchSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const pos = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d);
  const nested = (k: string): unknown => (r[k] && typeof r[k] === 'object' ? (r[k] as Record<string, unknown>).enabled : undefined);
  return {
    hardware: typeof r.hardware === 'string' && findHardware(r.hardware) ? r.hardware : DEFAULT_SETTINGS.hardware,
    seq: pos(r.seq, 0),
    batch: Math.max(1, pos(r.batch, 1)),
    dtype: typeof r.dtype === 'string' && DTYPES.includes(r.dtype) ? r.dtype : '',
    inlayHints: nested('inlayHints') !== false,
    codeLens: nested('codeLens') !== false,
  };
}

export function costOptions(s: ArchSettings): CostOptions {
  const hardware: Hardware = findHardware(s.hardware) ?? HARDWARE[0];
  return { hardware, seq: s.seq || undefined, batch: s.batch, dtype: s.dtype || undefined };
}
