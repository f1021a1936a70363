/**
 * WebGPU, really run: the bundled model and a compiled probe of every block kind on the forced WebGPU provider
 * (Dawn → Vulkan; in CI Mesa's lavapipe, installed by .ci/run), every float output checked against the CPU run:
 * |webgpu − cpu| ≤ 1e-4 + 1e-3·|cpu| element-wise (seen here: ≤ 1.2e-5 on logits, ≤ 5e-6 elsewhere).
 * Skipped, with the reason printed, only when no Vulkan driver is installed at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webgpuAdapter } from '../../language-server/src/runtime/providers';
import { compileModel } from '../../language-server/src/compile/compile';
import { analyzeText } from '../helpers/memoryHost';
import { CASES, model } from '../helpers/kindCases';
import { ATOL, RTOL, compareWithCpu, idsFeed, type Comparison } from '../helpers/webgpuCompare';

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
const vulkanDrivers = (): string[] => ICD_DIRS.filter(existsSync).flatMap((d) => readdirSync(d).map((f) => join(d, f)));

function check(what: string, c: Comparison): void {
  const worst = c.outputs.reduce((a, o) => (o.maxAbs > a.maxAbs ? o : a), c.outputs[0]);
  console.log(`# ${what}: webgpu (${c.device}) vs cpu, max |diff| ${worst.maxAbs.toExponential(2)} (${worst.name}); run ${c.otherMs.toFixed(0)} ms vs ${c.cpuMs.toFixed(1)} ms`);
  assert.equal(c.provider, 'webgpu');
  for (const o of c.outputs) assert.ok(o.worstExcess <= 0, `${what}: ${o.name} differs by ${o.maxAbs} (> ${ATOL} + ${RTOL}·|cpu|)`);
}

test('WebGPU equals CPU: the bundled model and a compiled probe of every block kind', async (t) => {
  const probe = await webgpuAdapter();
  if (!probe.ok && vulkanDrivers().length === 0) {
    const why = `no Vulkan driver installed (${probe.error}); .ci/run installs Mesa's lavapipe (mesa-vulkan-drivers from bookworm-backports)`;
    console.log(`# WebGPU tests skipped: ${why}`);
    t.skip(why);
    return;
  }
  assert.ok(probe.ok, `a Vulkan driver is installed (${vulkanDrivers().join(', ')}) but WebGPU cannot run: ${probe.error}`);
  const bundled = new Uint8Array(readFileSync(join(__dirname, '..', '..', 'models', 'engram-moe-tiny.onnx')));
  await t.test('bundled model (T = 32)', async () => check('bundled', await compareWithCpu(bundled, idsFeed(32, 256), 'webgpu')));
  for (const [kind, cases] of Object.entries(CASES)) {
    await t.test(`${kind} probe (T = 8)`, async () => {
      const m = analyzeText(model(cases[0])).models[0];
      check(kind, await compareWithCpu(compileModel(m, { seq: 8 }).bytes, idsFeed(8, 64), 'webgpu'));
    });
  }
});
