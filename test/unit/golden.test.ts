/**
 * Behaviour lock for refactors: the `report --json` output (two settings), the dashboard DTO and every
 * hover card of every example and stdlib model must stay byte-identical to test/fixtures/golden/.
 * The fixtures were written by this test on the code before the structure refactor (issue 9).
 * Regenerate only for an intended change: ARCHLENS_UPDATE_GOLDEN=1 node --import tsx --test test/unit/golden.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../language-server/src/cli/main';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { lex } from '../../language-server/src/syntax/lexer';
import { DocState } from '../../language-server/src/server/features/docState';
import { DEFAULT_SETTINGS } from '../../language-server/src/server/features/settings';
import { handleHover } from '../../language-server/src/server/features/hover';
import { handleDashboard } from '../../language-server/src/server/features/dashboard';

const root = path.resolve(__dirname, '../..');
const dir = path.join(root, 'test/fixtures/golden');
const files = [
  ...fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.arch')).map((f) => `examples/${f}`),
  ...fs.readdirSync(path.join(root, 'language-server/stdlib')).filter((f) => f.endsWith('.arch')).map((f) => `language-server/stdlib/${f}`),
].sort();
const update = process.env.ARCHLENS_UPDATE_GOLDEN === '1';

async function report(file: string, extra: string[]): Promise<string> {
  let out = '';
  await main(['report', path.join(root, file), '--json', ...extra], { out: (s) => { out += s; return true; }, err: () => true });
  return out.split(root + path.sep).join('');
}

function views(file: string): string {
  const abs = path.join(root, file);
  const text = fs.readFileSync(abs, 'utf8');
  const doc = new DocState(`file://${file}`, abs, text, analyze(abs, nodeHost(), text), DEFAULT_SETTINGS);
  const hovers: Record<string, string> = {};
  for (const t of lex(text).tokens) {
    const h = t.kind === 'ident' ? handleHover(doc, t.start) : undefined;
    if (h) hovers[`${t.start}`] = h.markdown;
  }
  const dashboards = doc.analysis.models.map((m) => handleDashboard(doc, m.name, doc.analysis.models.map((o) => o.name)));
  return `${JSON.stringify({ hovers, dashboards }, null, 1).split(root + path.sep).join('')}\n`;
}

for (const file of files) {
  test(`golden: ${file} report JSON, dashboard and hovers unchanged`, async () => {
    const base = path.join(dir, file.replace(/[/]/g, '__'));
    const got = {
      'report.json': await report(file, []),
      'report-h200.json': await report(file, ['--hardware', 'h200', '--seq', '32K', '--batch', '8', '--dtype', 'fp8']),
      'views.json': views(file),
    };
    for (const [suffix, text] of Object.entries(got)) {
      if (update) fs.writeFileSync(`${base}.${suffix}`, text);
      else assert.equal(text, fs.readFileSync(`${base}.${suffix}`, 'utf8'), `${file} ${suffix} changed`);
    }
  });
}
