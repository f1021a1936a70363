/**
 * The one loading pipeline (language-server/src/load/): loadModel's errors, probeOf's size guard and probe keys,
 * and snapshotHost reading and resolving only within a snapshot (never the disk, even where a file exists).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadModel, MAX_PROBE_PARAMS, ModelLoadError, probeOf } from '../../language-server/src/load/loadModel';
import { snapshotHost, isProgramSnapshot, type ProgramSnapshot } from '../../language-server/src/load/snapshot';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { main } from '../../language-server/src/cli/main';
import { memoryHost } from '../helpers/memoryHost';
import { serverSnapshot } from '../helpers/snapshot';

const ROOT = path.join(__dirname, '..', '..');
const SMALL = 'model Small {\n  vocab = 1000\n  d_model = 64\n  embedding()\n  gated_mlp(d_ff: 256)\n  lm_head()\n}\n';

test('loadModel: the first model, a named one, and clear errors (first error and count, unknown name, no model)', () => {
  const host = memoryHost({ '/mem/a.arch': SMALL + SMALL.replace('Small', 'Other'), '/mem/empty.arch': '// nothing\n', '/mem/bad.arch': 'model Bad {\n  nope()\n  nada()\n}\n' });
  assert.equal(loadModel({ file: '/mem/a.arch', host }).model.name, 'Small');
  assert.equal(loadModel({ file: '/mem/a.arch', host, model: 'Other' }).model.name, 'Other');
  assert.equal(loadModel({ file: '/mem/a.arch', host, text: SMALL.replace('Small', 'Edited') }).model.name, 'Edited');
  assert.throws(() => loadModel({ file: '/mem/a.arch', host, model: 'Nope' }), /^ModelLoadError: no model named 'Nope'$/);
  assert.throws(() => loadModel({ file: '/mem/empty.arch', host }), /^ModelLoadError: the file declares no model$/);
  assert.throws(() => loadModel({ file: '/mem/bad.arch', host }), (e: ModelLoadError) => {
    assert.match(e.message, /^the model has errors: .*nope.* \(and 1 more\)$/);
    assert.equal(e.analysis?.diagnostics.filter((d) => d.severity === 'error').length, 2);
    return true;
  });
});

test('probeOf: refuses the full model above the bound (no probe, empty probe) and prototype keys; scales below it', () => {
  const llama = analyze(path.join(ROOT, 'language-server', 'stdlib', 'llama3.arch'), nodeHost()).models[0];
  for (const spec of ['', '  ', ',']) assert.throws(() => probeOf(llama, spec, 16), new RegExp(`parameters \\(more than ${MAX_PROBE_PARAMS.toLocaleString('en-US')}\\)`), JSON.stringify(spec));
  for (const spec of ['__proto__=1', 'constructor=1', 'toString=2', 'layers=1,hasOwnProperty=3']) assert.throws(() => probeOf(llama, spec, 16), /bad probe setting/, spec);
  const probe = probeOf(llama, 'layers=1,width=32', 16);
  const instances = (m: typeof llama): number => m.blocks.reduce((n, b) => n + b.count, 0);
  assert.ok(instances(probe) < instances(llama) && (probe.dims.d_model ?? 0) < (llama.dims.d_model ?? 0));
  const small = loadModel({ file: '/mem/s.arch', host: memoryHost({ '/mem/s.arch': SMALL }) }).model;
  assert.equal(probeOf(small, '', 16), small, 'a small model compiles without a probe');
});

test('snapshotHost: reads and resolves only within the snapshot, never the disk; refusals keep their reason', () => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-snaphost-')));
  try {
    const onDisk = path.join(tmp, 'lib.arch');
    fs.writeFileSync(onDisk, 'block Lib() {\n  gated_mlp(d_ff: 64)\n}\n');
    const entry = path.join(tmp, 'main.arch');
    const snapshot: ProgramSnapshot = {
      file: entry,
      files: [{ path: entry, text: `import "lib.arch"\nimport "../x.arch"\n${SMALL}`, imports: [{ spec: 'lib.arch', file: onDisk }, { spec: '../x.arch', refused: 'import refused: because' }] }],
    };
    assert.ok(isProgramSnapshot(snapshot) && !isProgramSnapshot({ file: entry, files: [{ path: entry }] }));
    const host = snapshotHost(snapshot);
    assert.equal(host.read(onDisk), undefined, 'a file on disk but not in the snapshot is not read');
    assert.equal(host.read('/etc/hostname'), undefined);
    assert.equal(host.resolve(entry, 'lib.arch'), onDisk);
    assert.equal(host.resolve(entry, '../x.arch'), undefined);
    assert.equal(host.explain?.(entry, '../x.arch'), 'import refused: because');
    assert.equal(host.resolve(entry, 'other.arch'), undefined);
    assert.match(host.explain?.(entry, 'other.arch') ?? '', /^import refused: 'other.arch' is not part of the program/);
    const messages = analyze(entry, host).diagnostics.map((d) => d.message);
    assert.ok(messages.includes("cannot read imported file 'lib.arch'"), messages.join('\n'));
    assert.ok(messages.includes('import refused: because'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a server snapshot analyses the same through snapshotHost as on disk (stdlib imports included)', () => {
  const file = path.join(ROOT, 'examples', 'llama3_long_context.arch');
  const snapshot = serverSnapshot(file, { root: ROOT });
  assert.ok(snapshot.files.length > 1 && snapshot.files.some((f) => f.imports.length > 0));
  const viaSnapshot = loadModel({ file: snapshot.file, host: snapshotHost(snapshot) });
  const viaDisk = loadModel({ file, host: nodeHost({ root: ROOT }) });
  assert.equal(viaSnapshot.analysis.program.files.size, viaDisk.analysis.program.files.size);
  assert.deepEqual(viaSnapshot.model.blocks.map((b) => [b.kind, b.count]), viaDisk.model.blocks.map((b) => [b.kind, b.count]));
});

test('archlens compile goes through the same pipeline: a full large model and prototype keys are refused, errors located', async () => {
  const cli = async (args: string[]): Promise<{ code: number; err: string }> => {
    let err = '';
    const code = await main(args, { out: () => true, err: (x) => { err += x; return true; } });
    return { code, err };
  };
  const llama = path.join(ROOT, 'language-server', 'stdlib', 'llama3.arch');
  const full = await cli(['compile', llama]);
  assert.equal(full.code, 2);
  assert.match(full.err, /without a probe has [\d,]+ parameters \(more than 50,000,000\)/);
  assert.match((await cli(['compile', llama, '--probe', '__proto__=1'])).err, /bad probe setting '__proto__=1'/);
  assert.match((await cli(['compile', llama, '--model', 'Nope'])).err, /no model named 'Nope' \(.*llama3\.arch\)/);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archlens-clierr-'));
  try {
    fs.writeFileSync(path.join(tmp, 'bad.arch'), 'model Bad {\n  nope()\n}\n');
    const bad = await cli(['compile', path.join(tmp, 'bad.arch')]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /bad\.arch:2:3: error: /);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('the snapshot-recording host forwards every optional FileHost method (unreadable, explain)', async () => {
  const { recordingHost } = await import('../../language-server/src/load/snapshot');
  const inner = { read: () => undefined, resolve: () => undefined, unreadable: (f: string) => `no: ${f}`, explain: () => 'refused' };
  const h = recordingHost(inner, new Map());
  assert.equal(h.unreadable?.('x.arch'), 'no: x.arch');
  assert.equal(h.explain?.('a.arch', 'b'), 'refused');
});
