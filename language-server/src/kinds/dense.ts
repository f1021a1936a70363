/**
 * Token embedding, LM head, norms and feed-forward layers.
 * Sources: GPT-2 (learned positions, LayerNorm with bias, GELU MLP with biases); Child et al. 2019 §5.3 Eq. 15
 * (factorised position embeddings: one learned table per attention dimension, for text a row ⌊t/l⌋ and a column
 * t mod l "in a matrix of width equal to the stride" l);
 * Shazeer 2020 "GLU Variants Improve Transformer" (SwiGLU/GeGLU: three d×d_ff matrices);
 * Zhang & Sennrich 2019 (RMSNorm: d weights, no bias).
 */
import type { Args, ArgIssue, BlockKind } from './types';
import { bool, byteWidths, denseCost, dModel, linearParams, num, str } from './formulas';
import { scaleArgs, unscaled } from './probeScale';

/**
 * Rows of each learned position table: [positions] (absolute), or with `pos_stride` l > 0 the Sparse Transformer's
 * factorised pair [⌈positions/l⌉ rows, l columns] (Child et al. 2019 §5.3); [] without positions.
 */
export function positionTables(args: Args): number[] {
  const P = num(args, 'positions');
  const l = num(args, 'pos_stride');
  if (P <= 0) return [];
  return l > 0 ? [Math.ceil(P / l), l] : [P];
}

export const embedding: BlockKind = {
  name: 'embedding',
  summary: 'Token embedding table (vocab × d_model), optionally with learned absolute positions.',
  needs: ['d_model', 'vocab'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'embedding',
  probe: unscaled,
  params: [
    { name: 'positions', type: 'int', default: 0, min: 0, doc: 'Learned absolute position embeddings (GPT-2: 1024); 0 = none (RoPE etc.).' },
    { name: 'pos_stride', type: 'int', min: 1, doc: 'Factorised positions (Sparse Transformer): a row table of ⌈positions/l⌉ and a column table of l (row ⌊t/l⌋, column t mod l), both added to the token (default: one table of `positions`).' },
  ],
  validate(args) {
    const issues: ArgIssue[] = [];
    if (num(args, 'pos_stride') > 0 && num(args, 'positions') === 0) {
      issues.push({ arg: 'pos_stride', message: 'pos_stride needs positions (the row table covers ⌈positions/pos_stride⌉ rows)' });
    }
    return issues;
  },
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const V = dims.vocab ?? 0;
    const tables = positionTables(args);
    const P = tables.reduce((s, rows) => s + rows, 0);
    const params = (V + P) * d;
    const { weight } = byteWidths(dims);
    const sum = tables.length === 2
      ? `params = (vocab + ⌈positions/l⌉ + l)·d = (${V} + ${tables[0]} + ${tables[1]})·${d}`
      : `params = (vocab + positions)·d = (${V} + ${P})·${d}`;
    const cost = denseCost(dims, ctx, {
      params, active: params, prefillFlops: 0, decodeFlops: 0,
      formula: [sum, 'FLOPs = 0 (a gather); decode reads one row per token'],
    });
    // A gather touches B rows per table (token + each position table), not the whole table.
    return { ...cost, decodeBytes: ctx.batch * (1 + tables.length) * d * weight };
  },
};

export const lmHead: BlockKind = {
  name: 'lm_head',
  summary: 'Output projection to the vocabulary; shares the embedding matrix when tied.',
  needs: ['d_model', 'vocab'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'head',
  probe: unscaled,
  params: [
    { name: 'bias', type: 'bool', default: false, doc: 'Output bias of vocab size.' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const V = dims.vocab ?? 0;
    // `tied` is a model dimension; `lm_head(tied: true)` overrides it for this block like any dimension.
    const tied = dims.tied;
    const matrix = V * d;
    const params = (tied ? 0 : matrix) + (bool(args, 'bias') ? V : 0);
    const { weight } = byteWidths(dims);
    const cost = denseCost(dims, ctx, {
      params, active: params, prefillFlops: 2 * matrix, decodeFlops: 2 * matrix,
      formula: [tied ? 'params = 0 (tied to the embedding)' : `params = vocab·d = ${V}·${d}`, `FLOPs/token = 2·vocab·d = 2·${V}·${d}`],
    });
    // Tied or not, the whole matrix is read once per decode step.
    return { ...cost, decodeBytes: matrix * weight };
  },
};

function normKind(name: string, summary: string, hasBias: boolean): BlockKind {
  const dim = { name: 'dim', type: 'int', min: 1, doc: 'Normalised width (default: d_model).' } as const;
  const bias = { name: 'bias', type: 'bool', default: true, doc: 'Learned bias (adds dim parameters); false for a bias-free LayerNorm.' } as const;
  return {
    name,
    summary,
    needs: ['d_model'],
    context: 'position-free',
    decodeState: 'none',
    tpAllReduces: 0,
    role: 'norm',
    probe: (a, w) => scaleArgs(a, w, 'dim'),
    params: hasBias ? [bias, dim] : [dim],
    cost(args, dims, ctx) {
      const width = num(args, 'dim') || dModel(dims);
      const params = width * (1 + (bool(args, 'bias') ? 1 : 0));
      return denseCost(dims, ctx, {
        params, prefillFlops: 0, decodeFlops: 0,
        formula: [`params = ${bool(args, 'bias') ? '2·' : ''}dim = ${params}`, 'FLOPs: elementwise, not counted'],
      });
    },
  };
}

export const rmsnorm = normKind('rmsnorm', 'RMSNorm: d learned scales, no bias.', false);
export const layernorm = normKind('layernorm', 'LayerNorm: d scales plus d biases (bias: false for none).', true);

export const mlp: BlockKind = {
  name: 'mlp',
  summary: 'Dense two-matrix feed-forward (GELU / ReLU), optional biases.',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'ffn',
  probe: (a, w) => scaleArgs(a, w, 'd_ff'),
  params: [
    { name: 'd_ff', type: 'int', required: true, min: 1, doc: 'Hidden width.' },
    { name: 'act', type: 'enum', default: 'gelu', values: ['gelu', 'relu', 'silu', 'relu2'], doc: 'Activation.' },
    { name: 'bias', type: 'bool', default: false, doc: 'Biases on both projections.' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const f = num(args, 'd_ff');
    const b = bool(args, 'bias');
    const params = linearParams(d, f, b) + linearParams(f, d, b);
    return denseCost(dims, ctx, {
      params, prefillFlops: 4 * d * f, decodeFlops: 4 * d * f,
      formula: [`params = 2·d·d_ff${b ? ' + d_ff + d' : ''} = 2·${d}·${f}`, `FLOPs/token = 4·d·d_ff (${str(args, 'act')})`],
    });
  },
};

export const gatedMlp: BlockKind = {
  name: 'gated_mlp',
  summary: 'Gated feed-forward (SwiGLU with act: silu, GeGLU with act: gelu): gate, up and down matrices.',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'ffn',
  probe: (a, w) => scaleArgs(a, w, 'd_ff'),
  params: [
    { name: 'd_ff', type: 'int', required: true, min: 1, doc: 'Hidden width of gate and up projections.' },
    { name: 'act', type: 'enum', default: 'silu', values: ['silu', 'gelu', 'relu'], doc: 'Gate activation: silu = SwiGLU, gelu = GeGLU.' },
    { name: 'bias', type: 'bool', default: false, doc: 'Biases on all three projections.' },
  ],
  cost(args, dims, ctx) {
    const d = dModel(dims);
    const f = num(args, 'd_ff');
    const b = bool(args, 'bias');
    const params = 2 * linearParams(d, f, b) + linearParams(f, d, b);
    return denseCost(dims, ctx, {
      params, prefillFlops: 6 * d * f, decodeFlops: 6 * d * f,
      formula: [`params = 3·d·d_ff${b ? ' + biases' : ''} = 3·${d}·${f}`, `FLOPs/token = 6·d·d_ff`],
    });
  },
};

export const linear: BlockKind = {
  name: 'linear',
  summary: 'A single dense projection d_in → d_out (e.g. DeepSeek MTP\'s eh_proj).',
  needs: ['d_model'],
  context: 'position-free',
  decodeState: 'none',
  tpAllReduces: 1,
  role: 'other',
  probe: (a, w) => scaleArgs(a, w, 'd_in', 'd_out'),
  params: [
    { name: 'd_in', type: 'int', min: 1, doc: 'Input width (default: d_model).' },
    { name: 'd_out', type: 'int', min: 1, doc: 'Output width (default: d_model).' },
    { name: 'bias', type: 'bool', default: false, doc: 'Output bias.' },
  ],
  cost(args, dims, ctx) {
    const i = num(args, 'd_in') || dModel(dims);
    const o = num(args, 'd_out') || dModel(dims);
    const params = linearParams(i, o, bool(args, 'bias'));
    return denseCost(dims, ctx, {
      params, prefillFlops: 2 * i * o, decodeFlops: 2 * i * o,
      formula: [`params = d_in·d_out = ${i}·${o}`, 'FLOPs/token = 2·d_in·d_out'],
    });
  },
};
