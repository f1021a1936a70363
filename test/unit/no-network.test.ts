/**
 * No network access at run time and no telemetry. Two checks:
 *  - Archlens's own run-time sources (language server, extension, webview, tokenizer) import no network module
 *    and call no fetch / XMLHttpRequest / WebSocket / sendBeacon, and never send LSP telemetry events.
 *  - The shipped bundles (dist/*.js, third-party code included) contain no HTTP client at all; the only network
 *    module is Node's `net` inside vscode-jsonrpc's pipe/socket transports (local sockets for `--pipe` /
 *    `--socket`, which Archlens does not use: the client starts the server over Node IPC, tests over stdio).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = ['language-server/src', 'extension', 'webview', 'models/tokenizer.ts'];
/** Development-only tools (npm start, npm run package) are not part of the extension. */
const DEV_ONLY = [path.join('extension', 'dev')];
const BUNDLES = ['extension.js', 'server.js', 'inference.js', 'webview.js'];

const NETWORK_IMPORT = /(from\s+|require\()\s*['"](node:)?(http|https|http2|net|tls|dgram|dns)['"]/;
const NETWORK_CALL = /\bfetch\s*\(|XMLHttpRequest|new\s+WebSocket|sendBeacon|\bhttps?\.(request|get)\s*\(|telemetry\.logEvent|telemetry\/event|sendTelemetry/;

function files(p: string): string[] {
  const abs = path.join(ROOT, p);
  if (!fs.existsSync(abs) || DEV_ONLY.includes(p)) return [];
  if (!fs.statSync(abs).isDirectory()) return /\.(ts|js|mjs)$/.test(p) ? [p] : [];
  return fs.readdirSync(abs).flatMap((f) => files(path.join(p, f)));
}

test('Archlens run-time sources import no network module and send no telemetry', () => {
  const all = SOURCES.flatMap(files);
  assert.ok(all.length > 50, `scanned ${all.length} files`);
  const hits = all.flatMap((f) => {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    return text.split('\n').flatMap((line, i) => (NETWORK_IMPORT.test(line) || NETWORK_CALL.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : []));
  });
  assert.deepEqual(hits, []);
});

test('the bundles carry no HTTP client; `net` only in vscode-jsonrpc\'s local pipe/socket transports', () => {
  if (!BUNDLES.every((b) => fs.existsSync(path.join(ROOT, 'dist', b)))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
  for (const b of BUNDLES) {
    const text = fs.readFileSync(path.join(ROOT, 'dist', b), 'utf8');
    assert.doesNotMatch(text, /require\(["'](node:)?(http|https|http2|tls|dgram|dns)["']\)/, `${b} requires an HTTP/TLS/DNS module`);
    assert.doesNotMatch(text, /\bfetch\s*\(|XMLHttpRequest|new\s+WebSocket|sendBeacon/, `${b} has a web network call`);
    const net = text.match(/require\(["'](node:)?net["']\)/g) ?? [];
    assert.ok(net.length <= 1, `${b}: ${net.length} requires of net`);
    if (net.length) {
      const uses = [...text.matchAll(/net_\d+\.(\w+)\)?\(/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(uses)].sort(), ['createConnection', 'createServer'], `${b}: net used only for the jsonrpc transports`);
      assert.match(text, /function createClientPipeTransport/, `${b}: the net require belongs to vscode-jsonrpc`);
    }
  }
});
