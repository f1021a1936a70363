/**
 * Every model of examples/ and language-server/stdlib/ compiles at a probe scale (2 layers per group plus the
 * first layer of every selector, d_model 64, T 16), runs on CPU, and passes the parameter/FLOP check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { blockKind } from '../../language-server/src/kinds';
import { probeModel } from '../../language-server/src/compile/probe';
import { compileRunCheck } from './compile-harness';

const ROOT = path.join(__dirname, '..', '..');
const FILES = ['examples', 'language-server/stdlib'].flatMap((dir) =>
  fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.arch')).map((f) => path.join(ROOT, dir, f)));

test('there are example and stdlib files to compile', () => assert.ok(FILES.length >= 15));

for (const file of FILES) {
  const a = analyze(file, nodeHost());
  for (const m of a.models) {
    test(`${path.relative(ROOT, file)} › ${m.name}: probe compiles, runs and matches the engine`, async () => {
      const probe = probeModel(m, { layers: 2, d_model: 64, seq: 16 });
      assert.equal(probe.dims.d_model, 64);
      for (const b of probe.blocks) assert.deepEqual(blockKind(b.kind)?.validate?.(b.args, b.dims) ?? [], [], `${b.kind} args valid after scaling`);
      const kinds = new Set(m.blocks.map((b) => b.kind));
      assert.deepEqual(new Set(probe.blocks.map((b) => b.kind)), kinds, 'the probe keeps every block kind');
      await compileRunCheck(probe, 16);
    });
  }
}
