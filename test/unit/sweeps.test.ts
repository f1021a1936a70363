/**
 * Dashboard sweeps (language-server/src/cost/sweeps.ts) against hand-computed values and properties.
 * Hand model: d 64, 2 layers of attention (4 heads, hd 16, bf16 KV), Mamba (d_state 16, d_inner 128, fp32 state)
 * and a SwiGLU MLP (d_ff 256).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyzeText } from '../helpers/memoryHost';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import {
  allocationSweep, breakdownByKind, compareModels, contextSweep, currentAllocation, DEFAULT_LENGTHS, LOSS_NOT_COMPUTABLE, rooflinePoints,
} from '../../language-server/src/cost/sweeps';

const H100 = { hardware: findHardware('h100')! };
const HYBRID = `model Hybrid {
  vocab = 1000
  d_model = 64
  context = 4096
  layers 2 {
    attention(heads: 4)
    mamba(d_state: 16)
    gated_mlp(d_ff: 256)
  }
}
model Small {
  vocab = 1000
  d_model = 64
  layers 1 {
    attention(heads: 4)
    gated_mlp(d_ff: 256)
  }
}
`;
const hybrid = (): ReturnType<typeof analyzeText>['models'][number] => analyzeText(HYBRID).models.find((m) => m.name === 'Hybrid')!;
const ENGRAM = analyze(path.join(__dirname, '..', '..', 'language-server', 'stdlib', 'engram.arch'), nodeHost());
const engramModel = (name: string) => ENGRAM.models.find((m) => m.name === name)!;

test('breakdownByKind sums params and FLOPs per kind (hand-computed)', () => {
  const b = breakdownByKind(costModel(hybrid(), H100));
  const by = Object.fromEntries(b.map((k) => [k.kind, k]));
  // attention: d·H·hd + 2·d·KV·hd + H·hd·d = 4096 + 8192 + 4096 = 16,384 per layer.
  assert.equal(by.attention.paramsTotal, 2 * 16_384);
  assert.equal(by.attention.count, 2);
  // SwiGLU: 3·64·256 = 49,152 per layer; FLOPs 2× params.
  assert.equal(by.gated_mlp.paramsTotal, 2 * 49_152);
  assert.equal(by.gated_mlp.paramsActive, 2 * 49_152);
  assert.equal(by.gated_mlp.prefillFlops, 2 * 2 * 49_152);
  assert.deepEqual(b.map((k) => k.kind).sort(), ['attention', 'gated_mlp', 'mamba']);
});

test('contextSweep: attention KV grows linearly in L, Mamba state is constant, prefill is quadratic', () => {
  const pts = contextSweep(hybrid(), H100);
  assert.deepEqual(pts.map((p) => p.seq), DEFAULT_LENGTHS);
  assert.equal(pts[0].seq, 1024);
  assert.equal(pts.at(-1)!.seq, 1024 * 1024);
  for (const p of pts) {
    // 2 layers × 2 (K, V) × 4 heads × 16 dims × 2 bytes = 512 B per token.
    assert.equal(p.byClass.attention.cacheBytes, 512 * p.seq);
    // Mamba state: (d_inner·(d_conv−1) + d_inner·N) × 4 B = (384 + 2048) × 4 = 9,728 B per layer.
    assert.equal(p.byClass.recurrent.cacheBytes, 2 * 9_728);
    assert.equal(p.byKind.mamba.cacheBytes, 2 * 9_728);
  }
  // Decode FLOPs of attention: 2·projections + 4·H·hd·L per layer = … + 256·L → 2 layers × 256 per token of context.
  assert.equal(pts[1].byClass.attention.decodeFlopsPerToken - pts[0].byClass.attention.decodeFlopsPerToken, 2 * 256 * 1024);
  assert.equal(pts[1].byClass.recurrent.decodeFlopsPerToken, pts[0].byClass.recurrent.decodeFlopsPerToken);
  // A whole prefill: attention part ∝ L² for large L (ratio → 4 when L doubles), Mamba ∝ L (ratio 2).
  const whole = (i: number, c: 'attention' | 'recurrent'): number => pts[i].seq * pts[i].byClass[c].prefillFlopsPerToken;
  assert.ok(Math.abs(whole(10, 'attention') / whole(9, 'attention') - 4) < 0.01);
  assert.equal(whole(10, 'recurrent') / whole(9, 'recurrent'), 2);
  assert.ok(pts[10].decodeSeconds > pts[0].decodeSeconds);
});

test('rooflinePoints: ridge = peak / bandwidth, points under the roof', () => {
  const r = rooflinePoints(costModel(hybrid(), H100));
  assert.ok(Math.abs(r.ridge - 989e12 / 3350e9) < 1e-9);
  assert.ok(r.points.length >= 4);
  for (const p of [...r.points, ...r.model]) {
    assert.ok(p.intensity > 0 && Number.isFinite(p.intensity));
    assert.ok(Math.abs(p.attainable - Math.min(r.peak, p.intensity * r.bandwidth)) <= 1e-6 * r.peak);
    assert.equal(p.bound, p.intensity < r.ridge ? 'memory' : 'compute', `${p.label} ${p.phase}`);
  }
  assert.ok(r.points.some((p) => p.phase === 'prefill') && r.points.some((p) => p.phase === 'decode'));
});

test('compareModels: rows per model, relative to the first', () => {
  const a = analyzeText(HYBRID).models;
  const c = compareModels(a.map((m) => costModel(m, H100)));
  assert.deepEqual(c.rows.map((r) => r.model), ['Hybrid', 'Small']);
  assert.equal(c.relative[0].paramsTotal, 1);
  assert.equal(c.relative[1].paramsTotal, c.rows[1].paramsTotal / c.rows[0].paramsTotal);
  // Engram paper: MoE-27B and Engram-27B are matched in activated parameters (FLOPs per token within 1 %).
  const e = compareModels([costModel(engramModel('Engram27B'), H100), costModel(engramModel('MoE27B'), H100)]);
  assert.ok(Math.abs(e.relative[1].paramsTotal - 1) < 0.01);
  assert.ok(Math.abs(e.relative[1].prefillFlopsPerToken - 1) < 0.02);
});

test('currentAllocation: Engram-27B sits at ρ ≈ 74.3 % (Engram paper Table 5)', () => {
  const a = currentAllocation(costModel(engramModel('Engram27B'), H100))!;
  assert.ok(Math.abs(a.rho - 0.743) < 0.0005, `ρ = ${a.rho}`);
  // Hand-computed: MoE 29 layers × (55 − 6) experts × 3·2560·1536; Engram 2 layers × 2,262,400 × 1280.
  assert.equal(a.moeSparse, 29 * 49 * 3 * 2560 * 1536);
  assert.equal(a.engramSparse, 2 * 2_262_400 * 1280);
  assert.equal(a.pSparse, a.moeSparse + a.engramSparse);
  assert.equal(currentAllocation(costModel(engramModel('MoE27B'), H100)), undefined, 'pure MoE has no allocation');
});

test('allocationSweep keeps P_tot and P_act within 1 %, moves only experts and slots', () => {
  const m = engramModel('Engram27B');
  const s = allocationSweep(m, H100, [0, 0.2, 0.4, 0.6, 0.743, 0.8, 1])!;
  assert.equal(s.lossComputable, false);
  assert.equal(s.note, LOSS_NOT_COMPUTABLE);
  assert.match(s.note, /loss.*cannot be computed/i);
  for (const p of s.points) {
    assert.ok(Math.abs(p.pTot / s.base.pTot - 1) < 0.01, `P_tot at ρ ${p.rho}`);
    assert.ok(Math.abs(p.pAct / s.base.pAct - 1) < 0.01, `P_act at ρ ${p.rho}`);
    assert.ok(Math.abs(p.rhoActual - p.rho) < 0.01, `ρ ${p.rho} reached ${p.rhoActual}`);
  }
  // ρ = 1 is pure MoE: 72 routed experts — exactly MoE-27B's configuration — and empty Engram tables.
  const pure = s.points.at(-1)!;
  assert.deepEqual(pure.experts, [72]);
  assert.deepEqual(pure.slots, [0]);
  assert.equal(pure.engramTableBytes, 0);
  // ρ at the model's own value gives back its own configuration.
  assert.deepEqual(s.points[4].experts, [55]);
  // More Engram (lower ρ) = more table bytes; FLOPs per token nearly unchanged (router only).
  assert.ok(s.points[0].engramTableBytes > s.points[3].engramTableBytes);
  assert.ok(Math.abs(s.points[0].prefillFlopsPerToken / pure.prefillFlopsPerToken - 1) < 0.01);
  // Offloading the tables moves them from device to host memory.
  const host = allocationSweep(m, H100, [0.5], { placement: 'host' })!.points[0];
  const dev = allocationSweep(m, H100, [0.5], { placement: 'device' })!.points[0];
  assert.ok(Math.abs(host.hostWeightBytes - dev.engramTableBytes) < 1e-6 * dev.engramTableBytes);
  assert.ok(dev.deviceWeightBytes - host.deviceWeightBytes > 0.99 * dev.engramTableBytes);
  assert.equal(allocationSweep(hybrid(), H100), undefined);
});
