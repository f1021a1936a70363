/**
 * Weight storage formats: real bits per weight including their scales, and the arithmetic each runs at.
 * Sources: ggml block layouts (llama.cpp `ggml-common.h`: Q8_0 = 32 int8 + one fp16 scale = 34 B per 32
 * weights = 8.5 bpw; Q4_0 = 16 B + fp16 scale = 18 B per 32 = 4.5 bpw); llama.cpp `tools/quantize/README.md`
 * (Llama 2 7B Q4_K_M: 4.84 bpw, a mix of Q4_K and Q6_K); AWQ / GPTQ group 128 (4-bit weights, an fp16 scale and
 * a 4-bit zero per 128: 4 + 16/128 + 4/128 = 4.16 bpw); OCP Microscaling spec v1.0 (MXFP4: 32 fp4 values with
 * one 8-bit E8M0 scale = 4.25 bpw); NVIDIA NVFP4 (16 fp4 values with an fp8 E4M3 scale = 4.5 bpw).
 * `compute`: what the matmuls run at; weight-only formats dequantise to the activation dtype (no native path).
 */
export type ComputeClass = 'fp32' | 'bf16' | 'fp8' | 'int8' | 'fp4' | 'activation';

export interface WeightFormat {
  readonly id: string;
  readonly bitsPerWeight: number;
  readonly compute: ComputeClass;
  readonly note: string;
}

const F = (id: string, bitsPerWeight: number, compute: ComputeClass, note: string): WeightFormat => ({ id, bitsPerWeight, compute, note });

export const WEIGHT_FORMATS: readonly WeightFormat[] = [
  F('fp32', 32, 'fp32', 'IEEE single'),
  F('bf16', 16, 'bf16', 'bfloat16'),
  F('fp16', 16, 'bf16', 'IEEE half (tensor cores run it at the bf16 rate)'),
  F('fp8', 8, 'fp8', 'fp8 E4M3 weights and activations (W8A8), per-tensor scales'),
  F('int8', 8, 'int8', 'int8 weights and activations (W8A8 SmoothQuant-style), per-channel scales'),
  F('int4', 4.16, 'activation', 'AWQ/GPTQ 4-bit, group 128: fp16 scale + 4-bit zero per group; dequantised to the activation dtype'),
  F('q8_0', 8.5, 'activation', 'GGUF Q8_0: 32 int8 + fp16 scale per block'),
  F('q4_0', 4.5, 'activation', 'GGUF Q4_0: 32 4-bit + fp16 scale per block'),
  F('q4_k_m', 4.84, 'activation', 'GGUF Q4_K_M: Q4_K with Q6_K for some tensors (Llama 2 7B: 4.84 bpw)'),
  F('mxfp4', 4.25, 'fp4', 'OCP MXFP4: 32 fp4 + E8M0 scale per block'),
  F('nvfp4', 4.5, 'fp4', 'NVIDIA NVFP4: 16 fp4 + fp8 scale per block'),
];

export function findFormat(id: string): WeightFormat | undefined {
  const key = id.toLowerCase().replace(/-/g, '_');
  return WEIGHT_FORMATS.find((f) => f.id === key);
}

/** Dtypes of the language that are not formats map onto the closest format (e4m3/e5m2 → fp8, fp4/nf4 → 4-bit). */
export function formatOfDtype(dtype: string): WeightFormat {
  const alias: Record<string, string> = { e4m3: 'fp8', e5m2: 'fp8', tf32: 'fp32', fp4: 'nvfp4', nf4: 'int4' };
  return findFormat(alias[dtype] ?? dtype) ?? findFormat('bf16')!;
}
