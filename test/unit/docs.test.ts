/**
 * The documentation stays true to the code: the grammar in docs/language.md is the parser's,
 * every built-in kind and parameter is documented, and every `arch` example analyses cleanly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { GRAMMAR } from '../../language-server/src/syntax/grammar';
import { BLOCK_KINDS } from '../../language-server/src/kinds/index';
import { parse } from '../../language-server/src/syntax/parser';
import { analyzeText, lineCol } from '../helpers/memoryHost';

const root = path.join(__dirname, '..', '..');
const read = (f: string): string => fs.readFileSync(path.join(root, f), 'utf8');
const language = read('docs/language.md');

interface Example { readonly code: string; readonly line: number; readonly file?: string }

/** ```arch fenced blocks; a `<!-- file: NAME.arch -->` line just above one names it for relative imports. */
function archExamples(md: string): Example[] {
  const lines = md.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```arch') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    const named = /^<!--\s*file:\s*(\S+)\s*-->$/.exec(lines[start - 1]?.trim() ?? '');
    out.push({ code: body.join('\n') + '\n', line: start + 1, file: named?.[1] });
  }
  return out;
}

test('docs/language.md contains the grammar verbatim', () => {
  assert.ok(language.includes(GRAMMAR), 'GRAMMAR from language-server/src/syntax/grammar.ts is not reproduced exactly');
});

test('docs/language.md documents every built-in block kind and each of its parameters', () => {
  for (const kind of BLOCK_KINDS.values()) {
    const heading = `### \`${kind.name}\``;
    const at = language.indexOf(heading);
    assert.ok(at >= 0, `no section '${heading}'`);
    const next = language.indexOf('\n### ', at + heading.length);
    const section = language.slice(at, next < 0 ? undefined : next);
    for (const p of kind.params) {
      assert.ok(section.includes(`| \`${p.name}\` |`), `${kind.name}: parameter '${p.name}' is not in its table`);
    }
  }
});

test('every arch example in docs/language.md parses, and those with a model analyse without errors', () => {
  const examples = archExamples(language);
  assert.ok(examples.length >= 20, `expected many examples, found ${examples.length}`);
  const named: Record<string, string> = {};
  for (const e of examples) if (e.file) named[`/mem/${e.file}`] = e.code;
  let models = 0;
  for (const e of examples) {
    const syntax = parse(e.code).diagnostics.map((d) => `${lineCol(e.code, d.start)} ${d.message}`);
    assert.deepEqual(syntax, [], `example at docs/language.md:${e.line} has syntax errors`);
    if (!/\bmodel\b/.test(e.code)) continue;
    const a = analyzeText(e.code, named);
    const errors = a.diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.file}:${lineCol(a.program.files.get(d.file)?.text ?? '', d.start)} ${d.code} ${d.message}`);
    assert.deepEqual(errors, [], `example at docs/language.md:${e.line} has errors`);
    if (/^\s*model\s/m.test(e.code)) {
      models++;
      assert.ok(a.models.length > 0, `example at docs/language.md:${e.line} declares no model`);
      for (const m of a.models) assert.ok(m.blocks.length > 0, `model ${m.name} (docs/language.md:${e.line}) has no blocks`);
    }
  }
  assert.ok(models >= 20, `expected a model example per construct and kind, found ${models}`);
});

test('README gives the newcomer commands', () => {
  const readme = read('README.md');
  for (const cmd of ['npm ci', 'npm test', 'npm start']) assert.ok(readme.includes(cmd), `README does not mention '${cmd}'`);
});

test('the docs link to each other and exist', () => {
  for (const f of ['docs/language.md', 'docs/costs.md', 'docs/report-json.md']) assert.ok(fs.existsSync(path.join(root, f)), `${f} is missing`);
  const readme = read('README.md');
  for (const f of ['docs/language.md', 'docs/costs.md', 'docs/report-json.md']) assert.ok(readme.includes(f), `README does not link ${f}`);
});
