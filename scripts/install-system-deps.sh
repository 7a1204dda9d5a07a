#!/usr/bin/env bash
# Installs the Debian packages fieldeval's tests and reports need, only when
# missing. Needs root (or sudo); without either it says what to install.
set -euo pipefail
PKGS=(fonts-noto-cjk pspp chromium)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "fieldeval: please install these Debian packages: ${missing[*]}" >&2; exit 0; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
