/** Bytes per element of the data types the language accepts (`dtype`, `kv_dtype`, `state_dtype`). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, e4m3: 1, e5m2: 1, int8: 1, int4: 0.5, fp4: 0.5, nf4: 0.5,
};

export const DTYPES = Object.keys(DTYPE_BYTES);

export function dtypeBytes(name: string | undefined, fallback = 2): number {
  return (name !== undefined && DTYPE_BYTES[name]) || fallback;
}

/** What the editor's dtype picker says after a dtype's byte width (package.json is generated from this). */
export const DTYPE_NOTES: Readonly<Record<string, string>> = {
  tf32: 'TF32 tensor cores', e4m3: 'fp8 E4M3', e5m2: 'fp8 E5M2', nf4: 'NormalFloat4',
};
