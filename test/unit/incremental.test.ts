/** Incremental re-parse must give exactly what a full parse gives, for any edit (seeded random edits). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '../../language-server/src/syntax/parser';
import { diffText, reparse } from '../../language-server/src/syntax/incremental';
import { rng } from '../fuzz/generate';

// Every construct of the grammar, so a node kind whose spans were not moved would show up.
const ALL_CONSTRUCTS = [
  'import "std/llama3.arch"',
  'let w = -(2 * 4Ki + 1) / 2',
  'block B(h, f = [1, 2, 3]) {',
  '  d_model = 64',
  '  attention(heads: h, window: w) x 2 at not (first 1 or last 2) and every 2 from 1',
  '  layers 2 {',
  '    rmsnorm at [0, 1..1]',
  '  } at 1',
  '  layers 3 shared {',
  '    mlp(d_ff: 8) x 2 shared at every 2',
  '  }',
  '}',
  'model Z extends Llama3_8B {',
  '  B(h: 4)',
  '}',
].join('\n');

const std = (n: string): string => fs.readFileSync(path.join(__dirname, '..', '..', 'language-server', 'stdlib', `${n}.arch`), 'utf8');
const base = [std('llama3'), ALL_CONSTRUCTS, std('jamba'), std('deepseek_v3'), ALL_CONSTRUCTS.replace(/\bZ\b/g, 'Y').replace(/\bB\b/g, 'C'), std('engram')].join('\n');
const SNIPPETS = ['x', ' ', '\n', '2', 'heads: 4, ', '}', '{', '#', 'model Z {\n}\n', '(', ')', 'rmsnorm\n', '_'];

test('diffText finds the single edit', () => {
  assert.deepEqual(diffText('abcdef', 'abXYef'), { start: 2, end: 4, text: 'XY' });
  assert.deepEqual(diffText('abc', 'abc'), { start: 3, end: 3, text: '' });
});

test('reparse equals a full parse for 2,000 random edits (insertions, deletions, braces, comments)', () => {
  const r = rng(42);
  let text = base;
  let ast = parse(text);
  assert.deepEqual(ast.diagnostics, [], 'the base text is valid, so edits to it take the incremental path');
  let reused = 0;
  for (let i = 0; i < 2000; i++) {
    const at = Math.floor(r() * text.length);
    const del = r() < 0.3 ? Math.floor(r() * 20) : 0;
    const ins = r() < 0.8 ? SNIPPETS[Math.floor(r() * SNIPPETS.length)] : '';
    const next = text.slice(0, at) + ins + text.slice(Math.min(text.length, at + del));
    const inc = reparse(text, ast, next);
    const full = parse(next);
    assert.deepEqual(inc, full, `edit #${i} at ${at}: -${del} +${JSON.stringify(ins)}`);
    if (!ast.diagnostics.length && !full.diagnostics.length) reused++;
    // Drift back to the valid base now and then, so most edits happen in a clean file.
    if (r() < 0.2 || full.diagnostics.length) { text = base; ast = parse(text); } else { text = next; ast = inc; }
  }
  // Edits between two valid texts are the ones re-parsed incrementally (others fall back to a full parse).
  assert.ok(reused >= 500, `only ${reused} edits exercised the incremental path`);
});
