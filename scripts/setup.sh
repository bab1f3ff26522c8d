#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (root, no screen): the Debian packages that
# weasyprint, CJK text, graph drawing and PDF testing need, then a venv with zcp[dev].
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PKGS=(fonts-noto-cjk libharfbuzz-subset0 graphviz poppler-utils libpango-1.0-0 libpangoft2-1.0-0)
missing=()
for p in "${DEB_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# Reinstall only when pyproject.toml changed since the last successful install.
stamp=.venv/.zcp-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi
# Byte-compile zcp's own modules (an editable install is not compiled by pip): with
# PYTHONDONTWRITEBYTECODE set, as on CI here, every command would otherwise compile
# ~190 modules from source again (~0.2 s each run). Only changed files are recompiled.
.venv/bin/python -m compileall -q zcp >/dev/null
