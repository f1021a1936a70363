/** Incremental re-parse must give exactly what a full parse gives, for any edit (seeded random edits). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '../../language-server/src/syntax/parser';
import { diffText, reparse } from '../../language-server/src/syntax/incremental';
import { rng } from '../fuzz/generate';

const base = ['llama3', 'jamba', 'deepseek_v3', 'engram'].map((n) => fs.readFileSync(path.join(__dirname, '..', '..', 'language-server', 'stdlib', `${n}.arch`), 'utf8')).join('\n');
const SNIPPETS = ['x', ' ', '\n', '2', 'heads: 4, ', '}', '{', '#', 'model Z {\n}\n', '(', ')', 'rmsnorm\n', '_'];

test('diffText finds the single edit', () => {
  assert.deepEqual(diffText('abcdef', 'abXYef'), { start: 2, end: 4, text: 'XY' });
  assert.deepEqual(diffText('abc', 'abc'), { start: 3, end: 3, text: '' });
});

test('reparse equals a full parse for 2,000 random edits (insertions, deletions, braces, comments)', () => {
  const r = rng(42);
  let text = base;
  let ast = parse(text);
  for (let i = 0; i < 2000; i++) {
    const at = Math.floor(r() * text.length);
    const del = r() < 0.3 ? Math.floor(r() * 20) : 0;
    const ins = r() < 0.8 ? SNIPPETS[Math.floor(r() * SNIPPETS.length)] : '';
    const next = text.slice(0, at) + ins + text.slice(Math.min(text.length, at + del));
    const inc = reparse(text, ast, next);
    const full = parse(next);
    assert.deepEqual(inc, full, `edit #${i} at ${at}: -${del} +${JSON.stringify(ins)}`);
    // Drift back to the valid base now and then, so most edits happen in a clean file.
    if (r() < 0.2) { text = base; ast = parse(text); } else { text = next; ast = inc; }
  }
});
