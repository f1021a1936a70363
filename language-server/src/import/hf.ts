/**
 * `archlens import`: a Hugging Face `config.json` → `.arch` text. Dispatches on `model_type`
 * (or, when absent, `architectures[0]`, or the state-spaces mamba_ssm layout) to one module per
 * architecture family. Unknown architectures and missing required fields throw ImportError naming
 * the field; documented transformers defaults are applied and reported as `# note:` lines.
 */
import { BODY_KEYWORDS, DECLARATION_KEYWORDS, VALUE_KEYWORDS } from '../syntax/grammar';
import { Cfg, ImportError, isObject, type Json } from './config';
import { commentText } from './emit';
import { convertBloom, convertFalcon, convertGptj, convertGptNeox, convertMpt, convertPhi, convertStablelm, convertStarcoder2 } from './classic';
import { convertDeepseekV3 } from './deepseek';
import { convertCohere, convertCohere2, convertExaone, convertGemma1, convertGranite, convertInternlm2, convertNemotron, convertOlmo2 } from './dense';
import { convertDbrx, convertGranitemoe, convertLlama4Text, convertOlmoe, convertPhimoe, convertQwen2Moe } from './moes';
import { convertGemma, gemma3TextConfig } from './gemma';
import { convertGpt2 } from './gpt2';
import { convertJamba } from './jamba';
import { convertRecurrentGemma } from './griffin';
import { convertQwen3Next } from './qwen3next';
import { convertUnknown, type Mapped } from './fallback';
import { convertBamba, convertNemotronH } from './hybrid';
import { convertFalconH1 } from './falconh1';
import { convertZamba2 } from './zamba2';
import { convertGraniteMoeHybrid } from './granite4';
import { convertJetMoe } from './jetmoe';
import { convertGlm4, convertGlm4Moe, convertHunyuanDense, convertSeedOss } from './recent';
import { convertMiniMax } from './minimax';
import { convertDecoder, DENSE_FAMILIES } from './llama';
import { MOE_FAMILIES } from './moe';
import { convertMamba, convertMamba2, convertMambaSsm, isMambaSsmConfig } from './ssm';

export { ImportError } from './config';

type Converter = (raw: Json, name: string, source: string) => string;
type CfgConverter = (c: Cfg, name: string, source: string) => string;

/** model_type → [config class, converter] for the families that read one flat config. */
const FLAT: Readonly<Record<string, readonly [string, CfgConverter]>> = {
  deepseek_v2: ['DeepseekV2Config', convertDeepseekV3], deepseek_v3: ['DeepseekV3Config', convertDeepseekV3],
  kimi_k2: ['DeepseekV3Config', convertDeepseekV3], gemma: ['GemmaConfig', convertGemma1], olmo2: ['Olmo2Config', convertOlmo2],
  cohere: ['CohereConfig', convertCohere], cohere2: ['Cohere2Config', convertCohere2], granite: ['GraniteConfig', convertGranite],
  internlm2: ['InternLM2Config', convertInternlm2], exaone: ['ExaoneConfig', convertExaone], nemotron: ['NemotronConfig', convertNemotron],
  phi: ['PhiConfig', convertPhi], gptj: ['GPTJConfig', convertGptj], gpt_neox: ['GPTNeoXConfig', convertGptNeox],
  falcon: ['FalconConfig', convertFalcon], mpt: ['MptConfig', convertMpt], bloom: ['BloomConfig', convertBloom],
  starcoder2: ['Starcoder2Config', convertStarcoder2], stablelm: ['StableLmConfig', convertStablelm],
  qwen2_moe: ['Qwen2MoeConfig', convertQwen2Moe], olmoe: ['OlmoeConfig', convertOlmoe], granitemoe: ['GraniteMoeConfig', convertGranitemoe],
  phimoe: ['PhimoeConfig', convertPhimoe], bamba: ['BambaConfig', convertBamba], nemotron_h: ['NemotronHConfig', convertNemotronH], dbrx: ['DbrxConfig', convertDbrx], llama4_text: ['Llama4TextConfig', convertLlama4Text],
  recurrent_gemma: ['RecurrentGemmaConfig', convertRecurrentGemma], qwen3_next: ['Qwen3NextConfig', convertQwen3Next],
  falcon_h1: ['FalconH1Config', convertFalconH1], zamba2: ['Zamba2Config', convertZamba2], jetmoe: ['JetMoeConfig', convertJetMoe],
  glm4: ['Glm4Config', convertGlm4], glm4_moe: ['Glm4MoeConfig', convertGlm4Moe], seed_oss: ['SeedOssConfig', convertSeedOss],
  hunyuan_v1_dense: ['HunYuanDenseV1Config', convertHunyuanDense], minimax: ['MiniMaxConfig', convertMiniMax],
  minimax_m1: ['MiniMaxM1Config', convertMiniMax], minimax_text_01: ['MiniMaxText01Config', convertMiniMax],
  granitemoehybrid: ['GraniteMoeHybridConfig', convertGraniteMoeHybrid],
};

/** Multimodal wrappers whose text decoder sits under `text_config` (dtype from the outer config). */
function textConfig(top: Json, family: string, hfClass: string): Cfg {
  const text = isObject(top.text_config) ? top.text_config : top;
  const notes = text !== top && top.vision_config !== undefined ? ['vision tower (vision_config) and projector are not imported: text decoder only'] : [];
  const inherited: Json = {};
  for (const k of ['architectures', 'torch_dtype', 'dtype', 'quantization_config']) if (k in top && !(k in text)) inherited[k] = top[k];
  return new Cfg({ ...inherited, ...text }, family, hfClass, notes);
}

const decoder = (family: string, table: typeof DENSE_FAMILIES): Converter => (raw, name, source) => {
  const [hfClass, spec] = table[family];
  return convertDecoder(new Cfg(raw, family, hfClass), name, source, spec);
};

const CONVERTERS: Readonly<Record<string, Converter>> = {
  ...Object.fromEntries(Object.keys(DENSE_FAMILIES).map((f) => [f, decoder(f, DENSE_FAMILIES)])),
  ...Object.fromEntries(Object.keys(MOE_FAMILIES).map((f) => [f, decoder(f, MOE_FAMILIES)])),
  ...Object.fromEntries(Object.entries(FLAT).map(([f, [cls, conv]]) => [f, (raw: Json, name: string, source: string) => conv(new Cfg(raw, f, cls), name, source)])),
  llama4: (raw, name, source) => convertLlama4Text(textConfig(raw, 'llama4_text', 'Llama4TextConfig'), name, source),
  gemma2: (raw, name, source) => convertGemma(new Cfg(raw, 'gemma2', 'Gemma2Config'), name, source, 2),
  gemma3: (raw, name, source) => convertGemma(gemma3TextConfig(raw, []), name, source, 3),
  gemma3_text: (raw, name, source) => convertGemma(new Cfg(raw, 'gemma3', 'Gemma3TextConfig'), name, source, 3),
  gpt2: (raw, name, source) => convertGpt2(new Cfg(raw, 'gpt2', 'GPT2Config'), name, source),
  mamba: (raw, name, source) => convertMamba(new Cfg(raw, 'mamba', 'MambaConfig'), name, source, false),
  falcon_mamba: (raw, name, source) => convertMamba(new Cfg(raw, 'falcon_mamba', 'FalconMambaConfig'), name, source, true),
  mamba2: (raw, name, source) => convertMamba2(new Cfg(raw, 'mamba2', 'Mamba2Config'), name, source),
  jamba: (raw, name, source) => convertJamba(new Cfg(raw, 'jamba', 'JambaConfig'), name, source),
  mamba_ssm: (raw, name, source) => convertMambaSsm(new Cfg(raw, 'mamba_ssm', 'mamba_ssm MambaConfig'), name, source),
};

/** `architectures[0]` class names → model_type, for configs without a model_type. */
const ARCHITECTURES: Readonly<Record<string, string>> = {
  LlamaForCausalLM: 'llama', MistralForCausalLM: 'mistral', MixtralForCausalLM: 'mixtral', Qwen2ForCausalLM: 'qwen2',
  Qwen3ForCausalLM: 'qwen3', Qwen3MoeForCausalLM: 'qwen3_moe', DeepseekV3ForCausalLM: 'deepseek_v3',
  Gemma2ForCausalLM: 'gemma2', Gemma3ForCausalLM: 'gemma3_text', Gemma3ForConditionalGeneration: 'gemma3',
  Phi3ForCausalLM: 'phi3', GPT2LMHeadModel: 'gpt2', GptOssForCausalLM: 'gpt_oss', MambaForCausalLM: 'mamba',
  Mamba2ForCausalLM: 'mamba2', FalconMambaForCausalLM: 'falcon_mamba', JambaForCausalLM: 'jamba',
  DeepseekV2ForCausalLM: 'deepseek_v2', GemmaForCausalLM: 'gemma', Olmo2ForCausalLM: 'olmo2', CohereForCausalLM: 'cohere',
  Cohere2ForCausalLM: 'cohere2', GraniteForCausalLM: 'granite', InternLM2ForCausalLM: 'internlm2', ExaoneForCausalLM: 'exaone',
  NemotronForCausalLM: 'nemotron', PhiForCausalLM: 'phi', GPTJForCausalLM: 'gptj', GPTNeoXForCausalLM: 'gpt_neox',
  FalconForCausalLM: 'falcon', RWForCausalLM: 'falcon', MPTForCausalLM: 'mpt', MptForCausalLM: 'mpt', BloomForCausalLM: 'bloom',
  Starcoder2ForCausalLM: 'starcoder2', StableLmForCausalLM: 'stablelm', Qwen2MoeForCausalLM: 'qwen2_moe', OlmoeForCausalLM: 'olmoe',
  GraniteMoeForCausalLM: 'granitemoe', PhiMoEForCausalLM: 'phimoe', DbrxForCausalLM: 'dbrx', Llama4ForCausalLM: 'llama4_text',
  Llama4ForConditionalGeneration: 'llama4', BambaForCausalLM: 'bamba', NemotronHForCausalLM: 'nemotron_h',
  RecurrentGemmaForCausalLM: 'recurrent_gemma', Qwen3NextForCausalLM: 'qwen3_next',
  FalconH1ForCausalLM: 'falcon_h1', Zamba2ForCausalLM: 'zamba2', JetMoeForCausalLM: 'jetmoe', JetMoEForCausalLM: 'jetmoe',
  Glm4ForCausalLM: 'glm4', Glm4MoeForCausalLM: 'glm4_moe', SeedOssForCausalLM: 'seed_oss', HunYuanDenseV1ForCausalLM: 'hunyuan_v1_dense',
  MiniMaxForCausalLM: 'minimax', MiniMaxText01ForCausalLM: 'minimax_text_01', MiniMaxM1ForCausalLM: 'minimax_m1', GraniteMoeHybridForCausalLM: 'granitemoehybrid',
};

export const SUPPORTED_MODEL_TYPES: readonly string[] = Object.keys(CONVERTERS).filter((k) => !['mamba_ssm'].includes(k));

function modelType(raw: Json): string {
  if (typeof raw.model_type === 'string') return raw.model_type;
  if (Array.isArray(raw.architectures) && typeof raw.architectures[0] === 'string') {
    return own(ARCHITECTURES, String(raw.architectures[0])) ?? raw.architectures[0];
  }
  if (isMambaSsmConfig(raw)) return 'mamba_ssm';
  throw new ImportError(`config field 'model_type' is missing (and there is no 'architectures' list) — cannot tell the architecture`);
}

/** A valid, non-keyword identifier for the model name. */
function identifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1') || 'Imported';
  const reserved: readonly string[] = [...DECLARATION_KEYWORDS, ...BODY_KEYWORDS, ...VALUE_KEYWORDS];
  if (reserved.includes(id)) id = `${id}_`;
  return id;
}

/** A table entry for a user-supplied key: own properties only (`toString`, `__proto__` are not families). */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function convertHfConfig(config: unknown, name: string): string {
  return importHfConfig(config, name).text;
}

/**
 * Config → `.arch` text plus warnings. A known model_type (or, when it is unknown, a known
 * `architectures[0]` class) converts exactly; anything else goes through the field-mapping fallback.
 */
export function importHfConfig(config: unknown, name: string): Mapped {
  if (!isObject(config)) throw new ImportError('config.json must contain a JSON object');
  const type = modelType(config);
  const byClass = Array.isArray(config.architectures) ? own(ARCHITECTURES, String(config.architectures[0])) : undefined;
  const convert = own(CONVERTERS, type) ?? (byClass ? own(CONVERTERS, byClass) : undefined);
  if (convert) {
    const warnings = own(CONVERTERS, type) ? [] : [`model_type '${type}' is not a known family; converted as '${byClass}', the family of its architectures class ${String((config.architectures as unknown[])[0])}`];
    const text = convert(config, identifier(name), name);
    return { text: warnings.length ? `# warning: ${commentText(warnings[0])}\n${text}` : text, warnings };
  }
  return convertUnknown(config, type, identifier(name), name, SUPPORTED_MODEL_TYPES);
}
