#!/usr/bin/env bash
# `npm run screenshots`: regenerates the README's pictures (docs/images/*.png) from the end-to-end suites.
# The suites themselves write only into test/e2e/shots/ (git-ignored), so `npm test` never changes tracked
# files; this script runs the two suites that take the pictures and copies them over on purpose.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/e2e/setup.sh
node esbuild.mjs
node --import tsx --test test/e2e/editor.e2e.ts test/e2e/panels.e2e.ts
mkdir -p docs/images
for pair in hover:hover panel-dashboard:dashboard panel-gates:gates panel-gates-probe:gates-probe panel-gates-webgpu:gates-webgpu; do
  [ -f "test/e2e/shots/${pair%%:*}.png" ] || continue
  cp "test/e2e/shots/${pair%%:*}.png" "docs/images/${pair##*:}.png"
  echo "docs/images/${pair##*:}.png ← test/e2e/shots/${pair%%:*}.png"
done
