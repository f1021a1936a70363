/**
 * Hardware catalogue: dense (no sparsity) peak throughput, memory, host link and GPU-to-GPU fabric per device.
 * Figures are vendor datasheet numbers; the `source` of each entry names where they come from (where a vendor
 * publishes only sparse figures they are halved, and the entry says so). fp8 / fp4 / int8 are null where the
 * device has no such tensor path. User-defined devices (`archlens.customHardware`, `--hardware-file`) are
 * parsed by `customHardware.ts` into the same shape.
 */

/** The GPU-to-GPU fabric inside one node (NVLink, Infinity Fabric, ICI, PCIe). */
export interface Interconnect {
  readonly name: string;
  /** Bytes/s PER DIRECTION per device (NVLink 4's "900 GB/s" bidirectional total → 450e9); 0 = none. */
  readonly bandwidth: number;
  readonly source: string;
}

export interface Hardware {
  readonly id: string;
  readonly name: string;
  /** Peak dense bf16/fp16 tensor FLOP/s. */
  readonly bf16: number;
  /** Peak dense fp8 FLOP/s, or null when unsupported. */
  readonly fp8: number | null;
  /** Peak dense fp4 tensor FLOP/s (native FP4: Blackwell, CDNA 4), or null when unsupported. */
  readonly fp4: number | null;
  /** Peak dense int8 tensor OPS/s, or null when the device has no int8 tensor path. */
  readonly int8: number | null;
  /** Peak fp32 FLOP/s where published; otherwise half the bf16 tensor rate is assumed. */
  readonly fp32?: number;
  /** Device memory bandwidth, bytes/s. */
  readonly bandwidth: number;
  /** Device memory capacity, bytes. */
  readonly memory: number;
  /** Host link bandwidth per direction, bytes/s (PCIe / unified memory). */
  readonly hostLink: number;
  readonly hostLinkName: string;
  /** GPU-to-GPU fabric inside one node, per direction per device. */
  readonly interconnect: Interconnect;
  /** Devices that share `interconnect` in a typical node (8 for HGX / OAM boards, 72 for an NVL72 NVLink domain, 1 for consumer cards). */
  readonly gpusPerNode: number;
  /**
   * Measured maximum achievable matmul FLOPS as a fraction of the bf16 peak (MAMF: best of a shape sweep with
   * mamf-finder.py), where published; the serving engine falls back to DEFAULT_MAMF elsewhere.
   */
  readonly mamf?: number;
  readonly source: string;
  /** Short label for the status bar ("H100", "RTX 4090"). */
  readonly short: string;
  /** Kind of device memory, for the settings description ("HBM3", "GDDR6X", "unified memory"). */
  readonly memoryKind: string;
  /** Some figure is an estimate, not a published one (the source says which). */
  readonly estimated?: boolean;
  /** Lower-case substring of an nvidia-smi / rocm-smi GPU name (spaces and dashes removed) that identifies the device. */
  readonly gpuNameKey?: string;
  /** Set for user-defined devices (archlens.customHardware, --hardware-file). */
  readonly custom?: boolean;
}

/**
 * stas00/ml-engineering, compute/accelerator/README.md, "Maximum Achievable Matmul FLOPS comparison table" (BF16):
 * A100 SXM 271.2 of 312 (86.9 %), H100 SXM 794.5 of 989 (80.3 %), MI300X 781.9 of 1300 (60.1 %, ROCm 6.2);
 * B200 SXM ~1745 of 2250 (77.6 %, same book). DEFAULT_MAMF: H100's, for devices not measured there.
 */
export const DEFAULT_MAMF = 0.803;

const T = 1e12, GB = 1e9;

/** Interconnects shared by several entries (bandwidth per direction per device). */
const link = (name: string, perDirectionGB: number, source: string): Interconnect => ({ name, bandwidth: perDirectionGB * GB, source });
const NVLINK4 = link('NVLink 4 (NVSwitch)', 450, 'NVIDIA H100/H200 datasheets: NVLink 900 GB/s bidirectional per GPU → 450 GB/s per direction');
const NVLINK5 = link('NVLink 5 (NVSwitch)', 900, 'NVIDIA HGX B200/B300 datasheets: 1.8 TB/s GPU-to-GPU bidirectional per GPU → 900 GB/s per direction');
const PCIE4 = link('PCIe 4.0 x16 (no NVLink)', 32, 'PCIe 4.0: 16 GT/s × 16 lanes ≈ 32 GB/s per direction; peers talk through the host PCIe switch');
const PCIE5 = link('PCIe 5.0 x16 (no NVLink)', 64, 'PCIe 5.0: 32 GT/s × 16 lanes ≈ 64 GB/s per direction; peers talk through the host PCIe switch');
const XGMI_CDNA3 = link('Infinity Fabric (xGMI), 7 links, full mesh', 448, 'AMD Instinct MI300X/MI325X datasheets: 7 Infinity Fabric links, 896 GB/s aggregate bidirectional → 448 GB/s per direction in all (64 GB/s per direction to each of the 7 peers of an 8-GPU OAM board)');
const NONE = link('none (single device)', 0, 'single device: no GPU-to-GPU fabric');

export const HARDWARE: readonly Hardware[] = [
  { id: 'h100', mamf: 0.803, short: 'H100', memoryKind: 'HBM3', gpuNameKey: 'h100', gpusPerNode: 8, interconnect: NVLINK4,
    name: 'NVIDIA H100 SXM5 80GB', bf16: 989 * T, fp8: 1979 * T, fp4: null, int8: 1979 * T, bandwidth: 3350 * GB, memory: 80 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA H100 Tensor Core GPU datasheet (SXM: 1,979 TFLOPS bf16 with sparsity → 989 dense; fp8 3,958 sparse → 1,979; 3.35 TB/s HBM3)' },
  { id: 'h200', short: 'H200', memoryKind: 'HBM3e', gpuNameKey: 'h200', gpusPerNode: 8, interconnect: NVLINK4,
    name: 'NVIDIA H200 SXM 141GB', bf16: 989 * T, fp8: 1979 * T, fp4: null, int8: 1979 * T, bandwidth: 4800 * GB, memory: 141 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA H200 Tensor Core GPU datasheet (same Hopper compute as H100 SXM; 141 GB HBM3e at 4.8 TB/s)' },
  { id: 'b200', mamf: 0.776, short: 'B200', memoryKind: 'HBM3e', gpuNameKey: 'b200', gpusPerNode: 8, interconnect: NVLINK5,
    name: 'NVIDIA B200 180GB (HGX)', bf16: 2250 * T, fp8: 4500 * T, fp4: 9000 * T, int8: 4500 * T, bandwidth: 7700 * GB, memory: 180 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA HGX B200 datasheet (per GPU: 4.5 PFLOPS fp8 / 2.25 PFLOPS bf16 dense, 180 GB HBM3e, 7.7 TB/s; fp4 144 PFLOPS and int8 72 POPS sparse per 8 GPUs → 9 PFLOPS / 4.5 POPS dense per GPU)' },
  { id: 'a100', mamf: 0.869, short: 'A100', memoryKind: 'HBM2e', gpuNameKey: 'a100', gpusPerNode: 8,
    interconnect: link('NVLink 3 (NVSwitch)', 300, 'NVIDIA A100 datasheet: NVLink 600 GB/s bidirectional per GPU → 300 GB/s per direction'),
    name: 'NVIDIA A100 SXM 80GB', bf16: 312 * T, fp8: null, fp4: null, int8: 624 * T, bandwidth: 2039 * GB, memory: 80 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16',
    source: 'NVIDIA A100 Tensor Core GPU datasheet (312 TFLOPS bf16 dense, 624 TOPS int8 dense (1,248 sparse), 2,039 GB/s HBM2e; no fp8)' },
  { id: 'l40s', short: 'L40S', memoryKind: 'GDDR6', gpuNameKey: 'l40s', gpusPerNode: 8, interconnect: PCIE4,
    name: 'NVIDIA L40S 48GB', bf16: 362 * T, fp8: 733 * T, fp4: null, int8: 733 * T, bandwidth: 864 * GB, memory: 48 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16',
    source: 'NVIDIA L40S datasheet (362.05 TFLOPS bf16 / 733 TFLOPS fp8 / 733 TOPS int8 dense, 48 GB GDDR6 at 864 GB/s); 8 per server (OVX / cloud 8-GPU instances)' },
  { id: 'rtx4090', short: 'RTX 4090', memoryKind: 'GDDR6X', gpuNameKey: '4090', gpusPerNode: 1, interconnect: PCIE4,
    name: 'NVIDIA GeForce RTX 4090 24GB', bf16: 165.2 * T, fp8: 330.3 * T, fp4: null, int8: 660.6 * T, bandwidth: 1008 * GB, memory: 24 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16',
    source: 'NVIDIA Ada Lovelace architecture whitepaper, Appendix A (165.2 TFLOPS bf16 and 330.3 TFLOPS fp8 dense with FP32 accumulate, 660.6 TOPS int8 dense; 1,008 GB/s GDDR6X); consumer card, no NVLink' },
  { id: 'mi300x', mamf: 0.601, short: 'MI300X', memoryKind: 'HBM3', gpuNameKey: 'mi300x', gpusPerNode: 8, interconnect: XGMI_CDNA3,
    name: 'AMD Instinct MI300X 192GB', bf16: 1307.4 * T, fp8: 2614.9 * T, fp4: null, int8: 2614.9 * T, bandwidth: 5300 * GB, memory: 192 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'AMD Instinct MI300X datasheet (1,307.4 TFLOPS bf16 / 2,614.9 TFLOPS fp8 / 2,614.9 TOPS int8 dense, 192 GB HBM3 at 5.3 TB/s)' },
  { id: 'tpu-v5e', short: 'TPU v5e', memoryKind: 'HBM2', gpusPerNode: 8,
    interconnect: link('ICI (2D torus, 4 ports)', 200, 'Google Cloud TPU v5e documentation: bidirectional ICI 400 GB/s per chip → 200 GB/s per direction; 8 chips per host'),
    name: 'Google TPU v5e', bf16: 197 * T, fp8: null, fp4: null, int8: 393 * T, bandwidth: 819 * GB, memory: 16 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16 (assumed; not published)',
    source: 'Google Cloud TPU v5e documentation (197 TFLOPS bf16, 394 TOPS int8, 16 GB HBM2 at 819 GB/s)' },
  { id: 'tpu-v5p', short: 'TPU v5p', memoryKind: 'HBM2e', gpusPerNode: 4,
    interconnect: link('ICI (3D torus, 6 ports)', 600, 'Google Cloud TPU v5p documentation: ICI 4,800 Gbps per chip = 600 GB/s, taken as per direction like v5e\'s older 1,600 Gbps (= half its 400 GB/s bidirectional); 4 chips per host'),
    name: 'Google TPU v5p', bf16: 459 * T, fp8: null, fp4: null, int8: 918 * T, bandwidth: 2765 * GB, memory: 95 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16 (assumed; not published)',
    source: 'Google Cloud TPU v5p documentation (459 TFLOPS bf16, 918 TOPS int8, 95 GB HBM2e at 2,765 GB/s)' },
  { id: 'm3max', short: 'M3 Max', memoryKind: 'unified memory', estimated: true, gpusPerNode: 1, interconnect: NONE,
    name: 'Apple M3 Max (40-core GPU, 128GB)', bf16: 14.2 * T, fp8: null, fp4: null, int8: null, fp32: 14.2 * T, bandwidth: 400 * GB, memory: 128 * GB, hostLink: 400 * GB, hostLinkName: 'unified memory',
    source: 'Apple M3 Max specifications (400 GB/s unified memory, up to 128 GB); ~14.2 TFLOPS fp32 GPU from 40 cores × 128 ALUs × 2 × 1.38 GHz, fp16/bf16 assumed at the fp32 rate (estimate; Apple publishes no tensor peak)' },
  { id: 'h800', short: 'H800', memoryKind: 'HBM3', gpuNameKey: 'h800', gpusPerNode: 8,
    interconnect: link('NVLink 4, reduced (NVSwitch)', 200, 'NVIDIA H800 SXM: NVLink cut to 400 GB/s bidirectional per GPU (export variant) → 200 GB/s per direction'),
    name: 'NVIDIA H800 SXM5 80GB', bf16: 989 * T, fp8: 1979 * T, fp4: null, int8: 1979 * T, bandwidth: 3350 * GB, memory: 80 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA H800 SXM5 (same GH100 silicon and tensor peaks as H100 SXM: 1,979 bf16 / 3,958 fp8 and int8 TFLOPS sparse → 989 / 1,979 dense; 80 GB HBM3 at 3.35 TB/s; NVLink 400 GB/s instead of 900, FP64 ~1 TFLOPS)' },
  { id: 'h20', short: 'H20', memoryKind: 'HBM3', gpuNameKey: 'h20', gpusPerNode: 8, interconnect: NVLINK4,
    name: 'NVIDIA H20 96GB', bf16: 148 * T, fp8: 296 * T, fp4: null, int8: 296 * T, bandwidth: 4000 * GB, memory: 96 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA H20 product brief (Hopper export part: 148 TFLOPS fp16/bf16, 296 TFLOPS fp8, 296 TOPS int8 — published without a sparse figure, taken as dense (148 × 16 bits stays under the export TPP limit); 96 GB HBM3 at 4.0 TB/s; NVLink 900 GB/s bidirectional)' },
  { id: 'gb200', short: 'GB200', memoryKind: 'HBM3e', gpuNameKey: 'gb200', gpusPerNode: 72,
    interconnect: link('NVLink 5 (NVL72 rack, NVLink Switch)', 900, 'NVIDIA GB200 NVL72: 130 TB/s NVLink over 72 GPUs = 1.8 TB/s bidirectional per GPU → 900 GB/s per direction; one NVLink domain of 72 GPUs (a compute tray holds 4)'),
    name: 'NVIDIA GB200 (NVL72, per GPU)', bf16: 2500 * T, fp8: 5000 * T, fp4: 10000 * T, int8: 5000 * T, bandwidth: 8000 * GB, memory: 186 * GB, hostLink: 225 * GB, hostLinkName: 'NVLink-C2C to Grace (estimate: half of 900 GB/s bidirectional per superchip, shared by its 2 GPUs)',
    source: 'NVIDIA GB200 NVL72 specifications divided by 72 GPUs (rack, sparse: fp4 1,440 PFLOPS, fp8 720 PFLOPS, int8 720 POPS, fp16/bf16 360 PFLOPS → per GPU dense 10 / 5 / 5 / 2.5 PFLOPS; up to 13.4 TB HBM3e → 186 GB; 576 TB/s → 8 TB/s)' },
  { id: 'b300', short: 'B300', memoryKind: 'HBM3e', gpuNameKey: 'b300', gpusPerNode: 8, interconnect: NVLINK5,
    name: 'NVIDIA B300 288GB (HGX, Blackwell Ultra)', bf16: 2250 * T, fp8: 4500 * T, fp4: 13500 * T, int8: 125 * T, bandwidth: 8000 * GB, memory: 288 * GB, hostLink: 128 * GB, hostLinkName: 'PCIe 6.0 x16',
    source: 'NVIDIA HGX B300 datasheet divided by 8 GPUs (fp4 144 PFLOPS sparse / 108 dense → 13.5 PFLOPS; fp8 72 and fp16/bf16 36 PFLOPS sparse → 4.5 / 2.25 dense; int8 2 POPS sparse → 125 TOPS dense (Blackwell Ultra cut int8; other listings give ~150 TOPS); 2.3 TB HBM3e → 288 GB, 64 TB/s → 8 TB/s; PCIe Gen6)' },
  { id: 'mi325x', short: 'MI325X', memoryKind: 'HBM3e', gpuNameKey: 'mi325x', gpusPerNode: 8, interconnect: XGMI_CDNA3,
    name: 'AMD Instinct MI325X 256GB', bf16: 1307.4 * T, fp8: 2614.9 * T, fp4: null, int8: 2614.9 * T, bandwidth: 6000 * GB, memory: 256 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'AMD Instinct MI325X datasheet (CDNA 3, same compute as MI300X: 1,307.4 TFLOPS bf16 / 2,614.9 TFLOPS fp8 / 2,614.9 TOPS int8 dense; 256 GB HBM3E at 6 TB/s; 7 Infinity Fabric links)' },
  { id: 'mi355x', short: 'MI355X', memoryKind: 'HBM3e', gpuNameKey: 'mi355x', gpusPerNode: 8,
    interconnect: link('Infinity Fabric (xGMI), 7 links, full mesh', 537.6, 'AMD Instinct MI355X specifications: 7 Infinity Fabric links at 153.6 GB/s each (bidirectional) = 1,075.2 GB/s → 537.6 GB/s per direction in all (76.8 GB/s per direction to each of the 7 peers)'),
    name: 'AMD Instinct MI355X 288GB', bf16: 2500 * T, fp8: 5000 * T, fp4: 10000 * T, int8: 5000 * T, bandwidth: 8000 * GB, memory: 288 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'AMD Instinct MI355X specifications (CDNA 4, dense: 2.5 PFLOPS fp16/bf16, 5 PFLOPS fp8, 10 PFLOPS MXFP4/MXFP6 (native fp4), 5 POPS int8; 288 GB HBM3E at 8 TB/s; 1,400 W)' },
  { id: 'tpu-v6e', short: 'TPU v6e', memoryKind: 'HBM', gpusPerNode: 8,
    interconnect: link('ICI (2D torus, 4 ports)', 400, 'Google Cloud TPU v6e documentation: bidirectional ICI 800 GB/s per chip → 400 GB/s per direction; 8 chips per host'),
    name: 'Google TPU v6e (Trillium)', bf16: 918 * T, fp8: null, fp4: null, int8: 1836 * T, bandwidth: 1638 * GB, memory: 32 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 (lane count not published; x16 assumed)',
    source: 'Google Cloud TPU v6e documentation (918 TFLOPS bf16, 1,836 TOPS int8 per chip, 32 GB HBM at 1,638 GB/s, PCIe Gen5 to the host)' },
  { id: 'gaudi3', short: 'Gaudi 3', memoryKind: 'HBM2e', gpusPerNode: 8,
    interconnect: link('RoCE v2, 21 × 200 GbE all-to-all (on-chip NICs)', 525, 'Intel Gaudi 3 whitepaper: 24 × 200 GbE RoCE ports on chip; in an 8-card node 21 go all-to-all to the 7 peers (3 each) → 21 × 25 GB/s = 525 GB/s per direction, 3 ports scale out'),
    name: 'Intel Gaudi 3 128GB (OAM)', bf16: 1835 * T, fp8: 1835 * T, fp4: null, int8: null, bandwidth: 3700 * GB, memory: 128 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'Intel Gaudi 3 AI accelerator whitepaper (1,835 TFLOPS bf16 and fp8 matrix (MME), dense; the MME has no int8 path; 128 GB HBM2e at 3.7 TB/s; 900 W OAM)' },
  { id: 'l4', short: 'L4', memoryKind: 'GDDR6', gpuNameKey: 'l4', gpusPerNode: 8, interconnect: PCIE4,
    name: 'NVIDIA L4 24GB', bf16: 121 * T, fp8: 242.5 * T, fp4: null, int8: 242.5 * T, bandwidth: 300 * GB, memory: 24 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16',
    source: 'NVIDIA L4 datasheet (published with sparsity only: bf16 242, fp8 485, int8 485 TOPS → halved to 121 / 242.5 / 242.5 dense; 24 GB GDDR6 at 300 GB/s; 72 W); up to 8 per cloud host (GCP g2-standard-96, AWS g6.48xlarge)' },
  { id: 'a10g', short: 'A10G', memoryKind: 'GDDR6', gpuNameKey: 'a10g', gpusPerNode: 8, interconnect: PCIE4, estimated: true,
    name: 'NVIDIA A10G 24GB (AWS)', bf16: 70 * T, fp8: null, fp4: null, int8: 140 * T, bandwidth: 600 * GB, memory: 24 * GB, hostLink: 32 * GB, hostLinkName: 'PCIe 4.0 x16',
    source: 'AWS-only variant of the A10 without a public NVIDIA datasheet: 24 GB GDDR6 at 600 GB/s (AWS G5 documentation); ~70 TFLOPS fp16/bf16 tensor dense as reported by Baseten\'s A10 vs A10G comparison, int8 assumed at 2× (Ampere ratio) — estimate; no fp8; up to 8 per g5.48xlarge' },
  { id: 'rtx5090', short: 'RTX 5090', memoryKind: 'GDDR7', gpuNameKey: '5090', gpusPerNode: 1, interconnect: PCIE5,
    name: 'NVIDIA GeForce RTX 5090 32GB', bf16: 209.5 * T, fp8: 419 * T, fp4: 1676 * T, int8: 838 * T, bandwidth: 1792 * GB, memory: 32 * GB, hostLink: 64 * GB, hostLinkName: 'PCIe 5.0 x16',
    source: 'NVIDIA RTX Blackwell GPU architecture whitepaper, RTX 5090 (dense, FP32 accumulate as for the RTX 4090 entry: 209.5 TFLOPS fp16/bf16, 419 TFLOPS fp8, 1,676 TFLOPS fp4 (3,352 AI TOPS is sparse fp4), 838 TOPS int8; 32 GB GDDR7 at 1,792 GB/s); consumer card, no NVLink' },
  { id: 'm4max', short: 'M4 Max', memoryKind: 'unified memory', estimated: true, gpusPerNode: 1, interconnect: NONE,
    name: 'Apple M4 Max (40-core GPU, 128GB)', bf16: 16.2 * T, fp8: null, fp4: null, int8: null, fp32: 16.2 * T, bandwidth: 546 * GB, memory: 128 * GB, hostLink: 546 * GB, hostLinkName: 'unified memory',
    source: 'Apple M4 Max specifications (16-core CPU / 40-core GPU, up to 128 GB unified memory at 546 GB/s); ~16.2 TFLOPS fp32 GPU from 40 cores × 128 ALUs × 2 × ~1.58 GHz (clock as measured by third parties), fp16/bf16 assumed at the fp32 rate (estimate; Apple publishes no tensor peak)' },
];

const norm = (id: string): string => id.toLowerCase().replace(/[\s_]/g, '-');
const matches = (h: Hardware, id: string): boolean => {
  const key = norm(id);
  return h.id === key || h.id.replace(/-/g, '') === key.replace(/-/g, '') || h.name.toLowerCase() === id.toLowerCase();
};

/** The catalogue device named `id` (several spellings: "H100", "tpu_v5e", the full name), else one of `custom`. */
export function findHardware(id: string, custom: readonly Hardware[] = []): Hardware | undefined {
  return HARDWARE.find((h) => matches(h, id)) ?? custom.find((h) => h.id === id || matches(h, id));
}

/** Peak FLOP/s for computing in `dtype` on `hw` (fp8 falls back to bf16 where unsupported; fp32 runs at half the bf16 tensor rate). */
export function peakFlops(hw: Hardware, dtype: string): number {
  if (dtype === 'fp8' || dtype === 'e4m3' || dtype === 'e5m2' || dtype === 'int8' || dtype === 'int4' || dtype === 'fp4' || dtype === 'nf4') return hw.fp8 ?? hw.bf16;
  if (dtype === 'fp32' || dtype === 'tf32') return hw.fp32 ?? hw.bf16 / 2;
  return hw.bf16;
}
