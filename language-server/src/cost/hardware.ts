/**
 * Hardware catalogue: dense (no sparsity) peak throughput, memory and host link per device.
 * Figures are vendor datasheet numbers; the `source` of each entry names where they come from.
 * fp8 is null where the device has no fp8 tensor path (the bf16 peak is then used for fp8 weights).
 */
export interface Hardware {
  readonly id: string;
  readonly name: string;
  /** Peak dense bf16/fp16 tensor FLOP/s. */
  readonly bf16: number;
  /** Peak dense fp8 FLOP/s, or null when unsupported. */
  readonly fp8: number | null;
  /** Peak fp32 FLOP/s where published; otherwise half the bf16 tensor rate is assumed. */
  readonly fp32?: number;
  /** Device memory bandwidth, bytes/s. */
  readonly bandwidth: number;
  /** Device memory capacity, bytes. */
  readonly memory: number;
  /** Host link bandwidth per direction, bytes/s (PCIe / unified memory). */
  readonly hostLink: number;
  readonly hostLinkName: string;
  readonly source: string;
  /** Short label for the status bar ("H100", "RTX 4090"). */
  readonly short: string;
  /** Kind of device memory, for the settings description ("HBM3", "GDDR6X", "unified memory"). */
  readonly memoryKind: string;
  /** The bf16 peak is an estimate, not a published figure. */
  readonly estimated?: boolean;
  /** Lower-case substring of an nvidia-smi / rocm-smi GPU name (spaces and dashes removed) that identifies the device. */
  readonly gpuNameKey?: string;
}

const T = 1e12, GB = 1e9;

export const HARDWARE: readonly Hardware[] = [
  { id: 'h100', short: 'H100', memoryKind: 'HBM3', gpuNameKey: 'h100',
    name: 'NVIDIA H100 SXM5 80GB', bf16: 989 * T, fp8: 1979 * T, bandwidth: 3350 * GB, memory: 80 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA H100 Tensor Core GPU datasheet (SXM: 1,979 TFLOPS bf16 with sparsity → 989 dense; fp8 3,958 sparse → 1,979; 3.35 TB/s HBM3)' },
  { id: 'h200', short: 'H200', memoryKind: 'HBM3e', gpuNameKey: 'h200',
    name: 'NVIDIA H200 SXM 141GB', bf16: 989 * T, fp8: 1979 * T, bandwidth: 4800 * GB, memory: 141 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA H200 Tensor Core GPU datasheet (same Hopper compute as H100 SXM; 141 GB HBM3e at 4.8 TB/s)' },
  { id: 'b200', short: 'B200', memoryKind: 'HBM3e', gpuNameKey: 'b200',
    name: 'NVIDIA B200 180GB (HGX)', bf16: 2250 * T, fp8: 4500 * T, bandwidth: 7700 * GB, memory: 180 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA HGX B200 datasheet (per GPU: 4.5 PFLOPS fp8 / 2.25 PFLOPS bf16 dense, 180 GB HBM3e, 7.7 TB/s)' },
  { id: 'a100', short: 'A100', memoryKind: 'HBM2e', gpuNameKey: 'a100',
    name: 'NVIDIA A100 SXM 80GB', bf16: 312 * T, fp8: null, bandwidth: 2039 * GB, memory: 80 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16',
    source: 'NVIDIA A100 Tensor Core GPU datasheet (312 TFLOPS bf16 dense, 2,039 GB/s HBM2e; no fp8)' },
  { id: 'l40s', short: 'L40S', memoryKind: 'GDDR6', gpuNameKey: 'l40s',
    name: 'NVIDIA L40S 48GB', bf16: 362 * T, fp8: 733 * T, bandwidth: 864 * GB, memory: 48 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16',
    source: 'NVIDIA L40S datasheet (362.05 TFLOPS bf16 / 733 TFLOPS fp8 dense, 48 GB GDDR6 at 864 GB/s)' },
  { id: 'rtx4090', short: 'RTX 4090', memoryKind: 'GDDR6X', gpuNameKey: '4090',
    name: 'NVIDIA GeForce RTX 4090 24GB', bf16: 165.2 * T, fp8: 330.3 * T, bandwidth: 1008 * GB, memory: 24 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16',
    source: 'NVIDIA Ada Lovelace architecture whitepaper, Appendix A (165.2 TFLOPS bf16 and 330.3 TFLOPS fp8 dense with FP32 accumulate; 1,008 GB/s GDDR6X)' },
  { id: 'mi300x', short: 'MI300X', memoryKind: 'HBM3', gpuNameKey: 'mi300x',
    name: 'AMD Instinct MI300X 192GB', bf16: 1307.4 * T, fp8: 2614.9 * T, bandwidth: 5300 * GB, memory: 192 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'AMD Instinct MI300X datasheet (1,307.4 TFLOPS bf16 / 2,614.9 TFLOPS fp8 dense, 192 GB HBM3 at 5.3 TB/s)' },
  { id: 'tpu-v5e', short: 'TPU v5e', memoryKind: 'HBM2',
    name: 'Google TPU v5e', bf16: 197 * T, fp8: null, bandwidth: 819 * GB, memory: 16 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16 (assumed; not published)',
    source: 'Google Cloud TPU v5e documentation (197 TFLOPS bf16, 394 TOPS int8, 16 GB HBM2 at 819 GB/s)' },
  { id: 'tpu-v5p', short: 'TPU v5p', memoryKind: 'HBM2e',
    name: 'Google TPU v5p', bf16: 459 * T, fp8: null, bandwidth: 2765 * GB, memory: 95 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16 (assumed; not published)',
    source: 'Google Cloud TPU v5p documentation (459 TFLOPS bf16, 918 TOPS int8, 95 GB HBM2e at 2,765 GB/s)' },
  { id: 'm3max', short: 'M3 Max', memoryKind: 'unified memory', estimated: true,
    name: 'Apple M3 Max (40-core GPU, 128GB)', bf16: 14.2 * T, fp8: null, fp32: 14.2 * T, bandwidth: 400 * GB, memory: 128 * GB, hostLink: 400 * GB, hostLinkName: 'unified memory',
    source: 'Apple M3 Max specifications (400 GB/s unified memory, up to 128 GB); ~14.2 TFLOPS fp32 GPU from 40 cores × 128 ALUs × 2 × 1.38 GHz, fp16/bf16 assumed at the fp32 rate (estimate; Apple publishes no tensor peak)' },
];

export function findHardware(id: string): Hardware | undefined {
  const key = id.toLowerCase().replace(/[\s_]/g, '-');
  return HARDWARE.find((h) => h.id === key || h.id.replace(/-/g, '') === key.replace(/-/g, '') || h.name.toLowerCase() === id.toLowerCase());
}

/** Peak FLOP/s for computing in `dtype` on `hw` (fp8 falls back to bf16 where unsupported; fp32 runs at half the bf16 tensor rate). */
export function peakFlops(hw: Hardware, dtype: string): number {
  if (dtype === 'fp8' || dtype === 'e4m3' || dtype === 'e5m2' || dtype === 'int8' || dtype === 'int4' || dtype === 'fp4' || dtype === 'nf4') return hw.fp8 ?? hw.bf16;
  if (dtype === 'fp32' || dtype === 'tf32') return hw.fp32 ?? hw.bf16 / 2;
  return hw.bf16;
}
