/**
 * Reading a Hugging Face `config.json`: typed field access that never guesses. A missing field
 * either throws an ImportError naming it, or (where the transformers config class documents a
 * default) takes that default and records a `# note:` line for the generated `.arch` text.
 */

/** Layer-count fields (num_hidden_layers, n_layer, num_layers…) and their bound: work and output grow with them. */
const LAYER_FIELD = /(^|_)layers?$/;
export const MAX_LAYERS = 100_000;

export class ImportError extends Error {
  override name = 'ImportError';
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class Cfg {
  /** Lines (without `# note: `) explaining every default or interpretation applied. */
  readonly notes: string[];

  /**
   * @param raw the (text) config object
   * @param family the architecture family, used in error messages ("needed for <family> attention")
   * @param hfClass the transformers config class whose documented defaults apply (e.g. `LlamaConfig`)
   */
  readonly raw: Json;

  constructor(raw: Json, readonly family: string, readonly hfClass: string, notes: string[] = []) {
    this.raw = { ...raw }; // documented defaults are written into this copy, never into the caller's object
    this.notes = notes;
  }

  /** Fills absent fields with the config class's documented defaults, noting each one used. */
  applyDefaults(defaults: Json): void {
    for (const [field, value] of Object.entries(defaults)) {
      if (field in this.raw) continue;
      this.raw[field] = value;
      this.note(`'${field}' is not in the config; using the ${this.hfClass} default ${field} = ${JSON.stringify(value)}`);
    }
  }

  has(field: string): boolean {
    return this.raw[field] !== undefined && this.raw[field] !== null;
  }

  missing(field: string, neededFor: string): never {
    throw new ImportError(`config field '${field}' is missing (needed for ${this.family} ${neededFor})`);
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** A required positive integer. */
  int(field: string, neededFor: string): number {
    if (!this.has(field)) this.missing(field, neededFor);
    return this.checkInt(field, this.raw[field], 1);
  }

  /** A non-negative integer (0 allowed), required. */
  count(field: string, neededFor: string): number {
    if (!this.has(field)) this.missing(field, neededFor);
    return this.checkInt(field, this.raw[field], 0);
  }

  /** An integer with a documented default of the config class; applying it adds a note. */
  intOr(field: string, fallback: number, why?: string): number {
    if (this.has(field)) return this.checkInt(field, this.raw[field], 0);
    this.note(`'${field}' is not in the config; using the ${this.hfClass} default ${field} = ${fallback}${why ? ` (${why})` : ''}`);
    return fallback;
  }

  /** An optional integer (undefined when absent or null). */
  intOpt(field: string): number | undefined {
    return this.has(field) ? this.checkInt(field, this.raw[field], 0) : undefined;
  }

  /** An optional finite number. */
  numOpt(field: string): number | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.typeError(field, 'a number', v);
    return v;
  }

  /** A boolean with a documented default; applying it adds a note unless `quiet`. */
  boolOr(field: string, fallback: boolean, quiet = false): boolean {
    if (!this.has(field)) {
      if (!quiet) this.note(`'${field}' is not in the config; using the ${this.hfClass} default ${field} = ${fallback}`);
      return fallback;
    }
    const v = this.raw[field];
    if (typeof v !== 'boolean') throw this.typeError(field, 'true or false', v);
    return v;
  }

  strOpt(field: string): string | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw[field];
    if (typeof v !== 'string') throw this.typeError(field, 'a string', v);
    return v;
  }

  /** An optional list of strings (e.g. `layer_types`), checked to have `n` entries. */
  strListOpt(field: string, n: number): string[] | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw[field];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw this.typeError(field, 'a list of strings', v);
    if (v.length !== n) throw new ImportError(`config field '${field}' has ${v.length} entries but the model has ${n} layers`);
    return v as string[];
  }

  /** An optional list of non-negative integers (e.g. `mlp_only_layers`). */
  intListOpt(field: string): number[] | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw[field];
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && (x as number) >= 0)) {
      throw this.typeError(field, 'a list of layer indices', v);
    }
    return v as number[];
  }

  private checkInt(field: string, v: unknown, min: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw this.typeError(field, min > 0 ? 'a positive integer' : 'a non-negative integer', v);
    }
    if (LAYER_FIELD.test(field) && v > MAX_LAYERS) {
      throw new ImportError(`config field '${field}' is ${v}: more than ${MAX_LAYERS.toLocaleString('en-US')} layers is not a model this importer will write out`);
    }
    return v;
  }

  private typeError(field: string, expected: string, v: unknown): ImportError {
    return new ImportError(`config field '${field}' must be ${expected}, found ${JSON.stringify(v)}`);
  }
}
