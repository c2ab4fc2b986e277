#!/usr/bin/env bash
# Idempotent set-up: virtual environment with the pinned requirements, and Debian packages.
#   bash scripts/setup.sh          runtime (Python packages, Chromium headless shell for image export)
#   bash scripts/setup.sh --dev    plus test tools and the full Chromium for browser tests
# Re-running is fast: pip runs only when a requirements file changed, apt only when a package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
DEV=0
[ "${1:-}" = "--dev" ] && DEV=1
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

# --- Debian packages (root; non-interactive) ---------------------------------------------------
APT_PKGS=(chromium-headless-shell fonts-dejavu-core fonts-liberation2 fonts-noto-color-emoji)
[ "$DEV" = 1 ] && APT_PKGS+=(chromium poppler-utils libreoffice-impress)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  for attempt in 1 2 3; do  # a mirror hiccup must not fail a CI run
    if $SUDO apt-get update -qq </dev/null && \
       $SUDO apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null; then
      break
    fi
    [ "$attempt" = 3 ] && { echo "apt-get install ${missing[*]} fehlgeschlagen" >&2; exit 1; }
    sleep 10
  done
fi

# --- Python virtual environment ------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  echo "==> python venv (.venv)"
  "$PY" -m venv .venv
fi
REQ=requirements.txt
[ "$DEV" = 1 ] && REQ=requirements-dev.txt
STAMP=.venv/.installed-$(basename "$REQ" .txt)
HASH=$(cat requirements.txt "$REQ" | sha256sum | cut -d' ' -f1)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$HASH" ]; then
  echo "==> pip install -r $REQ"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip </dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQ" </dev/null
  echo "$HASH" > "$STAMP"
fi
