/**
 * Recurrent mixers of issue 13 (xLSTM, LSTM / GRU, S4D): each expected count is a hand count of the reference
 * implementation's parameter list, written out term by term.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dims, run } from '../helpers/kinds';

// NX-AI/xlstm mLSTMLayer at the paper's 125M width (d 768, 4 heads, proj_factor 2 → di 1536, conv 4, qkv_blocksize 4,
// bias false): proj_up 768·3072; q, k, v 3·(384 blocks of 4×4); igate, fgate 2·(4608·4 + 4); conv1d 1536·4 + 1536;
// outnorm 1536; learnable_skip 1536; proj_down 1536·768.
test('mlstm: xLSTM-125M mLSTM layer 3,605,000 (NX-AI/xlstm mLSTMLayer parameter list)', () => {
  const { cost, issues } = run('mlstm', {}, dims(768));
  assert.deepEqual(issues, []);
  const di = 1536;
  assert.equal(cost.params, 768 * 2 * di + 3 * 384 * 16 + 2 * (3 * di * 4 + 4) + di * 4 + di + di + di + di * 768);
  assert.equal(cost.params, 3_605_000);
  // 24 blocks (each with its 768-weight pre-norm) + 50,304×768 embedding (tied) + final norm: the paper's "125M".
  assert.equal(24 * (cost.params + 768) + 50_304 * 768 + 768, 125_172_672);
  // state: conv window 1536·3 + per head C 384², n 384, m 1.
  assert.equal(cost.cacheBytes, (di * 3 + 4 * (384 * 384 + 384 + 1)) * 4);
});

// NX-AI/xlstm sLSTMLayer (d 768, 4 heads, conv 4): conv1d 768·4 + 768; i, f, z, o gates 4·(4 blocks of 192²);
// recurrent kernel 4·192·4·192; bias 4·4·192; group_norm weight 768.
test('slstm: xLSTM-125M sLSTM layer 1,187,328 (NX-AI/xlstm sLSTMLayer parameter list)', () => {
  const { cost } = run('slstm', {}, dims(768));
  assert.equal(cost.params, 768 * 4 + 768 + 4 * 4 * 192 * 192 + 4 * 192 * 4 * 192 + 4 * 4 * 192 + 768);
  assert.equal(cost.params, 1_187_328);
  assert.equal(cost.cacheBytes, (768 * 3 + 4 * 768) * 4);
});

test('mlstm / slstm: heads must divide their widths', () => {
  assert.equal(run('mlstm', { heads: 5 }, dims(768)).issues.length, 1);
  assert.equal(run('slstm', { heads: 5 }, dims(768)).issues.length, 1);
});

// PyTorch nn.LSTM(512, 512) / nn.GRU(512, 512): weight_ih G·512×512, weight_hh G·512×512, b_ih, b_hh G·512 each.
test('lstm / gru: nn.LSTM(512, 512) 2,101,248 and nn.GRU(512, 512) 1,575,936 (PyTorch parameter lists)', () => {
  const l = run('lstm', {}, dims(512)).cost;
  assert.equal(l.params, 4 * (512 * 512 + 512 * 512 + 2 * 512));
  assert.equal(l.params, 2_101_248);
  assert.equal(l.cacheBytes, 2 * 512 * 4);
  assert.equal(l.prefillFlops, 2 * 4 * 512 * 1024);
  const g = run('gru', {}, dims(512)).cost;
  assert.equal(g.params, 1_575_936);
  assert.equal(g.cacheBytes, 512 * 4);
  // hidden ≠ d_model: nn.LSTM(512, 1024) + a 1024×512 projection back to the residual stream.
  assert.equal(run('lstm', { hidden: 1024 }, dims(512)).cost.params, 4 * (1024 * 512 + 1024 * 1024 + 2 * 1024) + 1024 * 512);
});

// state-spaces/s4 models/s4/s4d.py at H 128, N 64: S4DKernel log_dt 128, C 128·32 complex = 8,192 reals, log_A_real and
// A_imag 128·32 each; S4D.D 128; output_linear Conv1d(128, 256, 1) 256·128 + 256.
test('s4d: S4D layer (H 128, N 64) 49,664 (state-spaces/s4 S4D parameter list); FFT prefill, recurrent decode', () => {
  const { cost, issues } = run('s4d', {}, dims(128), { seq: 4096, batch: 1 });
  assert.deepEqual(issues, []);
  assert.equal(cost.params, 128 + 128 * 32 * 2 + 2 * 128 * 32 + 128 + 256 * 128 + 256);
  assert.equal(cost.params, 49_664);
  assert.equal(cost.cacheBytes, 128 * 64 * 4);
  assert.equal(cost.decodeFlops, 4 * 128 * 128 + 128 * (6 * 64 + 2));
  assert.equal(cost.prefillFlops, 4 * 128 * 128 + 2 * 128 * 65 + 128 * 15 * 13);
  assert.equal(run('s4d', { d_state: 7 }, dims(128)).issues.length, 1);
});
