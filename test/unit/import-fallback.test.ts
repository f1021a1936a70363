/**
 * Unknown model_type (issue 12): three released configs with their model_type renamed (and their
 * architectures list removed, so that only the fields can tell) import with warnings and exact counts
 * where the closest family is the real one; a config too far from any decoder is refused naming the fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importHfConfig, ImportError } from '../../language-server/src/import/hf';
import { main } from '../../language-server/src/cli/main';
import { costs, fixture } from '../helpers/importHf';

function renamed(model: string, type: string, keepArchitectures = false): Record<string, unknown> {
  const cfg = fixture(model);
  cfg.model_type = type;
  if (!keepArchitectures) delete cfg.architectures;
  return cfg;
}

test('renamed Llama-3-8B (model_type my_llama): mapped to llama, exact 8,030,261,248, warnings', () => {
  const r = importHfConfig(renamed('Meta-Llama-3-8B', 'my_llama'), 'M');
  assert.equal(costs(r.text).get('M')!.total, 8_030_261_248);
  assert.match(r.warnings[0], /model_type 'my_llama' is not a known family; mapped to the closest one, llama/);
  assert.match(r.text, /^# warning: model_type 'my_llama' is not a known family/m);
});

test('renamed Mixtral-8x7B (model_type acme_moe): mapped to mixtral, exact 46,702,792,704 / 12,879,925,248', () => {
  const r = importHfConfig(renamed('Mixtral-8x7B-v0.1', 'acme_moe'), 'M');
  const c = costs(r.text).get('M')!;
  assert.equal(c.total, 46_702_792_704);
  assert.equal(c.active, 12_879_925_248);
  assert.match(r.warnings[0], /mapped to the closest one, mixtral/);
});

test('renamed gpt2 (model_type gpt2_fork): aliases read and named; LayerNorm assumed; ignored fields listed', () => {
  const r = importHfConfig(renamed('gpt2', 'gpt2_fork'), 'M');
  costs(r.text);
  assert.ok(r.warnings.some((w) => /read 'n_embd' as hidden_size = 768/.test(w)), r.warnings.join('\n'));
  assert.ok(r.warnings.some((w) => /read 'n_layer' as num_hidden_layers = 12/.test(w)));
  assert.ok(r.warnings.some((w) => /assumed LayerNorm/.test(w)));
  assert.ok(r.warnings.some((w) => /assumed 4·hidden_size = 3072/.test(w)));
  assert.ok(r.warnings.some((w) => /fields ignored .*n_ctx/.test(w)));
  assert.match(r.text, /layernorm/);
});

test('renamed Qwen2-7B keeping its architectures class: converted exactly as qwen2, one warning', () => {
  const r = importHfConfig(renamed('Qwen2-7B', 'qwen2_custom', true), 'M');
  assert.equal(costs(r.text).get('M')!.total, 7_615_616_512);
  assert.deepEqual(r.warnings, ["model_type 'qwen2_custom' is not a known family; converted as 'qwen2', the family of its architectures class Qwen2ForCausalLM"]);
});

test('a config too far from any decoder: ImportError naming the fields that could not be mapped', () => {
  assert.throws(() => importHfConfig({ model_type: 'bert_like', hidden_size: 768, type_vocab_size: 2 }, 'M'), (e: Error) => e instanceof ImportError
    && /unsupported model_type 'bert_like'/.test(e.message) && /no 'num_hidden_layers' \(or n_layer/.test(e.message)
    && /'num_attention_heads'/.test(e.message) && /'vocab_size'/.test(e.message) && !/'hidden_size'/.test(e.message));
});

test('CLI: warnings on stderr, exit 0, .arch on stdout', () => {
  let out = '';
  let err = '';
  const io = { out: (s: string) => { out += s; return true; }, err: (s: string) => { err += s; return true; } };
  const tmp = path.join(os.tmpdir(), `archlens-fallback-${process.pid}.json`);
  fs.writeFileSync(tmp, JSON.stringify(renamed('Meta-Llama-3-8B', 'my_llama')));
  try {
    assert.equal(main(['import', tmp], io), 0);
    assert.match(err, /:1:1: warning: model_type 'my_llama' is not a known family/);
    assert.match(out, /^model archlens_fallback_\d+ \{$/m);
  } finally { fs.unlinkSync(tmp); }
});
