#!/usr/bin/env bash
# Executable wrapper: @vscode/test-electron spawns this as if it were VS Code.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" && exec node --import tsx test/integration/code-server-shim.ts "$@"
