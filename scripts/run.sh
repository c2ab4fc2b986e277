#!/usr/bin/env bash
# Install what is needed (idempotent) and start the dashboard.
# Database: KEK_DB or data/kek.duckdb; a new file is created and seeded with demo data on first start.
# Port: KEK_PORT (default 8501).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export BROWSER_PATH=${BROWSER_PATH:-/usr/lib/chromium/chromium-headless-shell}
DB=${KEK_DB:-data/kek.duckdb}
if [ ! -f "$DB" ]; then
  echo "==> neue Datenbank $DB mit Demodaten (fiktiv)"
  .venv/bin/python -m kek_data init --demo --db "$DB"
fi
PORT=${KEK_PORT:-8501}
echo "==> KEK-Klimadashboard: http://localhost:${PORT}"
exec .venv/bin/python scripts/serve.py run app.py --server.port "$PORT" --server.address "${KEK_ADDRESS:-0.0.0.0}" "$@"
