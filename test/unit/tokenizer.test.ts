import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalId, decode, encode, tokenPieces, VOCAB_SIZE } from '../../models/tokenizer';

test('encode gives UTF-8 bytes and decode inverts it', () => {
  assert.equal(VOCAB_SIZE, 256);
  assert.deepEqual(encode('Hi!'), [72, 105, 33]);
  assert.deepEqual(encode('é'), [0xc3, 0xa9]);
  assert.deepEqual(encode('€'), [0xe2, 0x82, 0xac]);
  assert.deepEqual(encode('😀'), [0xf0, 0x9f, 0x98, 0x80]);
  assert.deepEqual(encode(''), []);
  for (const s of ['', 'The United States of America', 'naïve café — “quotes” 日本 😀\n\tend']) {
    assert.equal(decode(encode(s)), s);
  }
});

test('decode accepts bigint ids (onnxruntime int64 tensors) and replaces invalid UTF-8', () => {
  assert.equal(decode(BigInt64Array.from([72n, 105n])), 'Hi');
  assert.equal(decode([0xc3]), '\ufffd');
  assert.throws(() => decode([256]), RangeError);
  assert.throws(() => decode([-1]), RangeError);
});

test('tokenPieces: one piece per byte, multi-byte characters grouped on their first byte', () => {
  const text = 'a é\n€😀';
  const pieces = tokenPieces(text);
  assert.equal(pieces.length, encode(text).length);
  assert.deepEqual(pieces.map((p) => p.id), encode(text));
  assert.deepEqual(pieces.map((p) => p.display), ['a', '␣', 'é', '', '↵', '€', '', '', '😀', '', '', '']);
  assert.deepEqual(pieces.map((p) => p.continuation), [false, false, false, true, false, false, true, true, false, true, true, true]);
  // offsets map every byte back to its character in the (UTF-16) string
  for (const p of pieces) assert.ok(p.end > p.start);
  assert.equal(text.slice(pieces[8].start, pieces[8].end), '😀');
  assert.equal(text.slice(pieces[3].start, pieces[3].end), 'é');
  assert.equal(pieces.filter((p) => !p.continuation).map((p) => p.text).join(''), text);
  assert.equal(tokenPieces('\x01')[0].display, '\\x01');
});

test('canonicalId lowercases ASCII and folds whitespace (Engram tokenizer compression)', () => {
  assert.equal(canonicalId(65), 97);
  assert.equal(canonicalId(90), 122);
  assert.equal(canonicalId(97), 97);
  assert.equal(canonicalId(10), 32);
  assert.equal(canonicalId(9), 32);
  assert.equal(canonicalId(0xc3), 0xc3);
});
