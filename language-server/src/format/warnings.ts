/** Words for the cost engine's structured warnings (cost/warnings.ts), shared by every view. */
import type { CostWarning } from '../cost/warnings';
import { formatBytes } from './units';

export function warningText(w: CostWarning): string {
  switch (w.code) {
    case 'exceeds-device-memory':
      return `weights (${formatBytes(w.weightBytes)}) + KV/state for ${w.batch} × ${w.seq} tokens (${formatBytes(w.cacheBytes)}) exceed ${w.device}'s ${formatBytes(w.memory)}`;
    case 'host-link-exposed':
      return `host-memory lookups (${(w.seconds * 1e6).toFixed(1)} µs per step over ${w.link}) cannot be hidden behind the ${(w.windowSeconds * 1e6).toFixed(1)} µs of earlier layers`;
    case 'beyond-context':
      return `L = ${w.seq.toLocaleString('en-US')} is beyond the model's context of ${w.context.toLocaleString('en-US')} tokens: costs are extrapolated past what it was built for`;
    case 'imprecise-counts':
      return `${w.figures.join(', ')} exceed${w.figures.length === 1 ? 's' : ''} 2^53 (or overflow): shown rounded to about 16 significant digits, not exact`;
  }
}
