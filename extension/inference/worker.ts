// Child-process entry (bundled to dist/inference.js; onnxruntime-node stays external). Receives RunRequests
// over IPC, validates the model file, creates (or reuses) a session with explicit provider fallback, runs it
// and replies. Nothing escapes: every failure becomes an ErrorMessage.
import * as ort from 'onnxruntime-node';
import { readFileSync, statSync } from 'node:fs';
import { sizeProblem, validateModel } from '../../language-server/src/onnx/info';
import { createSession, NoProviderError, resolveOrder } from '../../language-server/src/runtime/providers';
import { feedTensors } from '../../language-server/src/runtime/ortTimer';
import { handleMeasure } from './measureJob';
import { handleCompileProbe } from './probeJob';
import { sha256 } from './probeFiles';
import {
  isParentMessage, type ChildMessage, type CompileProbeRequest, type MeasureRequest, type OutputTensor, type ProviderAttempt, type ProviderName, type RunRequest,
} from '../../language-server/src/protocol/inference';

interface CachedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
  device?: string;
  attempts: ProviderAttempt[];
  /** Float inputs besides input_ids (a compiled cross-attention's encoder stream `memory` [B, S, E]). */
  streams: { name: string; dims: (number | string | null)[] }[];
}

const MAX_CACHED = 4;
const sessions = new Map<string, CachedSession>();
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();
let current: number | undefined;

function send(m: ChildMessage): void {
  if (process.connected) process.send?.(m);
}

class Cancelled extends Error {}

function checkCancelled(id: number): void {
  if (cancelled.has(id)) throw new Cancelled('cancelled');
}

async function loadSession(req: RunRequest): Promise<{ entry: CachedSession; cached: boolean; loadMs: number; createMs: number }> {
  const { order, auto } = resolveOrder(req.providers, req.provider);
  const st = statSync(req.modelPath);
  const tooBig = sizeProblem(st.size, req.maxBytes); // checked before the cache: the limit may differ per request
  if (tooBig) throw new Error(tooBig);
  const key = `${req.modelPath}|${st.mtimeMs}|${st.size}|${req.sha256 ?? ''}|${order.join(',')}|${auto}`;
  const hit = sessions.get(key);
  if (hit) return { entry: hit, cached: true, loadMs: 0, createMs: 0 };
  const t0 = performance.now();
  send({ type: 'progress', id: req.id, stage: 'reading' });
  const buf = readFileSync(req.modelPath);
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  send({ type: 'progress', id: req.id, stage: 'validating' });
  if (req.sha256 !== undefined && sha256(bytes) !== req.sha256) throw new Error('the compiled probe file changed on disk since it was compiled; compile the probe again');
  const v = validateModel(bytes, { maxBytes: req.maxBytes });
  if (!v.ok) throw new Error(v.message);
  const external = v.info.initializers.some((t) => t.external);
  const t1 = performance.now();
  checkCancelled(req.id);
  const created = await createSession(external ? req.modelPath : bytes, order, undefined, {
    auto, onAttempt: (provider) => send({ type: 'progress', id: req.id, stage: 'creating-session', provider }),
  });
  const streams = v.info.inputs.filter((i) => i.name !== 'input_ids' && i.elemTypeName === 'float32').map((i) => ({ name: i.name, dims: i.dims ?? [] }));
  const entry = { session: created.session, provider: created.provider, device: created.device, attempts: created.attempts, streams };
  remember(key, entry);
  return { entry, cached: false, loadMs: t1 - t0, createMs: performance.now() - t1 };
}

function remember(key: string, entry: CachedSession): void {
  sessions.set(key, entry);
  while (sessions.size > MAX_CACHED) {
    const [oldest, old] = sessions.entries().next().value as [string, CachedSession];
    sessions.delete(oldest);
    void old.session.release().catch(() => undefined);
  }
}

/**
 * input_ids from the request; every other float input (a cross-attention's `memory`) gets the measure harness's
 * deterministic small values, a symbolic axis taking the batch (first) or the token count.
 */
function makeFeeds(req: RunRequest, streams: CachedSession['streams']): Record<string, ort.Tensor> {
  const batch = Math.max(1, Math.floor(req.batch ?? 1));
  const T = req.inputIds.length;
  if (T === 0) throw new Error('no input tokens');
  const ids = new BigInt64Array(batch * T);
  for (let b = 0; b < batch; b++) for (let t = 0; t < T; t++) ids[b * T + t] = BigInt(Math.trunc(req.inputIds[t]));
  const extra = feedTensors(streams.map((s) => ({ name: s.name, type: 'float32', dims: s.dims.map((d, i) => (typeof d === 'number' ? d : i === 0 ? batch : T)) })));
  return { input_ids: new ort.Tensor('int64', ids, [batch, T]), ...extra };
}

function toOutput(name: string, t: ort.Tensor): OutputTensor {
  const dims = t.dims.map(Number);
  if (t.type === 'float32') return { name, type: t.type, dims, data: t.data as Float32Array };
  const src = t.data as ArrayLike<number | bigint>;
  return { name, type: t.type, dims, data: Array.from(src, (x) => Number(x)) };
}

async function handleRun(req: RunRequest): Promise<void> {
  const start = performance.now();
  const { entry, cached, loadMs, createMs } = await loadSession(req);
  checkCancelled(req.id);
  const feeds = makeFeeds(req, entry.streams);
  const names = req.outputs?.length ? req.outputs : entry.session.outputNames;
  send({ type: 'progress', id: req.id, stage: 'running', provider: entry.provider });
  const t0 = performance.now();
  const result = await entry.session.run(feeds, [...names]);
  const runMs = performance.now() - t0;
  send({ type: 'progress', id: req.id, stage: 'collecting', provider: entry.provider });
  const outputs = names.map((n) => toOutput(n, result[n]));
  send({
    type: 'result', id: req.id, provider: entry.provider, device: entry.device, attempts: entry.attempts, cachedSession: cached,
    ms: { loadMs, createMs, runMs, totalMs: performance.now() - start }, outputs,
  });
}

async function handle(req: RunRequest | MeasureRequest | CompileProbeRequest): Promise<void> {
  if (req.type === 'measure') send({ type: 'measured', id: req.id, result: await handleMeasure(req) });
  else if (req.type === 'compileProbe') send({ type: 'probeCompiled', id: req.id, probe: handleCompileProbe(req) });
  else await handleRun(req);
}

function enqueue(req: RunRequest | MeasureRequest | CompileProbeRequest): void {
  queue = queue.then(async () => {
    current = req.id;
    try {
      checkCancelled(req.id);
      await handle(req);
    } catch (e) {
      const attempts = e instanceof NoProviderError ? e.attempts : undefined;
      send({ type: 'error', id: req.id, message: e instanceof Error ? e.message : String(e), attempts });
    } finally {
      cancelled.delete(req.id);
      current = undefined;
    }
  });
}

process.on('message', (m: unknown) => {
  if (!isParentMessage(m)) return;
  if (m.type === 'cancel') cancelled.add(m.id);
  else enqueue(m);
});
process.on('uncaughtException', (e) => {
  if (current !== undefined) send({ type: 'error', id: current, message: `inference process error: ${e.message}` });
});
process.on('unhandledRejection', (e) => {
  if (current !== undefined) send({ type: 'error', id: current, message: `inference process error: ${String(e)}` });
});
// Exit with the parent: without an IPC channel nobody can read our results.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
