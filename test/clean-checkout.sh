#!/usr/bin/env bash
# The end of `npm test`: fails when the suites changed the checkout or left temp folders behind.
# Usage: bash test/clean-checkout.sh "<git status --porcelain before>" "<ls -d /tmp/archlens-* before>"
set -uo pipefail
cd "$(dirname "$0")/.."
status_after="$(git status --porcelain 2>/dev/null || true)"
temp_after="$(ls -d /tmp/archlens-* 2>/dev/null | grep -v '^/tmp/archlens-test-' || true)"
ok=0
if [ "$1" != "$status_after" ]; then
  echo "clean checkout: FAIL, the tests changed tracked or unignored files (write under test/e2e/shots/ or a temp folder):"
  diff <(printf '%s\n' "$1") <(printf '%s\n' "$status_after") | sed -n 's/^[<>] /  /p'
  ok=1
fi
new_temp="$(comm -13 <(printf '%s\n' "$2" | sort) <(printf '%s\n' "$temp_after" | sort) | sed '/^$/d')"
if [ -n "$new_temp" ]; then
  echo "clean checkout: FAIL, temp folders left behind:"
  printf '  %s\n' $new_temp
  ok=1
fi
[ $ok = 0 ] && echo "clean checkout: ok (git status --porcelain unchanged, no /tmp/archlens-* left)"
exit $ok
