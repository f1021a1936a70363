/** Time of one `estimateServing` call at extreme workloads (target: < 50 ms for a 1M-token prefill, B = 4096, 8 GPUs). */
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { nodeHost } from '../../language-server/src/host/nodeHost';
import { estimateServing } from '../../language-server/src/serving/estimate';
import { deploymentFor } from '../../language-server/src/serving/deployment';
import { stats } from './stats';

export interface EstimateSpeedFigures { cases: { name: string; p50: number; p99: number; max: number }[] }

const CASES: { name: string; model: string; input: number; output: number; batch: number; gpus: number }[] = [
  { name: 'Llama-3.1-70B, 8 × H100 TP8, B 4,096, prefill of 1M tokens', model: 'Llama3_1_70B', input: 1_000_000, output: 1, batch: 4096, gpus: 8 },
  { name: 'Llama-3.1-70B, 8 × H100 TP8, B 4,096, 1M in + 4,096 out (exact decode sum)', model: 'Llama3_1_70B', input: 1_000_000, output: 4096, batch: 4096, gpus: 8 },
  { name: 'Llama-3-8B, 1 × H100, B 8, 1,024 in + 256 out', model: 'Llama3_8B', input: 1024, output: 256, batch: 8, gpus: 1 },
];

export function benchEstimate(repeats = 30): EstimateSpeedFigures {
  const models = analyze(path.join(__dirname, '../../language-server/stdlib/llama3.arch'), nodeHost()).models;
  return {
    cases: CASES.map((c) => {
      const m = models.find((x) => x.name === c.model)!;
      const d = deploymentFor(m, { hardware: 'h100', gpus: c.gpus, tp: c.gpus, weights: 'fp8' });
      const w = { batch: c.batch, input: c.input, output: c.output };
      for (let i = 0; i < 3; i++) estimateServing(m, d, w);
      const ms: number[] = [];
      for (let i = 0; i < repeats; i++) { const t = performance.now(); estimateServing(m, d, w); ms.push(performance.now() - t); }
      const s = stats(ms);
      return { name: c.name, p50: s.p50, p99: s.p99, max: s.max };
    }),
  };
}

if (require.main === module) console.log(JSON.stringify(benchEstimate(), null, 1));
