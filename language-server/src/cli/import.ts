/** `archlens import <config.json>`: Hugging Face config → `.arch` text on stdout or in a file. */
import * as fs from 'fs';
import * as path from 'path';
import { importHfConfig, ImportError } from '../import/hf';
import { readSource } from '../host/nodeHost';

import type { Io, Parsed } from './common';

export function runImport({ values, positionals }: Parsed, io: Io): number {
  const [arg] = positionals;
  if (!arg) throw new Error('import needs a config.json path');
  const file = configPath(arg);
  if (typeof file !== 'string') { io.err(`${arg}:1:1: error: ${file.error}\n`); return 1; }
  let config: unknown;
  try {
    const text = readSource(file);
    if (typeof text !== 'string') throw new Error(text?.refused ?? `cannot open '${file}'`);
    config = JSON.parse(text);
  } catch (e) {
    io.err(`${file}:1:1: error: cannot read JSON: ${(e as Error).message}\n`);
    return 1;
  }
  const name = (values.name as string | undefined) ?? defaultName(file);
  try {
    const { text, warnings } = importHfConfig(config, name);
    for (const w of warnings) io.err(`${file}:1:1: warning: ${w}\n`);
    const outFile = (values.o ?? values.output) as string | undefined;
    if (outFile) fs.writeFileSync(outFile, text); else io.out(text);
    return 0;
  } catch (e) {
    if (e instanceof ImportError) { io.err(`${file}:1:1: error: ${e.message}\n`); return 1; }
    throw e;
  }
}

/** The config file for `arg`: the file itself, or `config.json` inside a directory; else why not. */
function configPath(arg: string): string | { error: string } {
  let stat: fs.Stats;
  try { stat = fs.statSync(arg); } catch {
    return { error: `no such file: '${arg}' (give the path of a Hugging Face config.json, or of the folder holding it)` };
  }
  if (!stat.isDirectory()) return arg;
  const inner = path.join(arg, 'config.json');
  if (fs.existsSync(inner) && fs.statSync(inner).isFile()) return inner;
  return { error: `'${arg}' is a directory without a config.json (give the path of a Hugging Face config.json)` };
}

function defaultName(file: string): string {
  const dir = path.basename(path.dirname(path.resolve(file)));
  const base = path.basename(file, '.json');
  const raw = base === 'config' ? dir : base;
  const ident = raw.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
  return ident || 'Imported';
}
