/**
 * Hostile configs for `archlens import` (issue 11 items 12, 14, 15): config strings cannot inject declarations,
 * prototype keys are not families, and layer counts are bounded before any per-layer work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importHfConfig } from '../../language-server/src/import/hf';
import { MAX_LAYERS } from '../../language-server/src/import/config';
import { analyzeText } from '../helpers/memoryHost';

const llama = (extra: Record<string, unknown>): Record<string, unknown> => ({
  model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 8, num_key_value_heads: 8,
  intermediate_size: 128, vocab_size: 100, rms_norm_eps: 1e-5, ...extra,
});

test('a config string with line breaks stays inside its comment: no injected declaration', () => {
  const { text } = importHfConfig(llama({ architectures: ['Llama\nmodel Evil {\n  custom(params: 1)\n}\r\u2028x'] }), 'm');
  assert.ok(!/^model Evil/m.test(text), text.slice(0, 400));
  const a = analyzeText(text);
  assert.deepEqual(a.models.map((m) => m.name), ['m']);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
});

test('prototype keys are not model families', () => {
  for (const type of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
    assert.throws(() => importHfConfig({ model_type: type, hidden_size: 64 }, 'm'), /unsupported model_type/, type);
    assert.throws(() => importHfConfig({ architectures: [type], hidden_size: 64 }, 'm'), /./, type);
  }
});

test('layer counts beyond the bound are refused before any per-layer work; large valid ones are linear', () => {
  assert.throws(() => importHfConfig(llama({ num_hidden_layers: 2_000_000 }), 'm'), /num_hidden_layers' is 2000000: more than 100,000 layers/);
  assert.throws(() => importHfConfig(llama({ num_hidden_layers: 1e9 }), 'm'), /more than 100,000 layers/);
  const { text } = importHfConfig(llama({ num_hidden_layers: MAX_LAYERS }), 'm');
  assert.match(text, /layers 100000 \{/);
});

test('UTF-16 sources (with a byte-order mark) are decoded, not read as UTF-8; a UTF-8 BOM is dropped', async () => {
  const { decodeSource } = await import('../../language-server/src/host/nodeHost');
  const text = 'model M {\n  vocab = 10\n}\n';
  const units = Array.from(text, (ch) => ch.charCodeAt(0));
  const le = Uint8Array.from([0xff, 0xfe, ...units.flatMap((u) => [u & 0xff, u >> 8])]);
  const be = Uint8Array.from([0xfe, 0xff, ...units.flatMap((u) => [u >> 8, u & 0xff])]);
  const utf8 = Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
  assert.equal(decodeSource(le), text);
  assert.equal(decodeSource(be), text);
  assert.equal(decodeSource(utf8), text);
  assert.equal(analyzeText(decodeSource(le)).models[0].name, 'M');
});
