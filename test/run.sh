#!/usr/bin/env bash
# `npm test`: typecheck, layer rules, build, then every suite in one node:test run — unit, language server over
# LSP, webview in headless Chromium, the @vscode/test-electron integration suite, and end to end in a
# real VS Code workbench (code-server).
# The e2e tools are installed by test/e2e/setup.sh; set ARCHLENS_SKIP_E2E=1 to leave the e2e suite out
# on a machine without them (CI never does).
set -euo pipefail
cd "$(dirname "$0")/.."
# A clean checkout stays clean: tests write only under ignored folders and a private temp folder (removed at
# the end); the check after the suites compares `git status --porcelain` with its state now, so a developer's
# own uncommitted edits never fail it.
status_before="$(git status --porcelain 2>/dev/null || true)"
temp_before="$(ls -d /tmp/archlens-* 2>/dev/null | grep -v '^/tmp/archlens-test-' || true)"
TMPDIR="$(mktemp -d "/tmp/archlens-test-XXXXXX")"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
npx tsc -p . --noEmit
# The layer rules of ARCHITECTURE.md (.dependency-cruiser.cjs): no cycles, core imports no user, thin client…
npx depcruise --config .dependency-cruiser.cjs --output-type err language-server extension webview models bin test
node esbuild.mjs
suites=(test/unit/*.test.ts test/lsp/*.test.ts)
[ -d test/webview ] && suites+=(test/webview/*.test.ts)
if [ "${ARCHLENS_SKIP_E2E:-}" = 1 ]; then
  echo "e2e suite skipped: ARCHLENS_SKIP_E2E=1"
else
  bash test/e2e/setup.sh
  # The @vscode/test-electron suite runs against code-server unless a real VS Code is given.
  export VSCODE_EXECUTABLE_PATH="${VSCODE_EXECUTABLE_PATH:-$PWD/test/integration/code-server-shim.sh}"
  suites+=(test/integration/*.test.ts test/e2e/*.e2e.ts)
fi
rc=0
node --import tsx --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/summary-reporter.mjs --test-reporter-destination=stdout \
  "${suites[@]}" || rc=$?
bash test/clean-checkout.sh "$status_before" "$temp_before" || rc=1
exit $rc
