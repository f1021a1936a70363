/** LSP features as pure handlers over a DocState (no server process), one test per feature. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../helpers/memoryHost';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { handleFormat } from '../../language-server/src/server/features/format';
import { handleSemanticTokens, TOKEN_TYPES } from '../../language-server/src/server/features/semanticTokens';
import { handleSignature } from '../../language-server/src/server/features/signature';
import { handleCodeActions } from '../../language-server/src/server/features/codeActions';
import { handleCompletion } from '../../language-server/src/server/features/completion';
import { handleSymbols, handleFolding } from '../../language-server/src/server/features/outline';
import { handleHover } from '../../language-server/src/server/features/hover';

function doc(text: string): DocState {
  return new DocState('file:///mem/main.arch', '/mem/main.arch', text, analyzeText(text), DEFAULT_SETTINGS);
}

const MODEL = 'model M {\n  vocab = 1000\n  d_model = 64\n  layers 2 {\n    attention(heads: 4, kv_heads: 2)\n    gated_mlp(d_ff: 256)\n  }\n}\n';

test('format: indentation, spacing, comments kept, blank lines collapsed', () => {
  const messy = 'model M{\n vocab=1000   # vocabulary\n      d_model =64\n\n\n\n layers 2{\n attention( heads:4 ,kv_heads : 2 )\ngated_mlp(d_ff: 4*d_model, act: silu) x 2 at [0..1]\n}\n}';
  assert.equal(handleFormat(doc(messy)), 'model M {\n  vocab = 1000 # vocabulary\n  d_model = 64\n\n  layers 2 {\n    attention(heads: 4, kv_heads: 2)\n    gated_mlp(d_ff: 4 * d_model, act: silu) x 2 at [0..1]\n  }\n}\n');
  assert.equal(handleFormat(doc(MODEL)), MODEL, 'formatted text is a fixed point');
  assert.equal(handleFormat(doc('model M {\n  attention(heads: \n}')), undefined, 'files with syntax errors are never rewritten');
});

test('semantic tokens classify kinds, user blocks, arguments, settings and numbers', () => {
  const text = 'block B(h) {\n  attention(heads: h)\n}\nmodel M {\n  d_model = 64\n  B(h: 4)\n}';
  const data = handleSemanticTokens(doc(text));
  const types: string[] = [];
  for (let i = 3; i < data.length; i += 5) types.push(TOKEN_TYPES[data[i]]);
  // block B(h) { attention(heads: h) } model …: the value `h` has no fixed role, so the next token is `model`.
  assert.deepEqual(types.slice(0, 6), ['keyword', 'class', 'parameter', 'function', 'property', 'keyword']);
  assert.ok(types.includes('number') && types.includes('variable'));
});

test('signature help shows the kind\'s parameters and the active one', () => {
  const text = MODEL;
  const sig = handleSignature(doc(text), text.indexOf('kv_heads') + 2)!;
  assert.match(sig.label, /^attention\(heads: int, kv_heads: int, head_dim: int, window: int = 0/);
  assert.equal(sig.parameters[sig.active].label, 'kv_heads: int');
  assert.match(sig.parameters[0].documentation, /query heads/);
});

test('code actions: did-you-mean replacement and adding a missing dimension', () => {
  const text = 'model M {\n  d_model = 64\n  atention(heads: 4)\n  embedding\n}';
  const fixes = handleCodeActions(doc(text), 0, text.length);
  assert.deepEqual(fixes.map((f) => f.title), ["Change to 'attention'", "Add 'vocab = …' to model M"]);
  const f = fixes[0].edit;
  assert.equal(text.slice(f.start, f.end), 'atention');
});

test('completion: parameters inside parentheses, enum values, block kinds at line start', () => {
  const text = 'model M {\n  gated_mlp(d_ff: 4, act: )\n  \n}';
  const d = doc(text);
  const inArgs = handleCompletion(d, text.indexOf('d_ff')).map((c) => c.label);
  assert.ok(inArgs.includes('bias') && !inArgs.includes('d_ff'));
  const enumVals = handleCompletion(d, text.indexOf('act: ') + 5).map((c) => c.label);
  assert.deepEqual(enumVals, ['silu', 'gelu', 'relu']);
  const starts = handleCompletion(d, text.indexOf('\n  \n') + 3).map((c) => c.label);
  assert.ok(starts.includes('engram') && starts.includes('mamba2') && starts.includes('layers') && starts.includes('d_model'));
});

test('outline and folding follow models, groups and blocks', () => {
  const d = doc(MODEL);
  const [m] = handleSymbols(d);
  assert.equal(m.name, 'M');
  assert.deepEqual(m.children[0].children.map((c) => c.name), ['attention', 'gated_mlp']);
  assert.deepEqual(handleFolding(d), [{ startLine: 0, endLine: 7 }, { startLine: 3, endLine: 6 }]);
});

test('hover on an argument name shows its documentation', () => {
  const h = handleHover(doc(MODEL), MODEL.indexOf('kv_heads') + 1)!;
  assert.match(h.markdown, /\*\*kv_heads\*\*: int/);
  assert.match(h.markdown, /GQA/);
});
