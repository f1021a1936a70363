// The inference child's `compileProbe` request ("Visualize Gates of a Compiled Probe"): compile a scaled probe of
// the snapshot's model (core load/: fenced, unsaved buffers included, size-guarded) and write it to the private
// probe folder of the extension's storage (probeFiles.ts). Runs in the child process (tests call it directly).
import { compileProbeBytes } from '../../language-server/src/load/compileProbe';
import { isProgramSnapshot } from '../../language-server/src/load/snapshot';
import type { CompiledProbe, CompileProbeRequest } from '../../language-server/src/protocol/inference';
import { writeProbeFile } from './probeFiles';

export function handleCompileProbe(req: Omit<CompileProbeRequest, 'type' | 'id'>): CompiledProbe {
  if (!isProgramSnapshot(req.snapshot)) throw new Error('the probe request carries no program snapshot');
  const p = compileProbeBytes({ snapshot: req.snapshot, model: req.model, probe: req.probe, seq: req.seq });
  const file = writeProbeFile(req.dir, p.modelName, p.bytes);
  return { path: file.path, sha256: file.sha256, label: p.label, seq: p.seq, vocab: p.vocab, gates: [...p.gates] };
}
