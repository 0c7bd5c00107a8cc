#!/usr/bin/env bash
# Stress: two CPU burners run while the README's main command ingests the served corpus three times and the test
# suite runs once. Prints each step's wall time and exit code; exits non-zero when any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
CORPUS="${CORPUS:-../shared/corpus}"
PORT="${PORT:-8766}"
WORK="$(mktemp -d)"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export EARNINGS_LAKE_SEC_USER_AGENT="${EARNINGS_LAKE_SEC_USER_AGENT:-Stress Test stress@example.com}"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

yes > /dev/null & pids+=($!)
yes > /dev/null & pids+=($!)
python3 -m http.server "$PORT" --bind 127.0.0.1 -d "$CORPUS" > /dev/null 2>&1 & pids+=($!)
sleep 1

failed=0
step() {  # step NAME COMMAND...: run, time, report
  local name="$1"; shift
  local start=$SECONDS
  "$@" > "$WORK/$name.log" 2>&1
  local rc=$?
  printf '%-12s rc=%s  %4ss\n' "$name" "$rc" "$((SECONDS - start))"
  # exit 2 means some documents failed (listed) and the rest published: that is a completed run
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then failed=1; tail -20 "$WORK/$name.log"; fi
}

for run in 1 2 3; do
  step "ingest-$run" env PREFECT_HOME="$WORK/prefect-$run" uv run earnings-lake ingest NVDA MSFT GOOGL AMZN META \
    --since 2023-10-01 --mirror "http://127.0.0.1:$PORT" --lake "$WORK/lake"
done
step "pytest" uv run pytest -q
exit "$failed"
