// Parent side of inference: forks the worker (dist/inference.js), sends one request at a time, and turns
// cancellation, timeouts and child crashes into clear, typed errors. No 'vscode' import (usable from tests).
import { fork, type ChildProcess } from 'node:child_process';
import {
  isChildMessage, type ChildMessage, type CompileProbeRequest, type MeasuredMessage, type MeasureRequest, type ProbeCompiledMessage,
  type ProgressMessage, type ResultMessage, type RunRequest,
} from '../../language-server/src/protocol/inference';

export type RunInput = Omit<RunRequest, 'type' | 'id'>;
export type MeasureInput = Omit<MeasureRequest, 'type' | 'id'>;
export type CompileProbeInput = Omit<CompileProbeRequest, 'type' | 'id'>;
type Request = Omit<RunRequest, 'id'> | Omit<MeasureRequest, 'id'> | Omit<CompileProbeRequest, 'id'>;
type Reply = ResultMessage | MeasuredMessage | ProbeCompiledMessage;

export interface RunOptions {
  signal?: AbortSignal;
  /** Per-request limit; default: the runner's timeoutMs (120 s). */
  timeoutMs?: number;
  onProgress?: (p: ProgressMessage) => void;
}

export interface RunnerOptions {
  timeoutMs?: number;
  /** Extra environment for the child. */
  env?: NodeJS.ProcessEnv;
  /** Receives the child's stdout/stderr text (diagnostics). */
  onLog?: (text: string) => void;
}

export type InferenceErrorCode = 'cancelled' | 'timeout' | 'crashed' | 'failed' | 'disposed';

export class InferenceError extends Error {
  constructor(message: string, readonly code: InferenceErrorCode, readonly attempts?: ResultMessage['attempts']) {
    super(message);
    this.name = 'InferenceError';
  }
}

interface Job {
  id: number;
  input: Request;
  opts: RunOptions;
  resolve: (r: Reply) => void;
  reject: (e: InferenceError) => void;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
}

export class InferenceRunner {
  private child?: ChildProcess;
  private active?: Job;
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(private readonly workerPath: string, private options: RunnerOptions = {}) {}

  /** New environment for the child: the current child is stopped when idle (else after its request), the next one gets it. */
  setEnv(env: NodeJS.ProcessEnv): void {
    this.options = { ...this.options, env };
    if (!this.active) this.killChild();
  }

  /** Starts the child process now (the panel opens before the first run), so the first run does not wait for it. */
  start(): void {
    this.ensureChild();
  }

  /** pid of the current child process, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  run(input: RunInput, opts: RunOptions = {}): Promise<ResultMessage> {
    return this.submit({ type: 'run', ...input }, opts) as Promise<ResultMessage>;
  }

  /** Measured vs estimated (compile, time, roofline) in the child process; never on the caller's thread. */
  measure(input: MeasureInput, opts: RunOptions = {}): Promise<MeasuredMessage> {
    return this.submit({ type: 'measure', ...input }, { timeoutMs: 600_000, ...opts }) as Promise<MeasuredMessage>;
  }

  /** Compiles a probe of the snapshot's model into the private probe folder, in the child process. */
  compileProbe(input: CompileProbeInput, opts: RunOptions = {}): Promise<ProbeCompiledMessage> {
    return this.submit({ type: 'compileProbe', ...input }, opts) as Promise<ProbeCompiledMessage>;
  }

  private submit(input: Request, opts: RunOptions): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new InferenceError('cancelled', 'cancelled'));
      const job: Job = { id: this.nextId++, input, opts, resolve, reject };
      if (opts.signal) {
        job.onAbort = () => this.cancel(job);
        opts.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Kills the child and rejects every pending request. */
  dispose(): void {
    const jobs = [...(this.active ? [this.active] : []), ...this.queue.splice(0)];
    this.killChild();
    for (const j of jobs) this.finish(j, new InferenceError('the inference runner was disposed', 'disposed'));
  }

  private cancel(job: Job): void {
    if (this.active === job) {
      this.killChild(); // the run may be inside synchronous native code: only killing stops it
      this.finish(job, new InferenceError('cancelled', 'cancelled'));
    } else {
      const i = this.queue.indexOf(job);
      if (i >= 0) this.queue.splice(i, 1);
      this.finish(job, new InferenceError('cancelled', 'cancelled'));
    }
  }

  private pump(): void {
    if (this.active || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.active = job;
    const child = this.ensureChild();
    const timeoutMs = job.opts.timeoutMs ?? this.options.timeoutMs ?? 120_000;
    job.timer = setTimeout(() => {
      this.killChild();
      this.finish(job, new InferenceError(`inference timed out after ${timeoutMs} ms`, 'timeout'));
    }, timeoutMs);
    const request = { ...job.input, id: job.id };
    child.send(request, (err) => {
      if (err && this.active === job) {
        this.killChild();
        this.finish(job, new InferenceError(`could not reach the inference process: ${err.message}`, 'crashed'));
      }
    });
  }

  private finish(job: Job, outcome: Reply | InferenceError): void {
    if (job.timer) clearTimeout(job.timer);
    if (job.onAbort) job.opts.signal?.removeEventListener('abort', job.onAbort);
    job.timer = job.onAbort = undefined;
    if (this.active === job) this.active = undefined;
    if (outcome instanceof InferenceError) job.reject(outcome);
    else job.resolve(outcome);
    setImmediate(() => this.pump());
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    let stderrTail = '';
    const child = fork(this.workerPath, [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...this.options.env },
    });
    child.stdout?.on('data', (d: Buffer) => this.options.onLog?.(d.toString()));
    child.stderr?.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString()).slice(-2000);
      this.options.onLog?.(d.toString());
    });
    child.on('message', (m: unknown) => isChildMessage(m) && this.onMessage(m));
    child.on('error', (e) => this.onChildGone(child, `the inference process failed: ${e.message}`));
    child.on('exit', (code, signal) => {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      const tail = stderrTail.trim().split('\n').slice(-3).join(' | ');
      this.onChildGone(child, `the inference process exited unexpectedly (${how})${tail ? `: ${tail}` : ''}`);
    });
    this.child = child;
    return child;
  }

  private onMessage(m: ChildMessage): void {
    const job = this.active;
    if (m.type === 'ready' || !job || m.id !== job.id) return;
    if (m.type === 'progress') job.opts.onProgress?.(m);
    else if (m.type === 'result' || m.type === 'measured' || m.type === 'probeCompiled') this.finish(job, m);
    else this.finish(job, new InferenceError(m.message, 'failed', m.attempts));
  }

  private onChildGone(child: ChildProcess, message: string): void {
    if (child !== this.child) return; // a child we killed on purpose
    this.child = undefined;
    if (this.active) this.finish(this.active, new InferenceError(message, 'crashed'));
  }

  private killChild(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
