/**
 * Regenerates what is derived from the settings schema and the hardware catalogue:
 * package.json `contributes.configuration` (language-server/src/settings/schema.ts) and the hardware
 * table of docs/costs.md (language-server/src/settings/hardwareTable.ts).
 *
 *   npm run gen            rewrite both files
 *   npm run gen -- --check exit 1 (and name the file) when either is out of date
 */
import * as fs from 'fs';
import * as path from 'path';
import { configurationContribution } from '../../language-server/src/settings/schema';
import { replaceHardwareTable } from '../../language-server/src/settings/hardwareTable';

const ROOT = path.join(__dirname, '..', '..');

export interface Generated { readonly file: string; readonly current: string; readonly expected: string }

/** package.json text with `contributes.configuration` regenerated (2-space JSON, trailing newline). */
export function generatedPackageJson(current: string): string {
  const pkg = JSON.parse(current) as { contributes: Record<string, unknown> };
  pkg.contributes.configuration = configurationContribution();
  return JSON.stringify(pkg, null, 2) + '\n';
}

export function generatedFiles(root = ROOT): Generated[] {
  const read = (f: string): string => fs.readFileSync(path.join(root, f), 'utf8');
  const pkg = read('package.json');
  const costs = read('docs/costs.md');
  return [
    { file: 'package.json', current: pkg, expected: generatedPackageJson(pkg) },
    { file: 'docs/costs.md', current: costs, expected: replaceHardwareTable(costs) },
  ];
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  let stale = 0;
  for (const g of generatedFiles()) {
    if (g.current === g.expected) continue;
    stale++;
    if (check) console.error(`${g.file} is out of date: run npm run gen`);
    else { fs.writeFileSync(path.join(ROOT, g.file), g.expected); console.log(`wrote ${g.file}`); }
  }
  return check && stale ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
