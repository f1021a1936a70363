/** Runtime validator combinators shared by the protocol's message checks (no imports: the browser bundle uses them). */
export type Check = (v: unknown) => boolean;
export type Rec = Record<string, unknown>;

export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str: Check = (v) => typeof v === 'string';
export const num: Check = (v) => typeof v === 'number' && !Number.isNaN(v);
export const bool: Check = (v) => typeof v === 'boolean';
export const lit = (...vals: unknown[]): Check => (v) => vals.includes(v);
export const arr = (c: Check, max = 10_000_000): Check => (v) => Array.isArray(v) && v.length <= max && v.every(c);
export const opt = (c: Check): Check => (v) => v === undefined || c(v);
export const dict = (c: Check): Check => (v) => isRec(v) && Object.values(v).every(c);
export const obj = (shape: Record<string, Check>): Check => (v) => isRec(v) && Object.entries(shape).every(([k, c]) => c(v[k]));
export const nums = (...keys: string[]): Record<string, Check> => Object.fromEntries(keys.map((k) => [k, num]));
export const intIn = (lo: number, hi: number): Check => (v) => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
