/**
 * The layer rules of .dependency-cruiser.cjs (run over the real tree by test/run.sh before the suites) can fail:
 * a small tree that breaks each rule once is cruised with the same configuration, and every rule fires.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

/** Files of a tree in which each rule is broken exactly once (and one allowed import of each kind). */
const TREE: Record<string, string> = {
  'language-server/src/cost/engine.ts': "import { panel } from '../../../extension/panel';\nexport const engine = panel;\n",
  'language-server/src/kinds/types.ts': "export const kinds = 1;\n",
  'language-server/src/semantic/model.ts': "import { kinds } from '../kinds/types';\nimport { back } from '../syntax/parser';\nexport const model = kinds + back;\n",
  'language-server/src/syntax/parser.ts': "import { model } from '../semantic/model';\nexport const back = 1;\nexport const m = model;\n",
  'language-server/src/protocol/webview.ts': "export type Msg = { kind: 'x' };\n",
  'language-server/src/server/main.ts': "import { engine } from '../cost/engine';\nexport const s = engine;\n",
  'extension/panel.ts': "import { model } from '../language-server/src/semantic/model';\nexport const panel = model;\n",
  'webview/main.ts': "import type { Msg } from '../language-server/src/protocol/webview';\nimport { s } from '../language-server/src/server/main';\nexport const w: Msg | number = s;\n",
  'extension/inference/worker.ts': "import { model } from '../../language-server/src/semantic/model';\nexport const job = model;\n",
  'models/tool.ts': "import { helper } from '../test/helper';\nexport const t = helper;\n",
  'test/helper.ts': "export const helper = 1;\n",
};

test('every layer rule fires on a tree that breaks it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-layers-'));
  try {
    for (const [f, text] of Object.entries(TREE)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    const bin = path.join(root, 'node_modules', '.bin', 'depcruise');
    const r = spawnSync(bin, ['--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', 'language-server', 'extension', 'webview', 'models', 'test'], { cwd: dir, encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    const fired = new Set(out.summary.violations.map((v) => v.rule.name));
    for (const rule of ['no-module-cycles', 'no-folder-cycles', 'core-imports-no-user', 'webview-imports-only-protocol', 'thin-client', 'worker-uses-the-loading-pipeline', 'no-product-import-of-test-code']) {
      assert.ok(fired.has(rule), `${rule} fires; fired: ${[...fired].join(', ')}`);
    }
    const allowed = out.summary.violations.filter((v) => v.to.endsWith('protocol/webview.ts') || v.to.endsWith('kinds/types.ts'));
    assert.deepEqual(allowed, [], 'webview → protocol and semantic → kinds are allowed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
