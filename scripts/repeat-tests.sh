#!/usr/bin/env bash
# Runs the whole test suite N times in a row while a getppid storm keeps one CPU busy, and prints
# one line per run and a summary: the check that `npm test` holds on a busy machine, not only on an
# idle one. Usage: scripts/repeat-tests.sh [N]   (default 10; compiles once first)
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
logdir="$(mktemp -d /tmp/bpfql-repeat.XXXXXX)"
npx tsc -p tsconfig.json || exit 1

# The storm: the benchmark's workload binary, built here, calling getppid as fast as it can.
cc -O2 -o "$logdir/storm" bench/workload.c || exit 1
storm_pid=""
start_storm() { "$logdir/storm" loop 1000000000000 >/dev/null & storm_pid=$!; }
stop_storm() { if [ -n "$storm_pid" ]; then kill "$storm_pid" 2>/dev/null; wait "$storm_pid" 2>/dev/null; storm_pid=""; fi; }
trap 'stop_storm; exit 130' INT TERM
start_storm

passed=0
for i in $(seq 1 "$runs"); do
  # Keep the storm alive across runs (a test could, in principle, end it).
  kill -0 "$storm_pid" 2>/dev/null || start_storm
  t0=$(date +%s)
  node test/run.mjs >"$logdir/run$i.log" 2>&1
  rc=$?
  t1=$(date +%s)
  summary=$(grep -E '^# (tests|pass|fail|skipped) ' "$logdir/run$i.log" | awk '{printf "%s=%s ", $2, $3}')
  echo "run $i: rc=$rc ${summary}($((t1 - t0)) s) log $logdir/run$i.log"
  [ "$rc" -eq 0 ] && passed=$((passed + 1))
done
stop_storm
echo "$passed of $runs full runs green under a getppid storm"
[ "$passed" -eq "$runs" ]
