/** Human-readable numbers: `8.03 B`, `1.2 GiB`, `3.4 ms`, `1.9 TFLOP`. Never prints NaN or Infinity. */

function finite(x: number): boolean {
  return typeof x === 'number' && Number.isFinite(x);
}

function sig(x: number, digits = 3): string {
  if (x === 0) return '0';
  const s = x.toPrecision(digits);
  return s.includes('e') ? String(Number(s)) : s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Counts: 124.4 M, 8.03 B, 671 B, 1.2 T. */
export function formatCount(n: number): string {
  if (!finite(n)) return '—';
  const a = Math.abs(n);
  if (a >= 1e12) return `${sig(n / 1e12)} T`;
  if (a >= 1e9) return `${sig(n / 1e9)} B`;
  if (a >= 1e6) return `${sig(n / 1e6)} M`;
  if (a >= 1e3) return `${sig(n / 1e3)} K`;
  return sig(n);
}

export function formatFlops(n: number): string {
  if (!finite(n)) return '—';
  const units: [number, string][] = [[1e18, 'EFLOP'], [1e15, 'PFLOP'], [1e12, 'TFLOP'], [1e9, 'GFLOP'], [1e6, 'MFLOP'], [1e3, 'KFLOP']];
  for (const [u, name] of units) if (Math.abs(n) >= u) return `${sig(n / u)} ${name}`;
  return `${sig(n)} FLOP`;
}

/** Binary units, as memory is sized: 1.2 GiB. */
export function formatBytes(n: number): string {
  if (!finite(n)) return '—';
  const units: [number, string][] = [[2 ** 50, 'PiB'], [2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  for (const [u, name] of units) if (Math.abs(n) >= u) return `${sig(n / u)} ${name}`;
  return `${sig(n)} B`;
}

export function formatSeconds(s: number): string {
  if (!finite(s)) return '—';
  const a = Math.abs(s);
  if (a >= 1) return `${sig(s)} s`;
  if (a >= 1e-3) return `${sig(s * 1e3)} ms`;
  if (a >= 1e-6) return `${sig(s * 1e6)} µs`;
  return `${sig(s * 1e9)} ns`;
}

export function formatPercent(part: number, whole: number): string {
  if (!finite(part) || !finite(whole) || whole === 0) return '—';
  return `${sig((100 * part) / whole, 3)} %`;
}

export function formatIntensity(x: number): string {
  return finite(x) ? `${sig(x)} FLOP/B` : '—';
}

/**
 * Exact integer with thousands separators (for parameter counts that must match model cards). Above 2^53 a
 * double no longer holds every integer, so the digits are not exact: those get a leading '≈'.
 */
export function formatExact(n: number): string {
  if (!finite(n)) return '—';
  const digits = Math.round(n).toLocaleString('en-US');
  return Math.abs(n) > Number.MAX_SAFE_INTEGER ? `≈${digits}` : digits;
}

/** Replaces NaN / Infinity that a formula line interpolated from raw numbers with '—' (never shown to a user). */
export function finiteText(line: string): string {
  return line.replace(/-?\bInfinity\b|\bNaN\b/g, '—');
}
