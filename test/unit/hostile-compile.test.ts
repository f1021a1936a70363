/**
 * Hostile arguments on the compile path (`archlens compile`, the gate panel's probe): a graph whose size follows
 * an argument (a DNC link N×N, a T×S mask, Sinkhorn iterations, layers, hashes, N-gram orders) is refused by
 * compile/limits.ts with a message naming what was too large, in bounded time and memory, instead of allocating
 * gigabytes or looping for minutes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../helpers/memoryHost';
import { probeOf } from '../../language-server/src/load/loadModel';
import { compileModel } from '../../language-server/src/compile/compile';
import { checkShape, GraphRefused, MAX_GRAPH_ELEMENTS, MAX_GRAPH_NODES } from '../../language-server/src/compile/limits';
import { checkModel } from '../../language-server/src/compile/check';
import { sparseVisible } from '../../language-server/src/kinds/sparseMasks';
import { wideUses } from '../fuzz/extremeArgs';

const M = (body: string): string => `model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  layers 2 {\n    ${body}\n  }\n  rmsnorm\n  lm_head\n}\n`;

/** Compiles the first model of `text` (probe `probe`, T = seq) as the CLI and the gate panel do; the error, or undefined. */
function compile(text: string, seq: number, probe = '', mode: 'prefill' | 'decode' = 'prefill'): Error | undefined {
  const a = analyzeText(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  try { compileModel(probeOf(a.models[0], probe, seq), { seq, mode }); } catch (e) { return e as Error; }
  return undefined;
}

const REFUSED: [string, string, number, RegExp][] = [
  ['dnc slots 1e9', M('dnc(hidden: 24, slots: 1e9, width: 8)'), 16, /the state 'memory' \[1, 1000000000, 8\] would have 8,000,000,000 elements/],
  ['dnc slots 1e5: link N×N', M('dnc(hidden: 24, slots: 100000, width: 8)'), 16, /the state 'link' \[1, 100000, 100000\] would have 10,000,000,000 elements/],
  ['ntm slots 1e9', M('ntm(hidden: 24, slots: 1e9, width: 8)'), 16, /the state 'memory' \[1, 1000000000, 8\]/],
  ['strided stride 1 at T 10^6', M('attention(heads: 4, mask: strided, stride: 1)'), 1_000_000, /the attention mask \[1000000, 1000000\] would have 1,000,000,000,000 elements/],
  ['block_sparse block 1 at T 10^6', M('attention(heads: 4, mask: block_sparse, block: 1, random: 1e9)'), 1_000_000, /the attention mask \[1000000, 1000000\]/],
  ['causal attention at T 8192 (mask 67 M)', M('attention(heads: 4)'), 8192, /the attention mask \[8192, 8192\] would have 67,108,864 elements \(more than 50,000,000\)/],
  ['mhc 1e9 Sinkhorn iterations', M('mhc(streams: 4, sinkhorn_iters: 1e9)\n    rmsnorm\n    mlp(d_ff: 16)'), 16, /1000000000 Sinkhorn iterations \(nodes\) exceeds 100,000/],
  ['layers 10^6 of rmsnorm', 'model M {\n  vocab = 64\n  d_model = 32\n  layers 1_000_000 {\n    rmsnorm\n  }\n}\n', 16, /the number of block occurrences to compile exceeds 100,000/],
  ['hashed_embedding 1e9 hashes', 'model M {\n  vocab = 64\n  d_model = 32\n  hashed_embedding(buckets: 4, hashes: 1e9)\n  rmsnorm\n}\n', 16, /1000000000 hashes \(a gather each\) exceeds 100,000/],
  ['engram order 10^6', M('engram(orders: [2, 1000000], heads: 2, slots: 16, dim: 16) at [1]'), 16, /the hashed N-gram products \[1, 16, 4, 1000000\] would have 64,000,000 elements/],
  ['titans mac segment 1 at T 20000', M('titans(variant: mac, segment: 1, memory_depth: 1)'), 20_000, /the number of ONNX nodes exceeds 100,000/],
  ['h3 d_state 1e5: shift index N×N', M('h3(d_state: 100000)'), 16, /the H3 shift-kernel index \[100000, 100000\]/],
  ['cross-attention kv_len 1e9: the memory input', M('attention(heads: 4, kv_heads: 2, mask: cross, kv_len: 1e9, kv_dim: 24)'), 16, /input 'memory' \[1, 1000000000, 24\] would have 24,000,000,000 elements/],
];

test('a decode step refuses a state input that would not fit: the DNC link [1, N, N] at 10^5 slots', () => {
  const e = compile(M('dnc(hidden: 24, slots: 100000, width: 8)'), 16, '', 'decode');
  assert.ok(e instanceof GraphRefused);
  assert.match(e.message, /^compile: input 'state_dnc_0_link' \[1, 100000, 100000\] would have 10,000,000,000 elements \(more than 50,000,000\)/);
});

test('graphs that grow with an argument are refused by the compile limits, each within 2 s and 300 MB', () => {
  assert.equal(MAX_GRAPH_ELEMENTS, 50_000_000, 'the probe parameter limit (load/loadModel MAX_PROBE_PARAMS)');
  assert.equal(MAX_GRAPH_NODES, 100_000);
  for (const [name, text, seq, msg] of REFUSED) {
    const heap = process.memoryUsage().heapUsed;
    const t0 = Date.now();
    const e = compile(text, seq);
    const took = Date.now() - t0;
    assert.ok(e instanceof GraphRefused, `${name}: ${e ? e.message : 'compiled'}`);
    assert.match(e.message, msg, name);
    assert.ok(took < 2000, `${name}: ${took} ms`);
    assert.ok(process.memoryUsage().heapUsed - heap < 300e6, `${name}: heap grew by ${((process.memoryUsage().heapUsed - heap) / 1e6).toFixed(0)} MB`);
  }
});

test('every extreme-argument use that analyses cleanly compiles (probe layers=1, width 8, decode) or is refused by a limit', () => {
  const refusal = /parameters \(more than 50,000,000\)|^compile: .* (elements \(more than|exceeds)|^no decode-step lowering yet/;
  let compiled = 0, refused = 0, slowest = 0, at = '';
  for (const h of wideUses()) {
    const a = analyzeText(h.text);
    if (a.diagnostics.some((d) => d.severity === 'error')) continue;
    for (const [probe, mode] of [['layers=1', 'prefill'], ['layers=1,width=8', 'prefill'], ['layers=1', 'decode']] as const) {
      const t0 = Date.now();
      try { compileModel(probeOf(a.models[0], probe, 16), { seq: 16, mode }); compiled++; } catch (e) {
        assert.match((e as Error).message, refusal, `${h.what} [${probe}, ${mode}]: ${(e as Error).stack}`);
        refused++;
      }
      if (Date.now() - t0 > slowest) { slowest = Date.now() - t0; at = `${h.what} [${probe}, ${mode}]`; }
    }
  }
  // engram(orders: [2^31]) ran out of memory and hashed_embedding(hashes: 2^53) threw a RangeError before the limits
  assert.ok(compiled > 1500 && refused > 1500, `${compiled} compiled, ${refused} refused`);
  assert.ok(slowest < 2000, `${at}: ${slowest} ms`);
});

test('within the limits the same kinds still compile: global 1e12 (clamped to L), cms period 1e9, mamba at T 10^5', () => {
  for (const [name, text, seq] of [
    ['longformer global 1e12', M('attention(heads: 4, mask: global_local, window: 4, global: 1e12)'), 64],
    ['cms period 1e9', M('cms(d_ff: 16, periods: [1e9])'), 16],
    ['mamba at T 10^5', M('mamba(d_state: 4)'), 100_000],
  ] as const) {
    const t0 = Date.now();
    assert.equal(compile(text, seq)?.message, undefined, name);
    assert.ok(Date.now() - t0 < 3000, `${name}: ${Date.now() - t0} ms`);
  }
});

test('a BigBird decode step at L 10^6 with block 1 builds one row of random blocks (was 10^12 pairs), in under 2 s', () => {
  const text = 'model M {\n  vocab = 64\n  d_model = 32\n  embedding\n  attention(heads: 4, mask: block_sparse, block: 1, random: 3)\n  lm_head\n}\n';
  const t0 = Date.now();
  const c = compileModel(analyzeText(text).models[0], { seq: 1_000_000, mode: 'decode' });
  assert.equal(c.past, 1_000_000);
  assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
});

/**
 * The BigBird ITC pattern (Zaheer et al. 2020, §2 and App. D: window 3 blocks, 2 global blocks, r random blocks per
 * query row) as first written: every row's eligible blocks sorted by the fixed hash, the first r kept.
 */
function referenceVisible(b: number, r: number, L: number): (pos: number, s: number) => boolean {
  const n = Math.ceil(L / b);
  const hash = (i: number, j: number): number => (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca6b)) >>> 0;
  const rows = Array.from({ length: n }, (_, i) => {
    const e: number[] = [];
    for (let j = 1; j < n - 1; j++) if (Math.abs(i - j) > 1) e.push(j);
    return new Set(e.sort((x, y) => hash(i, x) - hash(i, y)).slice(0, r));
  });
  if (n <= 5 + 2 * r) return () => true;
  return (pos, s) => {
    const qi = Math.floor(pos / b), kj = Math.floor(s / b);
    return qi === 0 || qi === n - 1 || kj === 0 || kj === n - 1 || Math.abs(qi - kj) <= 1 || rows[qi].has(kj);
  };
}

test('the on-demand random blocks give the same BigBird mask as sorting every row (small r, r > 32, r ≥ blocks)', () => {
  for (const [b, r, L] of [[1, 3, 60], [2, 1, 100], [1, 40, 120], [3, 0, 50], [1, 2, 300], [4, 5, 256], [1, 1e9, 40]]) {
    const see = sparseVisible('block_sparse', { mask: 'block_sparse', block: b, random: r, heads: 4 }, L);
    const want = referenceVisible(b, r, L);
    let visible = 0;
    for (let pos = 0; pos < L; pos++) for (let s = 0; s < L; s++) {
      assert.equal(see(pos, s), want(pos, s), `block ${b} random ${r} L ${L}: (${pos}, ${s})`);
      if (want(pos, s)) visible++;
    }
    assert.ok(visible > 0 && (r < 1e9 ? visible < L * L : visible === L * L), `${b} ${r} ${L}: ${visible}`);
  }
});

test('retnet value widths that are not whole per head: a located error, and a width probe keeps vd a multiple of H (was a BigInt RangeError)', () => {
  const text = (d: number, use: string): string => `model M {\n  vocab = 64\n  d_model = ${d}\n  embedding\n  ${use}\n  lm_head\n}\n`;
  const bad = analyzeText(text(32, 'retnet(heads: 4, v_factor: 0.1)')).diagnostics.map((d) => d.message);
  assert.deepEqual(bad, ['v_factor·d_model (3.2) must be a whole multiple of heads (4): each head reads vd/H value channels']);
  assert.equal(analyzeText(text(32, 'retnet(heads: 32, v_factor: 0.5)')).diagnostics.length, 1, 'vd 16 over 32 heads');
  // A probe of width 3: d 11, heads 1, vd = round(0.5·32/…) kept whole; the graph's count equals the engine's.
  const m = analyzeText(text(32, 'retnet(heads: 4, v_factor: 0.5)')).models[0];
  const r = checkModel(probeOf(m, 'width=3', 8), { seq: 8 });
  assert.ok(r.paramsEqual, `graph ${r.graph.params} engine ${r.engine.params}`);
  assert.throws(() => checkShape([1, 5.5], 'the value projection'), /^GraphRefused: compile: the value projection has the shape \[1, 5\.5\], not whole numbers/);
});
