/**
 * `archlens` command line:
 *   archlens report <file.arch>... [--model NAME] [--hardware h100] [--hardware-file devices.json] [--seq 8192] [--batch 1] [--dtype bf16] [--json]
 *   archlens import <config.json> [--name NAME] [-o FILE]
 *   archlens compile <file.arch> [--model NAME] [--probe …] [-o out.onnx]
 *   archlens run <file.arch> [--model NAME] [--probe …] [--seq N] [--runs N] [--json]   (async: loads onnxruntime-node lazily)
 *   archlens estimate <file.arch> [--model NAME] --hardware ID [--gpus N] [--tp N] [--pp N] [--ep N] [--dtype T] [--weights F] [--kv-dtype T] [--batch B] --input I --output O [--framework F] [--json]
 *   archlens train-estimate <file.arch> [--model NAME] --hardware ID --gpus N --tokens D [--seq L] [--global-batch TOKENS] [--tp N --pp N --dp N --cp N --ep N] [--zero 0|1|2|3|fsdp] [--recompute none|selective|full] [--dtype bf16|fp8] [--json]
 *   archlens compare <a.arch> <b.arch>... [--model NAME[,NAME]] --sweep context [--hardware ID] [--batch B] [--at L] [--json]
 *   archlens hardware
 * Errors print `file:line:col: message` and exit with status 1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { runReport } from './report';
import { runImport } from './import';
import { compileOptions, runCompile } from './compile';
import { estimateOptions, runEstimate } from './estimate';
import { runTraining, trainingOptions } from './training';
import { compareOptions, runCompare } from './compare';
import { HARDWARE } from '../cost/hardware';
import type { Parsed } from './common';
import { formatBytes } from '../format/units';

const USAGE = `usage:
  archlens report <file.arch>... [--model NAME] [--hardware ID] [--hardware-file FILE.json] [--seq N] [--batch N] [--dtype T] [--json]
  archlens import <config.json> [--name NAME] [-o FILE]
  archlens compile <file.arch> [--model NAME] [--probe layers=2,width=8] [--seq 16] [--seed N] [-o out.onnx]
  archlens run <file.arch> [--model NAME] [--probe layers=2,width=8] [--seq 16] [--runs 10] [--providers cuda,cpu] [--json]
  archlens estimate <file.arch> [--model NAME] --hardware ID [--gpus N] [--tp N] [--pp N] [--ep N] [--dtype T]
      [--weights FORMAT] [--kv-dtype T] [--batch B] --input I --output O [--framework ideal|vllm|sglang|trtllm|llamacpp|gptfast] [--json]
  archlens train-estimate <file.arch> [--model NAME] --hardware ID --gpus N --tokens D [--seq L] [--global-batch TOKENS]
      [--micro-batch B] [--tp N] [--pp N] [--dp N] [--cp N] [--ep N] [--vpp N] [--zero 0|1|2|3|fsdp]
      [--recompute none|selective|full] [--dtype bf16|fp8] [--capacity-factor C] [--network-gbps G] [--json]
  archlens compare <a.arch> [<b.arch>...] [--model NAME[,NAME]]... --sweep context [--hardware ID] [--batch B] [--at 128Ki] [--json]
  archlens hardware
hardware ids: ${HARDWARE.map((h) => h.id).join(', ')}
  (--hardware-file: a JSON array of devices in the archlens.customHardware format, see docs/costs.md)`;

export function main(argv: string[], io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) }): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'report': return runReport(parse(rest, reportOptions), io);
      case 'import': return runImport(parse(rest, importOptions), io);
      case 'compile': return runCompile(parse(rest, compileOptions), io);
      case 'run': return runMeasured(rest, io);
      case 'estimate': return runEstimate(parse(rest, estimateOptions), io);
      case 'train-estimate': return runTraining(parse(rest, trainingOptions), io);
      case 'compare': return runCompare(parse(rest, compareOptions) as Parsed, io);
      case 'hardware': io.out(hardwareTable()); return 0;
      case '--version': io.out(`${version()}\n`); return 0;
      case undefined: case '-h': case '--help': case 'help': io.out(`${USAGE}\n`); return command === undefined ? 2 : 0;
      default: io.err(`archlens: unknown command '${command}'\n${USAGE}\n`); return 2;
    }
  } catch (e) {
    io.err(`archlens: ${(e as Error).message}\n`);
    return 2;
  }
}

const reportOptions = {
  model: { type: 'string' }, hardware: { type: 'string', default: 'h100' }, 'hardware-file': { type: 'string' }, seq: { type: 'string' },
  batch: { type: 'string', default: '1' }, dtype: { type: 'string' }, json: { type: 'boolean', default: false },
} as const;
const importOptions = { name: { type: 'string' }, o: { type: 'string', short: 'o' }, output: { type: 'string' } } as const;

function parse<T extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }>>(args: string[], options: T) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

/** `archlens run`: required on use, so the other commands never load onnxruntime-node. */
function runMeasured(args: string[], io: { out(s: string): void; err(s: string): void }): Promise<number> {
  let loaded: typeof import('./run');
  try {
    loaded = require('./run') as typeof import('./run');
  } catch (e) {
    if (!/onnxruntime-node/.test((e as Error).message)) throw e;
    io.err(`archlens: 'run' needs onnxruntime-node, an optional dependency: npm install -g onnxruntime-node (the other commands work without it)\n`);
    return Promise.resolve(2);
  }
  const { runOptions, runRun } = loaded;
  return runRun(parse(args, runOptions), io).catch((e: Error) => { io.err(`archlens: ${e.message}\n`); return 2; });
}

function hardwareTable(): string {
  return HARDWARE.map((h) => `${h.id.padEnd(8)} ${h.name.padEnd(36)} bf16 ${(h.bf16 / 1e12).toFixed(0).padStart(5)} TFLOP/s  fp8 ${h.fp8 ? (h.fp8 / 1e12).toFixed(0).padStart(5) : '    —'}  ${(h.bandwidth / 1e9).toFixed(0).padStart(5)} GB/s  ${formatBytes(h.memory)}\n    GPU-to-GPU: ${h.interconnect.bandwidth ? `${(h.interconnect.bandwidth / 1e9).toFixed(0)} GB/s per direction, ` : ''}${h.interconnect.name}; ${h.gpusPerNode} per node\n    source: ${h.source}`).join('\n') + '\n';
}

function version(): string {
  for (const p of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')]) {
    try { return JSON.parse(fs.readFileSync(p, 'utf8')).version; } catch { /* try next */ }
  }
  return 'unknown';
}

if (require.main === module) void Promise.resolve(main(process.argv.slice(2))).then((code) => { process.exitCode = code; });
