/** The FLOP/s a weight format's matmuls run at on a device, and the bandwidth it streams at. */
import { peakFlops, type Hardware } from '../cost/hardware';
import type { WeightFormat } from './formats';

/** Native paths where the device has them; weight-only formats dequantise and run at the activation dtype. */
export function computePeak(hw: Hardware, f: WeightFormat, activation: string): number {
  switch (f.compute) {
    case 'fp32': return peakFlops(hw, 'fp32');
    case 'bf16': return hw.bf16;
    case 'fp8': return hw.fp8 ?? hw.bf16;
    case 'int8': return hw.int8 ?? hw.fp8 ?? hw.bf16;
    case 'fp4': return hw.fp4 ?? peakFlops(hw, activation);
    case 'activation': return peakFlops(hw, activation);
  }
}

/** Bytes per element of activations (what all-reduces and pipeline hops carry). */
export function activationBytes(activation: string): number {
  // fp8 engines still keep activations between layers (and all-reduce them) in 16-bit.
  return activation === 'fp32' ? 4 : 2;
}
