/** Arguments and plan of `npm run gpu-check` (test/bench/gpuCheck.ts), apart so they are tested without a GPU. */
import { parseArgs } from 'node:util';
import { parseProbe } from '../../language-server/src/compile/probe';
import type { ProviderName } from '../../language-server/src/protocol/inference';

export const GPU_CHECK_USAGE = `usage: npm run gpu-check -- [--providers cuda,webgpu] [--probe layers=8,d_model=1024] [--seq 2048] [--runs 5]
                              [--examples a.arch,b.arch] [--out docs/gpu-results.md] [--dry-run]
Runs the bundled model and a compiled probe of every block kind on each provider and compares with CPU, then
measures every example model at the probe size on each GPU provider (as \`archlens run --providers P\`) and writes
measured-vs-estimated for this machine to --out. --dry-run prints the plan and checks the setup, running nothing.`;

export interface GpuCheckOptions {
  providers: ProviderName[];
  probe: string;
  seq: number;
  runs: number;
  examples?: string[];
  out: string;
  dryRun: boolean;
  help: boolean;
}

const GPU_PROVIDERS: readonly ProviderName[] = ['cuda', 'webgpu', 'dml', 'coreml'];

function positive(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, not '${v}'`);
  return n;
}

export function parseGpuCheckArgs(argv: readonly string[]): GpuCheckOptions {
  const { values } = parseArgs({
    args: [...argv], strict: true, allowPositionals: false,
    options: {
      providers: { type: 'string', default: 'cuda,webgpu' }, probe: { type: 'string', default: 'layers=8,d_model=1024' },
      seq: { type: 'string', default: '2048' }, runs: { type: 'string', default: '5' }, examples: { type: 'string' },
      out: { type: 'string', default: 'docs/gpu-results.md' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
  });
  const raw = String(values.providers), probe = String(values.probe);
  const providers = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = providers.filter((p) => !GPU_PROVIDERS.includes(p as ProviderName));
  if (!providers.length || bad.length) throw new Error(`--providers takes GPU providers (${GPU_PROVIDERS.join(', ')}), not '${bad.join(', ') || raw}'`);
  parseProbe(probe); // throws on a bad probe spec
  return {
    providers: providers as ProviderName[], probe, seq: positive(String(values.seq), '--seq'), runs: positive(String(values.runs), '--runs'),
    examples: values.examples?.split(',').map((s) => s.trim()).filter(Boolean), out: String(values.out), dryRun: values['dry-run'] === true, help: values.help === true,
  };
}

/** What a run would do, one line a step. */
export function gpuCheckPlan(o: GpuCheckOptions, kinds: readonly string[], examples: readonly string[]): string[] {
  const lines: string[] = [];
  for (const p of o.providers) {
    lines.push(`${p}: bundled model (T = 32) vs cpu`);
    lines.push(`${p}: compiled probes of ${kinds.length} block kinds (T = 8) vs cpu: ${kinds.join(', ')}`);
    lines.push(`${p}: measure ${examples.length} example models at probe ${o.probe}, seq ${o.seq}, ${o.runs} runs: ${examples.join(', ')}`);
  }
  lines.push(`write ${o.out}`);
  return lines;
}
