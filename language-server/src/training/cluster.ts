/**
 * What a cluster adds to the device catalogue for training: the scale-out network each GPU reaches other nodes
 * through, and the board power (TDP) behind the rough energy figure. Only devices with a cited figure are listed;
 * the others get DEFAULT_NETWORK_GBPS (stated as assumed in the estimate) and no energy figure.
 */
import type { Hardware } from '../cost/hardware';

interface ClusterFacts { readonly networkGbps?: number; readonly tdpWatts?: number; readonly source: string }

/** Gigabits per second per GPU per direction; watts per GPU. */
const FACTS: Readonly<Record<string, ClusterFacts>> = {
  h100: { networkGbps: 400, tdpWatts: 700, source: 'NVIDIA DGX H100 datasheet: 8× ConnectX-7 400 Gb/s (one per GPU); H100 SXM5 max TDP 700 W (H100 datasheet)' },
  h200: { networkGbps: 400, tdpWatts: 700, source: 'NVIDIA HGX H200 reference: one 400 Gb/s NIC per GPU; H200 SXM max TDP 700 W (H200 datasheet)' },
  h800: { networkGbps: 400, tdpWatts: 700, source: 'as H100 SXM (same board, NVLink reduced); 700 W TDP' },
  a100: { networkGbps: 200, tdpWatts: 400, source: 'NVIDIA DGX A100 datasheet: 8× ConnectX-6 200 Gb/s HDR (one per GPU); A100 SXM4 max TDP 400 W (A100 datasheet)' },
  b200: { networkGbps: 400, tdpWatts: 1000, source: 'NVIDIA DGX B200 datasheet: 8× ConnectX-7 400 Gb/s; B200 SXM 1,000 W (HGX B200 datasheet)' },
  mi300x: { networkGbps: 400, tdpWatts: 750, source: 'AMD Instinct MI300X datasheet: 750 W peak board power; platforms pair each GPU with a 400 Gb/s NIC (AMD Instinct MI300X platform brief)' },
};

/** Used when a device has no cited scale-out figure: 200 Gb/s per GPU (HDR InfiniBand), an assumption. */
export const DEFAULT_NETWORK_GBPS = 200;

export function networkBandwidth(hw: Hardware, gbpsOverride?: number): { bytesPerS: number; cited: boolean } {
  const gbps = gbpsOverride ?? FACTS[hw.id]?.networkGbps;
  return { bytesPerS: ((gbps ?? DEFAULT_NETWORK_GBPS) * 1e9) / 8, cited: gbps !== undefined };
}

/** Board power in watts where a datasheet gives it; undefined otherwise (no energy figure then). */
export function tdpWatts(hw: Hardware): number | undefined {
  return FACTS[hw.id]?.tdpWatts;
}

export function clusterSource(hw: Hardware): string | undefined {
  return FACTS[hw.id]?.source;
}
