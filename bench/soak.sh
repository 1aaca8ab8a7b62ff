#!/usr/bin/env bash
# Soak: a mixed load (reads, searches, records, CSV exports, writes) for SOAK_SECONDS (default 600)
# on a database of 10,000 users, sampling every 30 s the resident memory, the open file
# descriptors (/proc) and the connection pools (/health/pool). It ends with the verdicts: no error
# answer, memory levelled off, no descriptor or connection left behind once the load stops.
# Usage: bench/soak.sh   (SOAK_SECONDS=60 bench/soak.sh for a quick look)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TOTAL=${SOAK_SECONDS:-600}
# The README's JVM options and class-data archive, from target/registry.args (written by mvn
# package); REGISTRY_JAVA_OPTS adds options after them (a later option wins).
EXTRA_OPTS=${REGISTRY_JAVA_OPTS:-}
# glibc gives each thread that allocates natively (SQLite, through the JDBC driver) an arena of its
# own; capped at two, RSS levels off under a long load instead of creeping (bench/soak.sh showed
# 198 -> 205 MiB over the second five minutes without it, 190 -> 193 MiB with it). Same for the ceiling.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
PORT=18310
OUT=target/bench
mkdir -p "$OUT"
for tool in wrk sqlite3 curl; do command -v "$tool" >/dev/null || { echo "soak needs $tool (apt-get install $tool)"; exit 2; }; done
[ -f target/registry.jar ] && [ -f target/registry.args ] || mvn -B -q package -DskipTests

dir=$(mktemp -d "$OUT/soak.XXXX")
java -jar target/registry.jar db upgrade --no-backup --database-url "jdbc:sqlite:$dir/registry.db" >/dev/null
sed "s/:n/10000/g" bench/fill-users.sql | sqlite3 "$dir/registry.db" >/dev/null
# The load comes with an editor's write token, as a script would.
printf 'otter-minus-42-plum-tidy\n' | java -jar target/registry.jar account add soak --role editor --password-stdin \
  --database-url "jdbc:sqlite:$dir/registry.db" >/dev/null
TOKEN=$(java -jar target/registry.jar account token soak load --access write --database-url "jdbc:sqlite:$dir/registry.db" | grep -o 'reg_[A-Za-z0-9_-]*')
export TOKEN
java @target/registry.args $EXTRA_OPTS -jar target/registry.jar --port $PORT \
  --database-url "jdbc:sqlite:$dir/registry.db" >"$dir/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$PORT/health"; do sleep 0.2; done

sample() { # elapsed-seconds -> one line
  local rss fds pool
  rss=$(( $(ps -o rss= -p $pid) / 1024 ))
  fds=$(ls /proc/$pid/fd | wc -l)
  pool=$(curl -s "http://127.0.0.1:$PORT/health/pool" | tr -d '{}"' )
  printf '%6s s  rss %4s MiB  fds %4s  %s\n' "$1" "$rss" "$fds" "$pool"
}
report="$OUT/soak-$(date +%Y%m%d-%H%M%S).txt"
{
  echo "Soak, ${SECONDS_TOTAL} s of mixed load, 2 threads x 16 connections, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  sample 0
  wrk -t2 -c16 -d"${SECONDS_TOTAL}s" --latency -s bench/mixed.lua "http://127.0.0.1:$PORT" >"$dir/wrk.txt" &
  wrk_pid=$!
  for ((t = 30; t <= SECONDS_TOTAL; t += 30)); do sleep 30; sample $t; done
  wait $wrk_pid
  sleep 2
  echo "after the load:"; sample end
  grep -E 'Requests/sec|Non-2xx|Socket errors|error answers|  99%' "$dir/wrk.txt" || true
} | tee "$report"

rss=($(awk '/ rss /{print $4}' "$report"))
fds=($(awk '/ fds /{print $7}' "$report"))
n=${#rss[@]}
verdict() { printf '%-36s %s\n' "$1" "$2"; }
errors=$(awk '/error answers/ {print $3}' "$dir/wrk.txt"); sock=$(grep -c 'Socket errors' "$dir/wrk.txt" || true)
verdict "error answers" "$([ "${errors:-1}" = 0 ] && [ "$sock" = 0 ] && echo ok || echo "MISSED ($errors errors, socket errors: $sock)")"
mid=$(( (n - 1) / 2 )); last=$(( n - 2 ))
grow=$(( rss[last] - rss[mid] ))
verdict "RSS levels off (second half growth)" "$([ $grow -le $(( rss[mid] / 10 + 5 )) ] && echo "ok (+$grow MiB)" || echo "MISSED (+$grow MiB)")"
verdict "descriptors back to start" "$([ $(( fds[n-1] - fds[0] )) -le 4 ] && echo "ok (${fds[0]} -> ${fds[n-1]})" || echo "MISSED (${fds[0]} -> ${fds[n-1]})")"
busy=$(grep -E '^ +end s' "$report" | grep -o 'active:[0-9]*' | grep -vc 'active:0' || true)
verdict "no connection left in use" "$([ "$busy" = 0 ] && echo ok || echo MISSED)"
echo "written to $report"
