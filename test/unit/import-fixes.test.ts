/**
 * Importer defaults checked against the transformers config classes (issue 12, "known mistakes"),
 * and the CLI's messages for a directory or a missing file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { convertHfConfig } from '../../language-server/src/import/hf';
import { main } from '../../language-server/src/cli/main';
import { costs, fixture, FIXTURES, importConfig } from '../helpers/importHf';

test('Qwen3 without head_dim: Qwen3Config defaults head_dim to 128, not hidden/heads (Qwen3-0.6B: 596,049,920)', () => {
  // Qwen/Qwen3-0.6B config.json fields, head_dim removed: d 1024, 28 layers, 16/8 heads, I 3072, tied.
  const cfg = {
    model_type: 'qwen3', hidden_size: 1024, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 8,
    intermediate_size: 3072, vocab_size: 151_936, tie_word_embeddings: true, torch_dtype: 'bfloat16',
  };
  const r = importConfig(cfg);
  // 151936·1024 + 28·(q 1024·2048 + k,v 2·1024·1024 + o 2048·1024 + q/k norm 256 + MLP 3·1024·3072 + 2 norms 2048) + 1024
  assert.equal(r.total, 151_936 * 1024 + 28 * (2 * 2_097_152 + 2 * 1_048_576 + 256 + 9_437_184 + 2048) + 1024);
  assert.equal(r.total, 596_049_920);
  assert.match(r.text, /head_dim: 128/);
  assert.match(r.text, /# note: 'head_dim' is not in the config; using the Qwen3Config default head_dim = 128/);
});

test('Gemma-2 defaults: Gemma2Config has 8 heads / 4 KV heads', () => {
  const cfg = fixture('gemma-2-9b');
  delete cfg.num_attention_heads;
  delete cfg.num_key_value_heads;
  const text = convertHfConfig(cfg, 'M');
  assert.match(text, /attention\(heads: 8, kv_heads: 4, head_dim: 256/);
  assert.match(text, /# note: 'num_attention_heads' is not in the config; using the Gemma2Config default num_attention_heads = 8/);
});

test('gpt-oss without experts_per_token: GptOssConfig default top-4 (same 20,914,757,184)', () => {
  const cfg = fixture('gpt-oss-20b');
  delete cfg.experts_per_token;
  delete cfg.num_experts_per_tok;
  const r = importConfig(cfg);
  assert.equal(r.total, 20_914_757_184);
  assert.match(r.text, /top_k: 4/);
  assert.match(r.text, /# note: 'num_experts_per_tok' is not in the config; using the GptOssConfig default num_experts_per_tok = 4/);
});

test('relu2 activation (nemotron) is emitted for the plain MLP', () => {
  const text = convertHfConfig(fixture('Nemotron-Mini-4B-Instruct'), 'M');
  assert.match(text, /mlp\(d_ff: 9216, act: relu2\)/);
  costs(text);
});

test('CLI import: a directory uses its config.json; a missing file or empty directory is a clear error', () => {
  let out = '';
  let err = '';
  const io = { out: (s: string) => { out += s; return true; }, err: (s: string) => { err += s; return true; } };
  assert.equal(main(['import', path.join(FIXTURES, 'Meta-Llama-3-8B')], io), 0);
  assert.match(out, /^model Meta_Llama_3_8B \{$/m);
  const missing = path.join(os.tmpdir(), `archlens-missing-${process.pid}.json`);
  assert.equal(main(['import', missing], io), 1);
  assert.match(err, /error: no such file: '.*archlens-missing-\d+\.json'/);
  assert.doesNotMatch(err, /ENOENT/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-dir-'));
  try {
    err = '';
    assert.equal(main(['import', dir], io), 1);
    assert.match(err, /is a directory without a config\.json/);
  } finally { fs.rmdirSync(dir); }
});
