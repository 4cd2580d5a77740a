#!/usr/bin/env bash
# schemathesis against /api/schema/: no 5xx, responses conform to the schema.
# Needs schemathesis installed (see bench/README.md for the pinned lines). Usage:
#   bench/schemathesis.sh [max-examples]      (starts gunicorn on the county bench database)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ST="${SCHEMATHESIS:-$BIN/schemathesis}"
command -v "$ST" >/dev/null || { echo "schemathesis is not installed in .venv" >&2; exit 2; }
EXAMPLES="${1:-25}"
export PYTHONPATH=src:.
PORT=$($BIN/python -c "from bench.common import free_port; print(free_port())")
$BIN/python - <<'PY'
from bench.common import ensure_database
ensure_database("xn_bench_intake", preset="county")
PY
eval "$($BIN/python - <<'PY'
from bench.common import env_for
for k, v in env_for("xn_bench_intake", DJANGO_SETTINGS_MODULE="xiaoneng.settings").items():
    if k.startswith(("XIAONENG_", "SECRET_KEY", "DATABASE_URL", "DJANGO_", "SESSION_", "LOG_")):
        print(f"export {k}='{v}'")
PY
)"
$BIN/gunicorn xiaoneng.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --no-control-socket \
  --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/api/schema/" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"username": "GS1-office1", "password": "Scale-pass-2026"}' \
  "http://127.0.0.1:$PORT/api/v1/auth/token" | $BIN/python -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$ST" run "http://127.0.0.1:$PORT/api/schema/" \
  --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "$EXAMPLES" \
  --report-junit-path bench/results/schemathesis.xml
