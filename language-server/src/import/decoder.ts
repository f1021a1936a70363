/**
 * Pieces shared by the transformer-decoder importers: attention arguments, per-layer sliding
 * windows (`layer_types` or a family rule), and the standard model layout
 * (settings, embedding, `layers N { … }`, final norm, lm_head).
 */
import { Cfg, ImportError } from './config';
import { call, dtypeSetting, every, fmtContext, fmtNum, flag, header, layers, render, type Draft } from './emit';

export interface AttnArgs {
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly ropeTheta?: number;
  readonly qkvBias?: boolean;
  readonly outBias?: boolean;
  readonly qkNorm?: boolean;
  readonly sinks?: boolean;
  /** Sigmoid output gate from a second query-sized projection (Qwen3-Next). */
  readonly gate?: boolean;
}

/**
 * Heads, KV heads and head_dim. `kvDefaultsToHeads`: the config class sets num_key_value_heads to
 * num_attention_heads when absent (LlamaConfig, Phi3Config, DeepseekV3Config); otherwise it is required.
 */
export function readAttention(c: Cfg, d: number, kvDefaultsToHeads: boolean): AttnArgs {
  const heads = c.int('num_attention_heads', 'attention');
  let kvHeads: number;
  if (c.has('num_key_value_heads') || !kvDefaultsToHeads) kvHeads = c.int('num_key_value_heads', 'attention');
  else {
    kvHeads = heads;
    c.note(`'num_key_value_heads' is not in the config; using the ${c.hfClass} default num_key_value_heads = num_attention_heads = ${heads} (MHA)`);
  }
  return { heads, kvHeads, headDim: headDim(c, d, heads), ropeTheta: c.numOpt('rope_theta') };
}

function headDim(c: Cfg, d: number, heads: number): number {
  const explicit = c.intOpt('head_dim');
  if (explicit !== undefined) return explicit;
  if (d % heads !== 0) c.missing('head_dim', `attention (hidden_size ${d} is not divisible by ${heads} heads)`);
  c.note(`'head_dim' is not in the config; using the ${c.hfClass} default head_dim = hidden_size / num_attention_heads = ${d / heads}`);
  return d / heads;
}

/** An `attention(…)` call; `window` 0 = full attention. */
export function attentionCall(a: AttnArgs, window = 0, ropeTheta = a.ropeTheta): string {
  return call('attention', {
    heads: a.heads, kv_heads: a.kvHeads, head_dim: a.headDim, window: window || undefined,
    qk_norm: flag(a.qkNorm), qkv_bias: flag(a.qkvBias), out_bias: flag(a.outBias), sinks: flag(a.sinks),
    gate: flag(a.gate), rope_theta: ropeTheta,
  });
}

/**
 * Per-layer sliding windows from `layer_types` ("sliding_attention" / "full_attention") when the
 * config lists them, else from `rule` (which returns whether layer i slides). 0 = full attention.
 */
export function slidingWindows(c: Cfg, n: number, rule: (i: number) => boolean): number[] {
  const types = c.strListOpt('layer_types', n);
  const slides = types ? types.map((t) => t === 'sliding_attention') : Array.from({ length: n }, (_, i) => rule(i));
  if (types) {
    const unknown = types.find((t) => t !== 'sliding_attention' && t !== 'full_attention');
    if (unknown) throw new ImportError(`config field 'layer_types' has unsupported entry ${JSON.stringify(unknown)}`);
  }
  if (!slides.some(Boolean)) return slides.map(() => 0);
  const w = c.int('sliding_window', 'sliding-window attention');
  return slides.map((s) => (s ? w : 0));
}

/** One attention line per distinct window, with selectors (local vs global layers). */
const MIXED = new WeakMap<readonly number[], boolean>();

/** Whether the layers mix windowed and global attention (computed once per window list: linear in the layers). */
function mixedWindows(windows: readonly number[]): boolean {
  let m = MIXED.get(windows);
  if (m === undefined) MIXED.set(windows, (m = windows.some((x) => x > 0) && windows.some((x) => x === 0)));
  return m;
}

export function attentionLine(a: AttnArgs, windows: readonly number[], i: number, localTheta?: number): { code: string; comment?: string } {
  const w = windows[i];
  const mixed = mixedWindows(windows);
  const theta = w > 0 && localTheta !== undefined ? localTheta : a.ropeTheta;
  return { code: attentionCall(a, w, theta), comment: mixed ? (w ? 'local (sliding window)' : 'global') : undefined };
}

export interface DecoderLayout {
  readonly name: string;
  readonly source: string;
  readonly keys: readonly string[];
  readonly d: number;
  readonly n: number;
  readonly tied: boolean;
  readonly layerBody: readonly string[];
  readonly context?: number;
  readonly embedding?: string;
  readonly finalNorm?: string;
  /** The LM head line (default `lm_head`), e.g. with a bias. */
  readonly lmHead?: string;
  readonly top?: Cfg;
  readonly after?: readonly string[];
  readonly extraHeader?: readonly string[];
}

/** Standard layout: settings, embedding, `layers n { … }`, final norm, lm_head. */
export function decoderText(c: Cfg, o: DecoderLayout): string {
  const vocab = c.int('vocab_size', 'embedding');
  const settings: [string, string][] = [['vocab', fmtNum(vocab)], ['d_model', fmtNum(o.d)]];
  if (o.context !== undefined) settings.push(['context', fmtContext(o.context)]);
  settings.push(['dtype', dtypeSetting(c, o.top)], ['tied', String(o.tied)]);
  const body = [
    o.embedding ?? 'embedding',
    ...layers(o.n, o.layerBody),
    o.finalNorm ?? every('rmsnorm', 'final norm'),
    o.lmHead ?? 'lm_head',
  ];
  const draft: Draft = {
    name: o.name, header: [...header(c, o.source, o.keys), ...(o.extraHeader ?? [])], settings, body, after: o.after,
  };
  return render(draft, c.notes);
}

/** Key fields shown in the header of every decoder import. */
export const DECODER_KEYS = [
  'vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'head_dim',
  'intermediate_size', 'max_position_embeddings', 'rope_theta', 'sliding_window', 'tie_word_embeddings', 'torch_dtype',
];
