/**
 * A block whose costs the user states directly (a layer the language has no kind for yet).
 * No sources: every number comes from the arguments. Defaults follow the engine's conventions:
 * FLOPs = 2·active per token, decode traffic = active weights + B × (cache read + cache write).
 */
import type { ArgIssue, BlockKind } from './types';
import { byteWidths, decodeTraffic, num } from './formulas';
import { arg } from './probeScale';

export const custom: BlockKind = {
  name: 'custom',
  summary: 'A block with user-stated costs: parameters, FLOPs, cache and state bytes.',
  needs: [],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'other',
  probe: (a, w) => {
    const p = arg(a, 'params');
    const p2 = Math.max(1, Math.round(p / (w * w)));
    for (const k of ['active', 'flops', 'decode_flops']) if (a[k] !== undefined) a[k] = Math.round((arg(a, k) * p2) / Math.max(1, p));
    a.params = p2;
  },
  params: [
    { name: 'params', type: 'number', required: true, min: 0, doc: 'Trainable parameters.' },
    { name: 'active', type: 'number', min: 0, doc: 'Parameters used per token (default: params).' },
    { name: 'flops', type: 'number', min: 0, doc: 'FLOPs per token in prefill (default: 2·active).' },
    { name: 'decode_flops', type: 'number', min: 0, doc: 'FLOPs of one decode step (default: flops).' },
    { name: 'cache_bytes_per_token', type: 'number', default: 0, min: 0, doc: 'Cache bytes added per token of context (per sequence).' },
    { name: 'state_bytes', type: 'number', default: 0, min: 0, doc: 'Constant per-sequence state bytes (recurrent state).' },
  ],
  validate(args) {
    const issues: ArgIssue[] = [];
    const p = num(args, 'params');
    if (args.active !== undefined && num(args, 'active') > p) {
      issues.push({ arg: 'active', message: `active (${num(args, 'active')}) exceeds params (${p})` });
    }
    return issues;
  },
  cost(args, dims, ctx) {
    const params = num(args, 'params');
    const active = args.active === undefined ? params : num(args, 'active');
    const flops = args.flops === undefined ? 2 * active : num(args, 'flops');
    const decodeFlops = args.decode_flops === undefined ? flops : num(args, 'decode_flops');
    const perToken = num(args, 'cache_bytes_per_token');
    const stateBytes = num(args, 'state_bytes');
    const cacheBytes = perToken * ctx.seq + stateBytes;
    const { weight } = byteWidths(dims);
    return {
      params, active, prefillFlops: flops, decodeFlops, cacheBytes,
      weightBytes: params * weight,
      hostWeightBytes: 0,
      decodeBytes: decodeTraffic(active * weight, cacheBytes, perToken + stateBytes, ctx),
      hostDecodeBytes: 0,
      formula: [
        `params = ${params} (stated), active = ${active}`,
        `FLOPs/token = ${flops}${args.flops === undefined ? ' (2·active)' : ''}; decode = ${decodeFlops}`,
        `cache = cache_bytes_per_token·L + state_bytes = ${perToken}·${ctx.seq} + ${stateBytes} B`,
      ],
    };
  },
};
