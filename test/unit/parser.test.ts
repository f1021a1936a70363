import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../language-server/src/syntax/parser';
import { lex } from '../../language-server/src/syntax/lexer';
import type { BlockUse, LayersGroup, ModelDecl } from '../../language-server/src/syntax/ast';
import { lineCol } from '../helpers/memoryHost';

test('numbers: separators, decimal and binary suffixes, exponents', () => {
  const values = lex('128_256 8K 4Ki 1.5M 5e5 2B 1Gi 3T 0.25').tokens.filter((t) => t.kind === 'number').map((t) => t.value);
  assert.deepEqual(values, [128256, 8000, 4096, 1.5e6, 5e5, 2e9, 2 ** 30, 3e12, 0.25]);
});

test('bad numbers are located errors', () => {
  const text = 'model M {\n  vocab = 12Q\n  d_model = 1__0\n}';
  const f = parse(text);
  assert.deepEqual(f.diagnostics.map((d) => `${lineCol(text, d.start)} ${d.message}`), [
    "2:11 unknown number suffix 'Q' (expected one of K, M, B, T, Ki, Mi, Gi, Ti)",
    "3:13 malformed number '1__0': '_' must separate digits",
  ]);
});

test('a full model parses with exact spans', () => {
  const text = [
    '# A tiny model.',
    'model Tiny extends Base {',
    '  d_model = 64',
    '  embedding',
    '  layers 4 {',
    '    attention(heads: 4, kv_heads: 2) at every 2 from 1',
    '    gated_mlp(d_ff: 4 * d_model) x 2',
    '  }',
    '}',
  ].join('\n');
  const f = parse(text);
  assert.deepEqual(f.diagnostics, []);
  const m = f.items[0] as ModelDecl;
  assert.equal(m.name.text, 'Tiny');
  assert.equal(m.base?.text, 'Base');
  assert.equal(m.doc, 'A tiny model.');
  const layers = m.body[2] as LayersGroup;
  assert.equal(layers.kind, 'Layers');
  const att = layers.body[0] as BlockUse;
  assert.equal(text.slice(att.start, att.end), 'attention(heads: 4, kv_heads: 2) at every 2 from 1');
  assert.equal(text.slice(att.argsSpan!.start, att.argsSpan!.end), '(heads: 4, kv_heads: 2)');
  assert.equal(att.selector?.kind, 'Every');
  const mlp = layers.body[1] as BlockUse;
  assert.equal(mlp.args[0].value.kind, 'Binary');
  assert.equal(mlp.repeat?.kind, 'Number');
});

test('selectors: lists, ranges, not/and/or, parentheses', () => {
  const text = 'model M {\n layers 8 {\n  a at [1, 3..5]\n  b at not (first 2 or last 1) and every 2\n  c at 3\n }\n}';
  const f = parse(text);
  assert.deepEqual(f.diagnostics, []);
  const body = ((f.items[0] as ModelDecl).body[0] as LayersGroup).body as BlockUse[];
  assert.equal(body[0].selector?.kind, 'Indices');
  assert.equal(body[1].selector?.kind, 'And');
  assert.equal(body[2].selector?.kind, 'Indices');
});

test('recovery: a half-typed argument list keeps the rest of the file', () => {
  const text = 'model A {\n  attention(heads: \n  rmsnorm\n}\nmodel B {\n  rmsnorm\n}\n';
  const f = parse(text);
  const names = f.items.map((i) => (i as ModelDecl).name.text);
  assert.deepEqual(names, ['A', 'B']);
  assert.deepEqual(f.diagnostics.map((d) => `${lineCol(text, d.start)} ${d.message}`), [
    "2:12 '(' is never closed: expected ')' before 'rmsnorm'",
    "2:19 expected a value for 'heads'",
  ]);
  assert.equal(((f.items[1] as ModelDecl).body[0] as BlockUse).name.text, 'rmsnorm');
});

test('recovery: an unclosed brace is reported at the brace and the next model still parses', () => {
  const text = 'model A {\n  rmsnorm\nmodel B {\n  layernorm\n}\n';
  const f = parse(text);
  assert.deepEqual(f.items.map((i) => (i as ModelDecl).name.text), ['A', 'B']);
  assert.equal(f.diagnostics.length, 1);
  assert.equal(lineCol(text, f.diagnostics[0].start), '1:9');
  assert.match(f.diagnostics[0].message, /'\{' is never closed/);
});

test('recovery: garbage on a line is skipped, later items survive', () => {
  const text = 'model A {\n  rmsnorm ) ) junk\n  @@@\n  layernorm\n}\n';
  const f = parse(text);
  const body = (f.items[0] as ModelDecl).body as BlockUse[];
  assert.deepEqual(body.map((b) => b.name.text), ['rmsnorm', 'layernorm']);
  assert.deepEqual(f.diagnostics.map((d) => lineCol(text, d.start)), ['2:11', '3:3']);
  assert.match(f.diagnostics[0].message, /expected the end of the line, found '\)'/);
});

test('top-level junk is reported once and parsing resumes at the next declaration', () => {
  const text = 'hello world\nfoo(1)\nmodel A {\n rmsnorm\n}';
  const f = parse(text);
  assert.equal(f.diagnostics.length, 1);
  assert.match(f.diagnostics[0].message, /expected 'model', 'block', 'import' or 'let', found 'hello'/);
  assert.equal((f.items[0] as ModelDecl).name.text, 'A');
});

test('imports, lets and block definitions with defaults', () => {
  const text = 'import "std/llama3.arch"\nlet width = 2Ki\n# doc line\nblock L(h, f = 4 * width) {\n  attention(heads: h)\n}\n';
  const f = parse(text);
  assert.deepEqual(f.diagnostics, []);
  assert.deepEqual(f.items.map((i) => i.kind), ['Import', 'Let', 'BlockDef']);
  const def = f.items[2];
  assert.equal(def.kind === 'BlockDef' && def.params.map((p) => p.name.text).join(','), 'h,f');
  assert.equal(def.kind === 'BlockDef' && def.doc, 'doc line');
});

test('unterminated strings and stray characters are located', () => {
  const text = 'import "std/x\nmodel M { € }';
  const f = parse(text);
  assert.deepEqual(f.diagnostics.map((d) => lineCol(text, d.start)), ['1:8', '2:11']);
  assert.match(f.diagnostics[0].message, /unterminated string/);
  assert.match(f.diagnostics[1].message, /unexpected character '€'/);
});

test('deeply nested expressions are cut off with an error instead of overflowing the stack', () => {
  const text = `let x = ${'('.repeat(5000)}1${')'.repeat(5000)}`;
  const f = parse(text);
  assert.ok(f.diagnostics.some((d) => /nested deeper/.test(d.message)));
});

test('regression (fuzz): a lone "." is one located error, not an endless loop', () => {
  const text = 'model A {\n}\n.\nmodel B {\n}';
  const f = parse(text);
  assert.deepEqual(f.diagnostics.map((d) => `${lineCol(text, d.start)} ${d.message}`), ["3:1 unexpected character '.'"]);
  assert.equal(f.items.length, 2);
});
