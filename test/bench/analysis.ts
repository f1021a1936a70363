/**
 * Parse and parse + analysis time of synthetic files (500 / 5,000 / 50,000 lines), each run on a distinct text so
 * no cache helps (as after a keystroke); plus one block cost query (the work behind one hover) and one model report.
 */
import { parse } from '../../language-server/src/syntax/parser';
import { analyze } from '../../language-server/src/semantic/analyze';
import { costBlock, costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { memoryHost } from '../helpers/memoryHost';
import { syntheticArch } from './synthetic';
import { stats, time, type Stats } from './stats';

export interface AnalysisFigures { lines: number; parse: Stats; analysis: Stats }
export interface QueryFigures { blockQuery: Stats; modelReport: Stats }

export function benchAnalysis(lines: number): AnalysisFigures {
  const text = syntheticArch(lines);
  const runs = lines > 10_000 ? 10 : 30;
  let k = 0;
  const parseT = stats(time(() => parse(`${text}\n# ${k++}`), runs));
  const analyzeT = stats(time(() => analyze('/mem/main.arch', memoryHost({ '/mem/main.arch': `${text}\n# ${k++}` })), runs));
  return { lines: text.split('\n').length, parse: parseT, analysis: analyzeT };
}

export function benchQueries(lines = 5000): QueryFigures {
  const hw = findHardware('h100')!;
  const a = analyze('/mem/main.arch', memoryHost({ '/mem/main.arch': syntheticArch(lines) }));
  const blocks = a.models.flatMap((m) => m.blocks);
  let i = 0;
  const blockQuery = stats(time(() => { costBlock(blocks[i++ % blocks.length], { seq: 8192, batch: 1 }); }, 20_000));
  let j = 0;
  const modelReport = stats(time(() => { costModel(a.models[j++ % a.models.length], { hardware: hw }); }, 2000));
  return { blockQuery, modelReport };
}
