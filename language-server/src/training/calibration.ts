/** The fitted training constants (calibration.json) and the serving constants training shares (GEMM shape, grouped GEMMs, links). */
import data from './calibration.json';
import { CALIBRATION } from '../serving/calibration';
import type { FrameworkProfile, GlobalConstants } from '../serving/types';
import type { TrainingConstants } from './types';

export const TRAINING_CONSTANTS: TrainingConstants = data.fitted;
export const TRAINING_PRIORS: TrainingConstants = data.priors;
export const TRAINING_PROVENANCE: string = data.provenance;

/** Serving's global constants with the training GEMM efficiency in place of the serving one. */
export function trainingGlobal(tc: TrainingConstants): GlobalConstants {
  return { ...CALIBRATION.global, gemmEfficiency: tc.gemmEfficiency };
}

/** A framework profile that leaves the global efficiencies as they are (training has no serving framework). */
export const TRAINING_PROFILE: FrameworkProfile = {
  name: 'training', stepOverhead: 0, blockOverhead: 0, gemmScale: 1, bandwidthScale: 1, workspaceFraction: 0,
  source: 'training/calibration.json',
};
