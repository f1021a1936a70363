/**
 * User-defined devices: `archlens.customHardware` in the editor and `--hardware-file FILE.json` on the command
 * line take the same objects, in friendly units (TFLOP/s, GB/s, GB), and become catalogue-shaped `Hardware`.
 * The field table below is also what the settings schema (settings/schema.ts) turns into package.json's JSON
 * schema, so the two cannot drift. Bad entries are reported (one message each) and left out; nothing throws.
 */
import { HARDWARE, type Hardware } from './hardware';

export interface CustomField {
  readonly type: 'string' | 'number' | 'integer' | 'boolean';
  readonly description: string;
  readonly required?: true;
  /** number fields: the factor from the friendly unit to the catalogue's (TFLOP/s → FLOP/s: 1e12). */
  readonly scale?: number;
  /** number fields: the friendly unit, for messages and the schema. */
  readonly unit?: string;
  /** number fields that may be null ("no such tensor path"). */
  readonly nullable?: true;
}

const TF = 1e12, G = 1e9;
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

export const CUSTOM_FIELDS = {
  id: { type: 'string', required: true, description: 'Id to put in `archlens.hardware` / `--hardware` (letters, digits, `.`, `_`, `-`; must not be a catalogue id).' },
  name: { type: 'string', description: 'Display name (default: the id).' },
  bf16: { type: 'number', required: true, scale: TF, unit: 'TFLOP/s', description: 'Dense bf16/fp16 tensor peak, TFLOP/s.' },
  fp8: { type: 'number', nullable: true, scale: TF, unit: 'TFLOP/s', description: 'Dense fp8 tensor peak, TFLOP/s (omit or null: none; bf16 is used).' },
  fp4: { type: 'number', nullable: true, scale: TF, unit: 'TFLOP/s', description: 'Dense fp4 tensor peak, TFLOP/s (omit or null: none).' },
  int8: { type: 'number', nullable: true, scale: TF, unit: 'TOPS', description: 'Dense int8 tensor peak, TOPS (omit or null: none).' },
  fp32: { type: 'number', scale: TF, unit: 'TFLOP/s', description: 'fp32 peak, TFLOP/s (default: half the bf16 peak).' },
  bandwidth: { type: 'number', required: true, scale: G, unit: 'GB/s', description: 'Device memory bandwidth, GB/s.' },
  memory: { type: 'number', required: true, scale: G, unit: 'GB', description: 'Device memory, GB (10^9 bytes).' },
  interconnect: { type: 'number', scale: G, unit: 'GB/s per direction', description: 'GPU-to-GPU bandwidth inside a node, GB/s PER DIRECTION per device (NVLink 4\'s "900 GB/s" is 450). Default 0: none.' },
  interconnectName: { type: 'string', description: 'Name of that fabric ("NVLink 4", "PCIe 5.0 x16").' },
  gpusPerNode: { type: 'integer', description: 'Devices sharing that fabric in one node (default 1).' },
  hostLink: { type: 'number', scale: G, unit: 'GB/s per direction', description: 'Host link, GB/s per direction (default 32, PCIe 4.0 x16).' },
  hostLinkName: { type: 'string', description: 'Name of the host link.' },
  memoryKind: { type: 'string', description: 'Kind of device memory ("HBM3e", "GDDR7"; default "memory").' },
  short: { type: 'string', description: 'Short label for the status bar (default: the id).' },
  source: { type: 'string', description: 'Where the figures come from.' },
  estimated: { type: 'boolean', description: 'The figures are estimates.' },
} as const satisfies Record<string, CustomField>;

type Key = keyof typeof CUSTOM_FIELDS;
const KEYS = Object.keys(CUSTOM_FIELDS) as Key[];
/** Upper bound for any friendly figure (TFLOP/s, GB/s, GB): catches unit mistakes such as bytes for GB. */
const MAX_FIGURE = 1e6;

export interface CustomHardwareResult {
  readonly devices: readonly Hardware[];
  /** One human-readable message per problem; entries with a problem other than an unknown field are left out. */
  readonly problems: readonly string[];
}

/** Parses the setting's value (an array of objects; undefined/null = none). `where` names it in messages. */
export function parseCustomHardware(raw: unknown, where = 'archlens.customHardware'): CustomHardwareResult {
  if (raw === undefined || raw === null) return { devices: [], problems: [] };
  if (!Array.isArray(raw)) return { devices: [], problems: [`${where} must be an array of device objects; ignored`] };
  const devices: Hardware[] = [];
  const problems: string[] = [];
  raw.forEach((entry, i) => {
    const label = `${where}[${i}]${entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string' ? ` ("${(entry as { id: string }).id}")` : ''}`;
    const r = parseEntry(entry, devices);
    problems.push(...r.warnings.map((w) => `${label}: ${w}`));
    if (typeof r.result === 'string') problems.push(`${label}: ${r.result}; entry ignored`);
    else devices.push(r.result);
  });
  return { devices, problems };
}

function parseEntry(entry: unknown, earlier: readonly Hardware[]): { result: Hardware | string; warnings: string[] } {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return { result: 'must be an object', warnings: [] };
  const e = entry as Record<string, unknown>;
  const warnings = Object.keys(e).filter((k) => !(k in CUSTOM_FIELDS)).map((k) => `unknown field '${k}' ignored (known: ${KEYS.join(', ')})`);
  for (const key of KEYS) {
    const problem = checkField(key, e[key]);
    if (problem) return { result: problem, warnings };
  }
  const id = e.id as string;
  if (HARDWARE.some((h) => sameId(h, id))) return { result: `id '${id}' is a catalogue device; choose another id`, warnings };
  if (earlier.some((h) => sameId(h, id))) return { result: `id '${id}' is already defined by an earlier entry`, warnings };
  return { result: toHardware(e), warnings };
}

const compact = (s: string): string => s.toLowerCase().replace(/[\s_.-]/g, '');
const sameId = (h: Hardware, id: string): boolean => compact(h.id) === compact(id) || h.name.toLowerCase() === id.toLowerCase();

/** A message when `v` is not a valid value of field `key`, else undefined. */
function checkField(key: Key, v: unknown): string | undefined {
  const f: CustomField = CUSTOM_FIELDS[key];
  if (v === undefined || (v === null && f.nullable)) return f.required ? `'${key}' is required (${f.description})` : undefined;
  if (f.type === 'string') {
    if (typeof v !== 'string' || !v.trim()) return `'${key}' must be a non-empty string`;
    return key === 'id' && !new RegExp(ID_PATTERN).test(v) ? `'id' must match ${ID_PATTERN}` : undefined;
  }
  if (f.type === 'boolean') return typeof v === 'boolean' ? undefined : `'${key}' must be true or false`;
  if (f.type === 'integer') return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100000 ? undefined : `'${key}' must be an integer ≥ 1`;
  const unit = f.unit ?? '';
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v === 0 && key !== 'interconnect')) return `'${key}' must be a positive number (${unit})${f.nullable ? ' or null' : ''}`;
  return v > MAX_FIGURE ? `'${key}' = ${v} is implausibly large for ${unit}` : undefined;
}

function toHardware(e: Record<string, unknown>): Hardware {
  const num = (k: Key): number | undefined => (typeof e[k] === 'number' ? (e[k] as number) * (CUSTOM_FIELDS[k] as CustomField).scale! : undefined);
  const str = (k: Key, d: string): string => (typeof e[k] === 'string' ? (e[k] as string) : d);
  const id = e.id as string;
  const link = num('interconnect') ?? 0;
  return {
    id, name: str('name', id), short: str('short', id), memoryKind: str('memoryKind', 'memory'), custom: true,
    bf16: num('bf16')!, fp8: num('fp8') ?? null, fp4: num('fp4') ?? null, int8: num('int8') ?? null,
    ...(num('fp32') !== undefined ? { fp32: num('fp32') } : {}),
    bandwidth: num('bandwidth')!, memory: num('memory')!,
    hostLink: num('hostLink') ?? 32e9, hostLinkName: str('hostLinkName', typeof e.hostLink === 'number' ? 'host link' : 'PCIe 4.0 x16 (assumed)'),
    interconnect: { name: str('interconnectName', link ? 'custom interconnect' : 'none (single device)'), bandwidth: link, source: 'user-defined' },
    gpusPerNode: typeof e.gpusPerNode === 'number' ? e.gpusPerNode : 1,
    source: str('source', 'user-defined device (archlens.customHardware / --hardware-file)'),
    ...(e.estimated === true ? { estimated: true } : {}),
  };
}
