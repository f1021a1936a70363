/** The machine a benchmark ran on: CPU model, cores, RAM, Node version, OS, date. */
import * as os from 'os';

/** `load` is the 1-minute load average when the run started: other work on a shared machine widens the tails. */
export interface Machine { cpu: string; cores: number; ramGiB: number; node: string; os: string; date: string; load?: number }

export function machine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    load: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

export function machineLine(m: Machine): string {
  const load = m.load === undefined ? '' : `, load average ${m.load} at the start`;
  return `${m.cpu} × ${m.cores} cores, ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.os}, ${m.date.slice(0, 16).replace('T', ' ')} UTC${load}`;
}
