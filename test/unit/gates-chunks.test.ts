/** Long text in chunks (extension/panels/chunks.ts): planning, probe fitting, and joining gates along the token axis. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_TOKENS, mergeChunks, planChunks } from '../../extension/panels/chunks';

test('chunks: 256-token slices for a dynamic model, fixed-T fitted slices for a probe, at most maxChunks', () => {
  const ids = Array.from({ length: 600 }, (_, i) => i % 256);
  assert.deepEqual(planChunks(ids).map((c) => [c.ids.length, c.real]), [[CHUNK_TOKENS, 256], [256, 256], [88, 88]]);
  assert.deepEqual(planChunks(ids, undefined, 2).length, 2);
  const probe = planChunks([70, 71, 72, 73, 74], { seq: 4, vocab: 64 });
  assert.deepEqual(probe, [{ ids: [6, 7, 8, 9], real: 4 }, { ids: [10, 0, 0, 0], real: 1 }]);
  assert.deepEqual(planChunks([]), [{ ids: [], real: 0 }]);
});

test('merge: per-token gates join along T (padding dropped); attention maps are left out and named', () => {
  const chunks = [{ ids: [1, 2], real: 2 }, { ids: [3, 0], real: 1 }];
  const part = (k: number) => [
    { name: 'engram_alpha_l1', dims: [1, 2], data: [k, k + 0.5] },
    { name: 'moe_probs_l0', dims: [1, 2, 2], data: [k, 1 - k, k, 1 - k] },
    { name: 'attn_probs_l0', dims: [1, 1, 2, 2], data: [1, 0, 0.5, 0.5] },
  ];
  const m = mergeChunks([part(0.1), part(0.2)], chunks);
  assert.deepEqual(m.dropped, ['attn_probs_l0']);
  assert.deepEqual(m.outputs.map((o) => [o.name, o.dims]), [['engram_alpha_l1', [1, 3]], ['moe_probs_l0', [1, 3, 2]]]);
  assert.deepEqual(m.outputs[0].data, [0.1, 0.6, 0.2]);
  assert.deepEqual(mergeChunks([part(0.1)], [chunks[0]]).outputs.length, 3, 'one chunk: unchanged, attention kept');
});
