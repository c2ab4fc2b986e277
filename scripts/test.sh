#!/usr/bin/env bash
# Install everything the tests need (idempotent), then run lint and the whole test suite.
# Long trials (fuzzing, kill trials) run only with KEK_LONG_TESTS=1; benchmarks live in bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
export BROWSER_PATH=${BROWSER_PATH:-/usr/lib/chromium/chromium-headless-shell}
echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> pytest"
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
