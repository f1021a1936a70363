/**
 * Test helpers for `archlens import`: read a fixture config, convert it, analyse the `.arch` text in
 * memory (failing on error diagnostics) and return parameter counts per model.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../language-server/src/semantic/analyze';
import { costModel } from '../../language-server/src/cost/engine';
import { findHardware } from '../../language-server/src/cost/hardware';
import { convertHfConfig } from '../../language-server/src/import/hf';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'hf');

export function fixture(model: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, model, 'config.json'), 'utf8')) as Record<string, unknown>;
}

export interface Counts { total: number; active: number; embedding: number }

/** Analyzes `text` in memory; fails on error diagnostics; returns params per model name. */
export function costs(text: string): Map<string, Counts> {
  const files = new Map([['/virtual/x.arch', text]]);
  const host = { read: (f: string) => files.get(f), resolve: () => undefined };
  const a = analyze('/virtual/x.arch', host);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], `diagnostics in:\n${text}`);
  const out = new Map<string, Counts>();
  for (const m of a.models) {
    const r = costModel(m, { hardware: findHardware('h100')! });
    const embedding = r.blocks.filter((b) => b.instance.kind === 'embedding').reduce((s, b) => s + b.all.params, 0);
    out.set(m.name, { ...r.totals.params, embedding });
  }
  return out;
}

/** Converts a config object and returns its main model's counts (and the text). */
export function importConfig(config: unknown, name = 'M'): Counts & { text: string; all: Map<string, Counts> } {
  const text = convertHfConfig(config, name);
  const all = costs(text);
  return { ...all.get(name)!, text, all };
}

/** Converts a fixture and returns its main model's counts (and the text). */
export function importFixture(model: string, name = 'M'): Counts & { text: string; all: Map<string, Counts> } {
  return importConfig(fixture(model), name);
}
