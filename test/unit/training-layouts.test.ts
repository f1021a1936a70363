/** Layout enumeration (training/layouts.ts), the layer map and the new webview messages' validators. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadModel } from '../../language-server/src/load/loadModel';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { analyze } from '../../language-server/src/semantic/analyze';
import { candidates, divisors, rankLayouts } from '../../language-server/src/training/layouts';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';
import type { DashboardData } from '../../language-server/src/protocol/dashboard';
import { isHostMessage, isWebviewMessage } from '../../language-server/src/protocol/webview';

const ROOT = path.join(__dirname, '..', '..');
const std = (f: string) => path.join(ROOT, 'language-server', 'stdlib', f);
const doc = (file: string) => new DocState(`file://${file}`, file, fs.readFileSync(file, 'utf8'), analyze(file, nodeHost()), DEFAULT_SETTINGS);

test('candidates: tp within a node, pp · tp divides the GPUs, ep only with experts', () => {
  assert.deepEqual(divisors(12), [1, 2, 3, 4, 6, 12]);
  const c = candidates(16, 8, false);
  assert.ok(c.every((x) => x.tp <= 8 && 16 % (x.tp * x.pp) === 0 && x.ep === 1));
  assert.equal(c.length, 5 + 4 + 3 + 2); // tp 1: pp 1,2,4,8,16; tp 2: 4; tp 4: 3; tp 8: 2
  assert.ok(candidates(8, 8, true).some((x) => x.ep === 8));
});

test('rankLayouts: Llama-3-8B on 16 H100s: only valid layouts, those that fit first, fastest first', () => {
  const m = loadModel({ file: std('llama3.arch'), host: nodeHost(), model: 'Llama3_8B' }).model;
  const r = rankLayouts(m, { hardware: 'h100', gpus: 16, seq: 8192, tokens: 1e12, zero: '1', recompute: 'selective' }, 8);
  assert.ok(r.length > 5);
  for (const l of r) assert.equal(l.tp * l.pp * l.dp, 16);
  const fit = r.filter((l) => l.fits);
  assert.ok(fit.length > 0 && r.slice(0, fit.length).every((l) => l.fits), 'fitting layouts come first');
  for (let i = 1; i < fit.length; i++) assert.ok(fit[i - 1].days <= fit[i].days, 'fastest first');
  assert.ok(!r.some((l) => l.tp === 16), 'tp stays within one 8-GPU node');
  assert.ok(!r.some((l) => 32 % l.tp !== 0), 'tp divides the 32 heads');
});

test('dashboard: layer map of Jamba (attention on 4 of 32 layers, 1:7) and training from the tokens setting', () => {
  const d = handleDashboard(doc(std('jamba.arch')), 'Jamba_v0_1') as DashboardData;
  const s = d.layerMap[0];
  assert.equal(s.layers, 32);
  const mixers = s.cells.filter((c) => c.row === 'mixer');
  assert.deepEqual(mixers.filter((c) => c.kind === 'attention').map((c) => c.layer), [4, 12, 20, 28]);
  assert.equal(mixers.filter((c) => c.kind === 'mamba').length, 28);
  assert.ok(s.cells.every((c) => c.source && c.source.start.line > 0));
  const p = handleDashboard(doc(std('pythia.arch')), 'Pythia_2_8B') as DashboardData;
  assert.equal(p.training.tokensFrom, 'model');
  assert.equal(p.training.params.tokens, 299_892_736_000);
  assert.ok(p.training.estimate!.gpuHours > 0);
});

test('validators: revealSource needs a file: .arch URI and whole positions; trainingOptions a known ZeRO stage', () => {
  const range = { uri: 'file:///w/a.arch', start: { line: 3, character: 4 }, end: { line: 3, character: 9 } };
  assert.ok(isWebviewMessage({ type: 'revealSource', range }));
  assert.ok(!isWebviewMessage({ type: 'revealSource', range: { ...range, uri: 'command:workbench.action.quit' } }));
  assert.ok(!isWebviewMessage({ type: 'revealSource', range: { ...range, uri: 'file:///etc/passwd' } }));
  assert.ok(!isWebviewMessage({ type: 'revealSource', range: { ...range, start: { line: -1, character: 0 } } }));
  const training = { hardware: 'h100', gpus: 8, tp: 1, pp: 1, dp: 8, ep: 1, zero: '1', recompute: 'selective', tokens: 1e12 };
  assert.ok(isWebviewMessage({ type: 'trainingOptions', training }));
  assert.ok(!isWebviewMessage({ type: 'trainingOptions', training: { ...training, zero: '4' } }));
  assert.ok(!isWebviewMessage({ type: 'trainingOptions', training: { ...training, gpus: 0.5 } }));
  const d = JSON.parse(JSON.stringify(handleDashboard(doc(std('mamba.arch')), 'Mamba_2_8B', ['Mamba2_2_7B'])));
  assert.ok(isHostMessage({ type: 'dashboard', data: d }));
  assert.ok(!isHostMessage({ type: 'dashboard', data: { ...d, layerMap: [{ model: 'x', layers: 1, cells: [{ layer: 0 }] }] } }));
});
