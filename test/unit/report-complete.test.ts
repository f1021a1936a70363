/** `report --json` says at model level when blocks were left out by errors (issue 12). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../language-server/src/cli/main';

interface M { name: string; complete: boolean; leftOut: { line: number; code: string }[]; totals: { params: { total: number } } }

function reportJson(text: string): { rc: number; models: M[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-complete-'));
  const file = path.join(dir, 'm.arch');
  fs.writeFileSync(file, text);
  let out = '';
  try {
    const rc = main(['report', file, '--json'], { out: (s) => { out += s; return true; }, err: () => true }) as number;
    return { rc, models: (JSON.parse(out) as { models: M[] }).models };
  } finally { fs.rmSync(dir, { recursive: true }); }
}

test('a block with an error: complete false, the block listed in leftOut; the other model stays complete', () => {
  const { rc, models } = reportJson([
    'model Bad {', '  d_model = 64', '  vocab = 100', '  embedding', '  mlp(d_ff: 128, act: swish)', '  lm_head', '}',
    'model Good {', '  d_model = 64', '  vocab = 100', '  embedding', '  lm_head', '}', ''].join('\n'));
  assert.equal(rc, 1);
  const bad = models.find((m) => m.name === 'Bad')!;
  assert.equal(bad.complete, false);
  assert.deepEqual(bad.leftOut.map((d) => [d.line, d.code]), [[5, 'wrong-type']]);
  assert.equal(bad.totals.params.total, 2 * 64 * 100); // embedding + untied head; the MLP is left out
  const good = models.find((m) => m.name === 'Good')!;
  assert.equal(good.complete, true);
  assert.deepEqual(good.leftOut, []);
});
