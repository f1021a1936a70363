/** Cost warnings as data: the engine states what it found; views (format/warnings.ts) word it. */

/** Weights plus B sequences' KV/state do not fit the device. */
export interface MemoryWarning {
  readonly code: 'exceeds-device-memory';
  readonly weightBytes: number;
  readonly cacheBytes: number;
  readonly batch: number;
  readonly seq: number;
  readonly device: string;
  readonly memory: number;
}

/** Host-memory lookups take longer than the earlier layers' compute that should hide them. */
export interface HostLinkWarning {
  readonly code: 'host-link-exposed';
  readonly seconds: number;
  readonly windowSeconds: number;
  readonly link: string;
}

/** Count figures beyond 2^53 (or overflowing): shown rounded, not exact. */
export interface PrecisionWarning {
  readonly code: 'imprecise-counts';
  readonly figures: readonly string[];
}

/** Costed at a length L beyond the model's declared `context` (positions it was not built or trained for). */
export interface ContextWarning {
  readonly code: 'beyond-context';
  readonly seq: number;
  readonly context: number;
}

export type CostWarning = MemoryWarning | HostLinkWarning | PrecisionWarning | ContextWarning;
