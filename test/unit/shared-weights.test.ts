import { test } from 'node:test';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { probeModel } from '../../language-server/src/compile/probe';
import { compileRunCheck } from './compile-harness';
const ROOT = path.join(__dirname, '..', '..');
test('albert', async () => {
  const a = analyze(path.join(ROOT, 'examples/albert_base.arch'), nodeHost());
  const m = a.models[0];
  console.log(a.diagnostics?.length, m.blocks.map((b) => [b.kind, b.count, b.paramCount]));
  const probe = probeModel(m, { layers: 2, d_model: 64, seq: 16 });
  const r = await compileRunCheck(probe, 16);
  console.log(r.check.graph.params, r.check.engine.params);
});
