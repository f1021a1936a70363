/**
 * What the gate panel cannot show faithfully is said, not hidden (issue 11 item 17): NaN / infinite gate values are
 * counted in a visible note (and drawn as 0), and a gate of rank > 8 is left out with a note, not a console warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gateOutputs, MAX_GATE_RANK } from '../../extension/panels/gateOutputs';
import { isHostMessage } from '../../language-server/src/protocol/webview';

test('NaN and infinite gate values are drawn as 0 and reported in a note', () => {
  const notes: string[] = [];
  const out = gateOutputs([{ name: 'engram_alpha_l1', type: 'float32', dims: [1, 4, 1], data: [0.5, Number.NaN, Infinity, 0.25] }], notes);
  assert.deepEqual(out[0].data, [0.5, 0, 0, 0.25]);
  assert.deepEqual(notes, ['engram_alpha_l1: 2 of 4 values are NaN or infinite (the model produced them); drawn as 0']);
});

test('a gate of rank above the panel limit is left out with a note; logits are never posted', () => {
  const notes: string[] = [];
  const dims = Array.from({ length: MAX_GATE_RANK + 1 }, () => 1);
  const out = gateOutputs([
    { name: 'hc_res_l0', type: 'float32', dims, data: [1] },
    { name: 'logits', type: 'float32', dims: [1, 1, 2], data: [1, 2] },
  ], notes);
  assert.deepEqual(out, []);
  assert.match(notes[0], /hc_res_l0 has 9 dimensions; the panel draws gates of at most 8: left out/);
});

test('the webview protocol carries the notes of a run', () => {
  const run = { model: 'm', provider: 'cpu', attempts: [], ms: 1, text: 'a', tokens: ['a'], outputs: [], untrained: false, notes: ['x: 1 of 1 values are NaN'] };
  assert.ok(isHostMessage({ type: 'gates', run }));
  assert.ok(!isHostMessage({ type: 'gates', run: { ...run, notes: [3] } }));
});
