/**
 * Crossovers and ratios (cost/crossover.ts) and `archlens compare`: Pythia-2.8B vs Mamba-2.8B, the issue-13 claim
 * that Mamba becomes cheaper in prefill FLOPs per token near 1.5K tokens, checked against a hand computation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { loadModel } from '../../language-server/src/load/loadModel';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { findHardware } from '../../language-server/src/cost/hardware';
import { bisect, compareSweep } from '../../language-server/src/cost/crossover';
import { main } from '../../language-server/src/cli/main';

const STD = path.join(__dirname, '..', '..', 'language-server', 'stdlib');
const load = (f: string, m: string) => loadModel({ file: path.join(STD, f), host: nodeHost(), model: m }).model;
const pythia = load('pythia.arch', 'Pythia_2_8B');
const mamba = load('mamba.arch', 'Mamba_2_8B');
const H100 = findHardware('h100')!;

test('bisect finds the first integer where the sign flips', () => {
  assert.equal(bisect((x) => x - 1000.5, 1, 4096), 1001);
  assert.equal(bisect((x) => 7 - x, 1, 8), 8);
});

test('Pythia-2.8B vs Mamba-2.8B: prefill FLOPs/token cross at L = 1,615 (hand: 2·matmuls + 4·d·(L+1)/2 per attention layer)', () => {
  // Pythia: 2·(32·(2560·7680 + 2560² + 2·2560·10240) + 2560·50304) + 32·4·2560·(L+1)/2
  const pythiaConst = 2 * (32 * (2560 * 7680 + 2560 * 2560 + 2 * 2560 * 10240) + 2560 * 50_304);
  const slope = 32 * 2 * 2560;
  // Mamba: 64·(2·matmul + 2·di·d_conv + 6·di·N) + 2·2560·50280, di = 5120, N = 16, dt_rank = 160
  const matmul = 2560 * 2 * 5120 + 5120 * (160 + 32) + 160 * 5120 + 5120 * 2560;
  const mambaConst = 64 * (2 * matmul + 2 * 5120 * 4 + 6 * 5120 * 16) + 2 * 2560 * 50_280;
  const hand = Math.floor((mambaConst - pythiaConst) / slope); // first L with slope·(L+1) > difference
  assert.equal(hand, 1615);
  const s = compareSweep([pythia, mamba], { hardware: H100, batch: 1 });
  const prefill = s.crossovers.filter((c) => c.metric === 'prefillFlopsPerToken');
  assert.deepEqual(prefill.map((c) => [c.before, c.after, c.seq]), [['Pythia_2_8B', 'Mamba_2_8B', hand]]);
  assert.ok(prefill[0].seq > 1000 && prefill[0].seq < 2000, 'near the ~1.5K claim');
  const p = s.curves[0].points.find((x) => x.seq === 1024)!;
  assert.equal(p.prefillFlopsPerToken, pythiaConst + slope * 1025);
  // Decode (B = 1, memory-bound) crosses earlier: the KV cache read grows from the first token.
  const decode = s.crossovers.find((c) => c.metric === 'decodeSeconds')!;
  assert.equal(decode.after, 'Mamba_2_8B');
  assert.ok(decode.seq < prefill[0].seq);
});

test('ratios at 128K, B = 1: Mamba is several times cheaper to decode; iso-params scales by the parameter ratio', () => {
  const s = compareSweep([pythia, mamba], { hardware: H100, batch: 1 });
  const r = s.ratios.find((x) => x.metric === 'decodeSeconds')!;
  assert.equal(r.seq, 131_072);
  assert.ok(r.raw > 3, `decode ${r.raw}× cheaper`);
  assert.ok(Math.abs(r.isoParams - r.raw * (2_768_345_600 / 2_775_208_960)) < 1e-9);
  assert.equal(s.ratios.length, 3);
});

test('archlens compare: text names the crossover; --json is machine-readable; one model is an error', async () => {
  let out = '', err = '';
  const io = { out: (x: string) => { out += x; return true; }, err: (x: string) => { err += x; return true; } };
  const files = [path.join(STD, 'pythia.arch'), path.join(STD, 'mamba.arch')];
  assert.equal(await main(['compare', ...files, '--model', 'Pythia_2_8B,Mamba_2_8B', '--sweep', 'context'], io), 0);
  assert.match(out, /prefill FLOPs \/ token: Mamba_2_8B cheaper than Pythia_2_8B from L = 1,615/);
  assert.match(out, /at 131,072, B=1: Mamba_2_8B [\d.]+× cheaper decode step time than Pythia_2_8B/);
  out = '';
  assert.equal(await main(['compare', ...files, '--model', 'Pythia_2_8B', '--model', 'Mamba_2_8B', '--json', '--hardware', 'h200'], io), 0);
  const j = JSON.parse(out);
  assert.equal(j.hardware.id, 'h200');
  assert.deepEqual(j.curves.map((c: { model: string }) => c.model), ['Pythia_2_8B', 'Mamba_2_8B']);
  assert.equal(await main(['compare', files[0]], io), 2);
  assert.match(err, /at least two models/);
  assert.equal(await main(['compare', ...files, '--sweep', 'batch'], io), 2);
});
