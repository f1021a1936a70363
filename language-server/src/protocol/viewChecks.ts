/** Validators of the dashboard's overlay (curves, crossovers, ratios), layer map, Training section and source ranges. */
import { arr, bool, intIn, lit, num, nums, obj, opt, str, type Check } from './checks';

const METRIC = lit('prefillFlopsPerToken', 'decodeSeconds', 'cacheBytes');
const position = obj({ line: intIn(0, 10_000_000), character: intIn(0, 10_000_000) });

/** A URI the host may open: a file: URI of an .arch file (what the server sends), at most 4 KiB. */
const archUri: Check = (v) => typeof v === 'string' && v.length <= 4096 && /^file:\/\/[^?#]*\.arch$/i.test(v);

export const sourceRange: Check = obj({ uri: archUri, start: position, end: position });

const curve = obj({ model: str, params: num, points: arr(obj(nums('seq', 'prefillFlopsPerToken', 'decodeSeconds', 'cacheBytes')), 256) });
const crossover = obj({ metric: METRIC, before: str, after: str, ...nums('seq', 'value') });
const ratio = obj({ metric: METRIC, model: str, base: str, ...nums('seq', 'raw', 'isoParams', 'isoFlops') });
export const overlay: Check = obj({ curves: arr(curve, 64), crossovers: arr(crossover, 10_000), ratios: arr(ratio, 10_000) });

const cell = obj({ layer: intIn(0, 1_000_000), row: lit('mixer', 'ffn', 'other'), kind: str, ...nums('params', 'prefillFlops', 'decodeSeconds'), source: opt(sourceRange) });
export const layerStrip: Check = obj({ model: str, layers: intIn(0, Number.MAX_SAFE_INTEGER), shown: intIn(0, 512), cells: arr(cell, 64 * 512) });

const G = 65_536;
export const trainingParams: Check = obj({
  hardware: (v) => typeof v === 'string' && v.length <= 100, gpus: intIn(1, G), tp: intIn(1, G), pp: intIn(1, G), dp: intIn(1, G), ep: intIn(1, G),
  zero: lit('0', '1', '2', '3', 'fsdp'), recompute: lit('none', 'selective', 'full'), tokens: (v) => typeof v === 'number' && v > 0 && v <= 1e16,
});
const ranked = obj({ ...nums('tp', 'pp', 'dp', 'ep', 'days', 'gpuHours', 'mfu', 'memory'), fits: bool });
export const trainingView: Check = obj({
  params: trainingParams, tokensFrom: lit('model', 'chinchilla', 'chosen'), seq: num,
  choices: obj({ hardware: arr(obj({ id: str, name: str }), 1000), zero: arr(str, 16), recompute: arr(str, 16) }), error: opt(str),
  estimate: opt(obj(nums('days', 'gpuHours', 'mfu', 'tokensPerS', 'stepSeconds'))),
  memory: opt(obj({ ...nums('weights', 'gradients', 'optimizer', 'activations', 'workspace', 'total', 'capacity'), fits: bool })),
  layouts: arr(ranked, 64), layoutCount: num,
});
