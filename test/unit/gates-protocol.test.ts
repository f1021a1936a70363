/**
 * Shared protocol definitions: gate output names (docs/gates.md is the spec) and execution-provider
 * attempts, each defined once in language-server/src/protocol/ and used by the ONNX validation, the gate
 * panel host, the webview and `archlens run`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { GATE_KINDS, GATE_NAME, DRAWN_GATE_KINDS, TOKEN_GATE_KINDS, gateName, isDrawnGate, parseGateName } from '../../language-server/src/protocol/gates';
import { attemptView } from '../../language-server/src/protocol/inference';
import { parseGates as parseOnnxGates } from '../../language-server/src/onnx/info';
import { parseGates as parseWebviewGates } from '../../webview/heatmap';

const root = path.join(__dirname, '..', '..');
const gatesDoc = fs.readFileSync(path.join(root, 'docs', 'gates.md'), 'utf8');

test('docs/gates.md states the same name pattern and documents every gate kind', () => {
  assert.ok(gatesDoc.includes(`Names match \`${GATE_NAME.source}\``), `docs/gates.md does not state ${GATE_NAME.source}`);
  for (const k of GATE_KINDS) assert.ok(gatesDoc.includes(`| \`${k}_l{i}\` |`), `docs/gates.md has no row for ${k}_l{i}`);
});

test('gate names parse to kind and layer; other outputs do not', () => {
  assert.deepEqual(parseGateName('hc_post_l12'), { kind: 'hc_post', layer: 12 });
  assert.deepEqual(parseGateName('engram_alpha_l0'), { kind: 'engram_alpha', layer: 0 });
  for (const n of ['logits', 'hc_res_l', 'moe_probs_l1x', 'xattn_probs_l0', 'hc_pre']) assert.equal(parseGateName(n), undefined, n);
});

test('a second gate of one kind in a layer takes _b: parsed with its index, ordered after the first in depth', () => {
  assert.deepEqual(parseGateName('hc_res_l3_b'), { kind: 'hc_res', layer: 3, index: 1 });
  assert.equal(gateName('hc_res', 3, 1), 'hc_res_l3_b');
  assert.equal(gateName('hc_res', 3), 'hc_res_l3');
  assert.equal(parseGateName('hc_res_l3_a'), undefined);
  const names = ['hc_res_l2', 'hc_res_l1_b', 'hc_res_l1', 'hc_res_l0_b', 'hc_res_l0'];
  assert.deepEqual(parseOnnxGates(names).map((g) => g.name), ['hc_res_l0', 'hc_res_l0_b', 'hc_res_l1', 'hc_res_l1_b', 'hc_res_l2']);
  const hc = parseWebviewGates(names.map((name) => ({ name, dims: [1, 1, 2, 2], data: [1, 0, 0, 1] }))).hc;
  assert.deepEqual(hc.map((t) => [t.layer, t.index ?? 0]), [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0]]);
});

test('validation, panel host and webview agree: every kind is a gate, the drawn ones reach the heatmaps', () => {
  const names = GATE_KINDS.map((k) => `${k}_l3`);
  assert.deepEqual(parseOnnxGates([...names, 'logits']).map((g) => g.name), names);
  assert.deepEqual(names.filter(isDrawnGate), DRAWN_GATE_KINDS.map((k) => `${k}_l3`));
  assert.ok(!isDrawnGate('hc_pre_l0') && !isDrawnGate('hc_post_l0'));
  const dims: Record<string, number[]> = { engram_alpha: [1, 4], moe_probs: [1, 4, 8], attn_probs: [1, 2, 4, 4], hc_res: [1, 4, 2, 2] };
  const parsed = parseWebviewGates(DRAWN_GATE_KINDS.map((k) => ({ name: `${k}_l3`, dims: dims[k] ?? [1, 4, 2], data: [] })));
  assert.deepEqual(parsed.ignored, []);
  assert.deepEqual([parsed.alpha, parsed.moe, parsed.attn, parsed.hc].map((x) => x.map((t) => t.layer)), [[3], [3], [3], [3]]);
  assert.deepEqual(parsed.perToken.map((t) => t.kind), [...TOKEN_GATE_KINDS]);
});

test('provider attempts: one view for the panel and for archlens run, a skip folded into the error', () => {
  assert.deepEqual(attemptView({ provider: 'cuda', ok: false, skipped: true, error: 'not available on linux' }),
    { provider: 'cuda', ok: false, error: 'skipped: not available on linux' });
  assert.deepEqual(attemptView({ provider: 'webgpu', ok: false, error: 'no adapter' }), { provider: 'webgpu', ok: false, error: 'no adapter' });
  assert.deepEqual(attemptView({ provider: 'cpu', ok: true }), { provider: 'cpu', ok: true });
  assert.deepEqual(attemptView({ provider: 'dml', ok: false, skipped: true }), { provider: 'dml', ok: false, error: 'skipped' });
});

test('no other gate-name pattern or provider-attempt shape remains in the product folders', () => {
  const files = ['extension/panels/gatesPanel.ts', 'webview/heatmap.ts', 'language-server/src/onnx/info.ts',
    'language-server/src/runtime/ortTimer.ts', 'language-server/src/protocol/webview.ts'];
  for (const f of files) {
    const src = fs.readFileSync(path.join(root, f), 'utf8');
    assert.ok(!/hc_res\)?_l\\d|attn_probs\|/.test(src), `${f} has its own gate-name pattern`);
    assert.ok(!/interface ProviderAttempt\b|interface ProviderTry\b/.test(src), `${f} has its own provider-attempt type`);
  }
});
