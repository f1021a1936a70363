/**
 * Two released models written with the language's own features, against counts derived from their released
 * configs and reference implementations (each figure cites its source):
 * - examples/zamba2_1_2b.arch: Zamba2-1.2B, one shared attention + MLP block (`Zamba2Shared shared at every 6 from 5`).
 * - examples/xlstm_7b.arch: xLSTM 7B, `mlstm(variant: large)` + SwiGLU FFN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { costModel, type ModelReport } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { analyzeText } from '../helpers/memoryHost';

const ROOT = path.join(__dirname, '..', '..');

function report(file: string): ModelReport {
  const a = analyze(path.join(ROOT, 'examples', file), nodeHost());
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return costModel(a.models[0], { hardware: findHardware('h100')!, seq: 4096 });
}

// Zyphra/Zamba2-1.2B config.json (hidden_size 2048, 38 layers, hybrid "g" at 5, 11, …, 35, num_mem_blocks 1,
// ffn_hidden_size 8192, lora_rank 128, use_shared_attention_lora true, mamba_headdim 64, state_size 128, vocab 32000,
// tied) with transformers modeling_zamba2.py shapes: Mamba-2 layer (in_proj 2048·(2·4096 + 2·128 + 64), conv1d
// 4352·4 + 4352, dt_bias / A_log / D 3·64, gated norm 4096, out_proj 4096·2048, input_layernorm 2048); the shared
// block (input_layernorm 4096, q/k/v 3·4096·4096, o_proj 4096·2048, pre_ff_layernorm 2048, gate_up 2048·16384,
// down 8192·2048); per hybrid layer the gate_up and q/k/v LoRA adapters and the d×d linear.
test('Zamba2-1.2B: 1,215,064,704 parameters, the shared block counted once (released model.safetensors 2.43 GB in bf16)', () => {
  const mamba = 2048 * (2 * 4096 + 2 * 128 + 64) + 4352 * 5 + 3 * 64 + 4096 + 4096 * 2048 + 2048;
  const shared = 4096 + 3 * 4096 * 4096 + 4096 * 2048 + 2048 + 2048 * 16_384 + 8192 * 2048;
  const perHybrid = 2048 * 128 + 128 * 16_384 + 3 * (4096 * 128 + 128 * 4096) + 2048 * 2048;
  const expected = 32_000 * 2048 + 38 * mamba + shared + 6 * perHybrid + 2048;
  assert.equal(expected, 1_215_064_704);
  const r = report('zamba2_1_2b.arch');
  assert.equal(r.totals.params.total, expected);
  // the shared block's weights once, its FLOPs on each of the 6 layers that apply it
  const attn = r.blocks.filter((b) => b.instance.kind === 'attention');
  assert.equal(attn.length, 1);
  assert.equal(attn[0].instance.count, 6);
  assert.equal(attn[0].all.params, attn[0].one.params);
  assert.equal(attn[0].all.prefillFlops, 6 * attn[0].one.prefillFlops);
  // Hugging Face lists model.safetensors at 2.43 GB: bf16 weights, 2 bytes each
  assert.equal(Math.round((2 * expected) / 1e7) / 100, 2.43);
});

// NX-AI/xLSTM-7b config.json (embedding_dim 4096, num_heads 8, num_blocks 32, vocab 50304, qk_dim_factor 0.5,
// v_dim_factor 1, ffn_proj_factor 2.667 → 10,944, no biases, untied) with xlstm_large/model.py shapes: mLSTMLayer q, k
// 4096·2048, v and ogate_preact 4096·4096, igate / fgate 4096·8 + 8, multihead_norm 4096, out_proj 4096·4096.
test('xLSTM 7B: mLSTM layer 67,178,512, model 6,865,424,896 (released safetensors 27.46 GB in fp32)', () => {
  const layer = 2 * 4096 * 2048 + 2 * 4096 * 4096 + 2 * (4096 * 8 + 8) + 4096 + 4096 * 4096;
  assert.equal(layer, 67_178_512);
  const block = 2 * 4096 + layer + 3 * 4096 * 10_944;
  const expected = 32 * block + 2 * 50_304 * 4096 + 4096;
  assert.equal(expected, 6_865_424_896);
  const r = report('xlstm_7b.arch');
  assert.equal(r.totals.params.total, expected);
  const m = r.blocks.find((b) => b.instance.kind === 'mlstm')!;
  assert.equal(m.one.params, layer);
  // state per layer and sequence: H·(dk·dv + dk + 1) = 8·(256·512 + 256 + 1) fp32 values, constant in L
  assert.equal(m.one.cacheBytes, 8 * (256 * 512 + 256 + 1) * 4);
  // the six shards: 4.99 + 4.97 + 3 × 4.84 + 2.98 = 27.46 GB of fp32 weights
  assert.equal(Math.round((4 * expected) / 1e7) / 100, 27.46);
});

test('mlstm(variant: large): widths that heads do not divide, or that are 0, are located errors', () => {
  const errors = (args: string): string[] => analyzeText(`model X {\n  d_model = 64\n  mlstm(variant: large, ${args})\n}\n`)
    .diagnostics.filter((d) => d.severity === 'error' && d.start > 0).map((d) => d.message);
  assert.deepEqual(errors('heads: 3'), ['heads (3) must divide the q/k width (32) and the value width (64)']);
  assert.deepEqual(errors('qk_dim_factor: 0'), ['qk_dim_factor gives a q/k width of 0 (d_model 64)']);
  assert.deepEqual(errors('v_dim_factor: 0.001'), ['v_dim_factor gives a value width of 0 (d_model 64)']);
  assert.deepEqual(errors('heads: 4, qk_dim_factor: 0.25'), []);
});
