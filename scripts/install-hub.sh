#!/usr/bin/env bash
# Installs JupyterHub's proxy (configurable-http-proxy, from npm) into the
# project's own folder .hub/node_modules: no global npm state, nothing
# downloaded at run time. `fieldeval hub start` finds it there
# (or at $FIELDEVAL_CHP). Called by `make sysdeps`; safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.hub"
CHP_VERSION="${CHP_VERSION:-5.3.0}"
if [ -x "$DEST/node_modules/.bin/configurable-http-proxy" ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm
  else
    echo "fieldeval: JupyterHub needs node and npm (Debian packages nodejs npm)" >&2; exit 0
  fi
fi
mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || echo '{"name": "fieldeval-hub", "private": true}' > package.json
npm install --no-audit --no-fund --loglevel=error "configurable-http-proxy@$CHP_VERSION"
