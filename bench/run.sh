#!/usr/bin/env bash
# Registry beside the stack ceiling (../shared/ceiling: Javalin + HikariCP + JDBI + Pebble + SQLite,
# nothing else), measured in ONE run on this machine. Absolute figures move from run to run on a
# shared machine; the Registry ÷ ceiling ratios within one run are what count.
# Usage: bench/run.sh            (about six minutes; results in target/bench/)
#        bench/run.sh import     (the import figure alone: 100,000 movies through the API)
#        bench/run.sh finding    (facets, a middle page and a deep cursor on 1,000,000 movies, alone)
#        bench/run.sh read-vs DIR [ROUNDS]  (the read load alone, on this build and on the one built in DIR,
#                                taking turns ROUNDS times (3): what a change costs reads, e.g. /metrics)
#        bench/run.sh pairs [ROUNDS]     (the read and write loads, Registry then the ceiling, ROUNDS times (3):
#                                one run's write ratio moves by a fifth on a shared machine; this gives the median)
#        bench/run.sh cold [ROUNDS]      (cold starts alone, Registry then the ceiling, median of 5 each, ROUNDS times (3))
#        bench/run.sh versus DIR [ROUNDS]   (the whole load, reads then writes, and RSS after it, taking turns
#                                the same way; DIR may be . to compare JVM options: this build runs with
#                                REGISTRY_JAVA_OPTS, DIR's with OTHER_JAVA_OPTS)
# Registry runs as the README runs it: java @target/registry.args (its JVM options and class-data
# archive, written by mvn package), MALLOC_ARENA_MAX=2, SQLite synchronous=FULL (the default), reads
# signed in, writes with a write token, history and metrics on. REGISTRY_JAVA_OPTS adds JVM options
# after its own (a later option wins). The ceiling runs as it comes: no accounts, synchronous=NORMAL,
# the JVM's default options.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench
WORK=$OUT/work
CEILING_SRC=${CEILING_SRC:-$ROOT/../shared/ceiling}
EXTRA_OPTS=${REGISTRY_JAVA_OPTS:-}
# glibc gives each thread that allocates natively (SQLite, through the JDBC driver) an arena of its
# own; capped at two, RSS levels off under a long load instead of creeping (bench/soak.sh showed
# 198 -> 205 MiB over the second five minutes without it, 190 -> 193 MiB with it). Not for the ceiling, which runs as it comes.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# Registry is measured as its users run it: reads signed in (a session cookie), writes with a write
# token, both of an editor account made by the account commands. The ceiling has no accounts.
BENCH_PASSWORD=otter-minus-42-plum-tidy
COOKIE=
TOKEN=
RPORT=18301
CPORT=18302
PIDS=()

say() { printf '%s\n' "$*" >&2; }
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

need() {
  local missing=()
  for tool in wrk sqlite3 curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "bench/run.sh needs: ${missing[*]} (Debian: sudo apt-get install ${missing[*]})"; exit 2
  fi
}

build_registry() {
  if [ ! -f target/registry.jar ] || [ ! -f target/registry.jsa ] || [ ! -f target/registry.args ] || [ -n "$(find app migrations pom.xml -newer target/registry.jar -print -quit)" ]; then
    say "building target/registry.jar"; mvn -B -q package -DskipTests
  fi
}

build() {
  build_registry
  if [ ! -f "$OUT/ceiling/target/ceiling.jar" ]; then
    [ -d "$CEILING_SRC" ] || { say "no ceiling app at $CEILING_SRC (set CEILING_SRC)"; exit 2; }
    say "building the ceiling app"
    rm -rf "$OUT/ceiling"; mkdir -p "$OUT"; cp -r "$CEILING_SRC" "$OUT/ceiling"
    (cd "$OUT/ceiling" && mvn -B -q package)
  fi
}

# start APP DBFILE PORT: launches and prints the pid (Registry from $BUILD, this tree unless set)
start() {
  local log="$WORK/$1-$3.log"
  # A server left running on the port would answer for the one started here, and be measured instead.
  if curl -s -o /dev/null "http://127.0.0.1:$3/" 2>/dev/null; then say "port $3 is taken: stop what listens there first"; exit 2; fi
  if [ "$1" = registry ]; then
    local build=${BUILD:-$ROOT}
    java @"$build/target/registry.args" $EXTRA_OPTS -jar "$build/target/registry.jar" --port "$3" --database-url "jdbc:sqlite:$2" >"$log" 2>&1 &
  else
    # The ceiling as it comes: the JVM's default options, glibc's default arenas.
    env -u MALLOC_ARENA_MAX java -jar "$OUT/ceiling/target/ceiling.jar" stack "$3" "$2" >"$log" 2>&1 &
  fi
  PIDS+=($!)
  echo $!
}

wait_ok() { # URL: until it answers 200, 60 s at most
  for _ in $(seq 1 6000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.01
  done
  say "no 200 from $1"; return 1
}

sign_in() { # PORT DBFILE: sets COOKIE (a session of the bench account, signed in through the form) and TOKEN
  local jar="$WORK/cookies.$1"
  local csrf; csrf=$(curl -s -c "$jar" "http://127.0.0.1:$1/sign-in" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode username=bench \
    --data-urlencode "password=$BENCH_PASSWORD" "http://127.0.0.1:$1/sign-in"
  COOKIE="registry_session=$(awk '$6 == "registry_session" {print $7}' "$jar")"
  TOKEN=$(cat "$(dirname "$2")/token")
  [ "$COOKIE" != registry_session= ] && [ -n "$TOKEN" ] || { say "could not sign in to Registry on port $1"; exit 1; }
}

jvm_options() { echo $(grep -v '^#' target/jvm.args) $EXTRA_OPTS; } # for the report, on one line

# The server was started in $(start …), so it is no child of this shell and wait cannot wait for it:
# poll until it is gone (a graceful stop takes longer on a busy machine), else the next start finds the port taken.
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> ms
  awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'
}

fresh_db() { # APP ROWS -> path of a database with ROWS rows in the listed table (and, for Registry, the bench account)
  local dir; dir=$(mktemp -d "$WORK/db.XXXX")
  if [ "$1" = registry ]; then
    local url="jdbc:sqlite:$dir/registry.db"
    java -jar target/registry.jar db upgrade --no-backup --database-url "$url" >/dev/null
    [ "$2" -gt 0 ] && sed "s/:n/$2/g" bench/fill-users.sql | sqlite3 "$dir/registry.db" >/dev/null
    printf '%s\n' "$BENCH_PASSWORD" | java -jar target/registry.jar account add bench --role editor --password-stdin --database-url "$url" >/dev/null
    java -jar target/registry.jar account token bench writes --access write --database-url "$url" | grep -o 'reg_[A-Za-z0-9_-]*' > "$dir/token"
    echo "$dir/registry.db"
  else
    [ "$2" -gt 0 ] && sed "s/:n/$2/g" bench/fill-items.sql | sqlite3 "$dir/ceiling.db" >/dev/null
    echo "$dir/ceiling.db"
  fi
}

rows() { # APP DBFILE
  if [ "$1" = registry ]; then sqlite3 "$2" "SELECT count(*) FROM users"; else sqlite3 "$2" "SELECT count(*) FROM items"; fi
}

cold_start() { # APP -> median ms from launch to the first 200, fresh database, schema applied by the app
  local times=()
  for _ in 1 2 3 4 5; do
    local dir; dir=$(mktemp -d "$WORK/cold.XXXX")
    local db=$dir/$1.db port=$RPORT
    [ "$1" = ceiling ] && port=$CPORT
    local t0; t0=$(now_ms)
    local pid; pid=$(start "$1" "$db" "$port")
    wait_ok "http://127.0.0.1:$port/health"
    times+=($(( $(now_ms) - t0 )))
    stop "$pid"
  done
  printf '%s\n' "${times[@]}" | median
}

declare -A R # results: R[app.figure]

load() { # APP: read phase then write phase on one server, 10,000 rows
  local app=$1 port=$RPORT list=/users
  [ "$app" = ceiling ] && port=$CPORT && list=/items
  local db; db=$(fresh_db "$app" 10000)
  local pid; pid=$(start "$app" "$db" "$port")
  wait_ok "http://127.0.0.1:$port/health"
  COOKIE=; TOKEN=
  [ "$app" = registry ] && sign_in "$port" "$db"
  say "$app: read warm-up 10 s, then 15 s"
  COOKIE=$COOKIE PAGES=500 LIST_PATH=$list wrk -t2 -c32 -d10s -s bench/read.lua "http://127.0.0.1:$port" >/dev/null
  local out; out=$(COOKIE=$COOKIE PAGES=500 LIST_PATH=$list wrk -t2 -c32 -d15s --latency -s bench/read.lua "http://127.0.0.1:$port")
  echo "$out" > "$WORK/$app-read.txt"
  R[$app.read_rps]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  R[$app.read_p50]=$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
  R[$app.read_p99]=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  R[$app.read_non2xx]=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); R[$app.read_non2xx]=${R[$app.read_non2xx]:-0}

  say "$app: write 15 s at 16 connections"
  local before; before=$(rows "$app" "$db")
  out=$(TOKEN=$TOKEN KIND=$app wrk -t2 -c16 -d15s --latency -s bench/write.lua "http://127.0.0.1:$port")
  echo "$out" > "$WORK/$app-write.txt"
  R[$app.write_rps]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  R[$app.write_p99]=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  local bad; bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  local sock; sock=$(echo "$out" | awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}')
  R[$app.write_errors]=$(( ${bad:-0} + ${sock:-0} ))
  local acked; acked=$(echo "$out" | awk '/^acknowledged/ {print $2}')
  R[$app.rss]=$(( $(ps -o rss= -p "$pid") / 1024 ))
  stop "$pid"
  local after; after=$(rows "$app" "$db")
  R[$app.write_acked]=$acked
  # Requests still in flight when wrk stops can be written without wrk seeing their answer, so
  # more new rows than acknowledgements is fine; fewer would be a lost write.
  local lost=$(( acked - (after - before) ))
  R[$app.write_lost]=$(( lost > 0 ? lost : 0 ))
}

p50() { # URL: p50 ms of one client for 5 s, after 2 s of warm-up (with the session cookie, when there is one)
  local auth=(); [ -n "$COOKIE" ] && auth=(-H "Cookie: $COOKIE")
  wrk -t1 -c1 -d2s "${auth[@]}" "$1" >/dev/null
  to_ms "$(wrk -t1 -c1 -d5s --latency "${auth[@]}" "$1" | awk '$1=="50%" {print $2}')"
}

scale() { # APP ROWS
  local app=$1 n=$2 port=$RPORT list=/users
  [ "$app" = ceiling ] && port=$CPORT && list=/items
  say "$app: scale at $n rows"
  local db; db=$(fresh_db "$app" "$n")
  local pid; pid=$(start "$app" "$db" "$port")
  wait_ok "http://127.0.0.1:$port/health"
  COOKIE=
  [ "$app" = registry ] && sign_in "$port" "$db"
  # The list's code compiled first, as in the read figures: else the first page measured is the
  # one that waits for the JIT (Registry's C1 compiles a method after 2,000 calls), not the one at N rows.
  COOKIE=$COOKIE PAGES=500 LIST_PATH=$list wrk -t2 -c32 -d5s -s bench/read.lua "http://127.0.0.1:$port" >/dev/null
  local last=$(( (n + 19) / 20 ))
  R[$app.first_$n]=$(p50 "http://127.0.0.1:$port$list?page=1")
  R[$app.last_$n]=$(p50 "http://127.0.0.1:$port$list?page=$last")
  if [ "$app" = registry ]; then R[$app.search_$n]=$(p50 "http://127.0.0.1:$port$list?q=user1234"); else R[$app.search_$n]=n/a; fi
  stop "$pid"
  rm -f "$db" "$db-wal" "$db-shm"
}

finding() { # Registry only: facets, a middle page and a deep cursor on 1,000,000 movies (SPEC "Finding records")
  local n=1000000
  say "registry: finding records in $n movies"
  local db; db=$(fresh_db registry 0)
  sed "s/:n/$n/g" bench/fill-movies.sql | sqlite3 "$db" >/dev/null
  local pid; pid=$(start registry "$db" "$RPORT")
  wait_ok "http://127.0.0.1:$RPORT/health"
  sign_in "$RPORT" "$db"
  local base="http://127.0.0.1:$RPORT"
  R[registry.movies_first]=$(p50 "$base/movies?page=1")
  R[registry.movies_middle]=$(p50 "$base/movies?page=$(( n / 40 ))")
  R[registry.movies_filtered]=$(p50 "$base/movies?decade=1970&role=director&sort=title")
  R[registry.api_plain]=$(p50 "$base/api/movies?size=20")
  R[registry.api_facets]=$(p50 "$base/api/movies?size=20&facets=true")
  local cursor; cursor=$(curl -s -H "Cookie: $COOKIE" "$base/api/movies?size=20&page=40000" | sed -n 's/.*"next":"\([^"]*\)".*/\1/p')
  R[registry.api_deep]=$(p50 "$base/api/movies?after=$cursor")
  # What a change costs the next reader: the counts are kept per data version, so the first list
  # after a write counts again (the facets over the whole table, the kept keys for a middle page).
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"title":"One more","year":1977}' "$base/api/movies"
  local t0; t0=$(now_ms)
  curl -s -o /dev/null -H "Cookie: $COOKIE" "$base/movies?page=1"
  R[registry.recount]=$(( $(now_ms) - t0 ))
  t0=$(now_ms)
  curl -s -o /dev/null -H "Cookie: $COOKIE" "$base/movies?page=$(( n / 40 ))"
  R[registry.rekey]=$(( $(now_ms) - t0 ))
  stop "$pid"
  rm -f "$db" "$db-wal" "$db-shm"
}

import_csv() { # APP-independent: 100,000 movies without ids, as a user's spreadsheet has them -> path
  local file="$WORK/movies-100k.csv"
  awk 'BEGIN { print "title,year"; for (i = 1; i <= 100000; i++) printf "Movie %d of the %s,%d\n", i, (i % 3 ? "Night" : "Day"), 1900 + i % 120 }' > "$file"
  echo "$file"
}

import_rows() { # Registry only (the ceiling has no import): 100,000 movies through the API, history included
  say "registry: import 100,000 movies"
  local db; db=$(fresh_db registry 0)
  local pid; pid=$(start registry "$db" "$RPORT")
  wait_ok "http://127.0.0.1:$RPORT/health"
  local token; token=$(cat "$(dirname "$db")/token")
  local csv; csv=$(import_csv)
  local t0; t0=$(now_ms)
  local answer; answer=$(curl -s -H "Authorization: Bearer $token" -H "Content-Type: text/csv" --data-binary "@$csv" \
    "http://127.0.0.1:$RPORT/api/movies/import")
  local ms=$(( $(now_ms) - t0 ))
  echo "$answer" | head -c 300 > "$WORK/import.txt"
  R[registry.import_rps]=$(awk -v ms="$ms" 'BEGIN { printf "%.0f", 100000 * 1000 / ms }')
  # Right afterwards: the total (kept by the count trigger), the search (the trigram index) and the history.
  local total; total=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$RPORT/api/movies?size=1" | grep -o '"total":[0-9]*' | cut -d: -f2)
  local found; found=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$RPORT/api/movies?size=1&q=of+the+day" | grep -o '"total":[0-9]*' | cut -d: -f2)
  stop "$pid"
  local entries; entries=$(sqlite3 "$db" "SELECT count(*) FROM history WHERE import_id IS NOT NULL AND kind = 'movies'")
  local days; days=$(sqlite3 "$db" "SELECT count(*) FROM movies WHERE title LIKE '%of the Day'")
  R[registry.import_check]=$( [ "$total" = 100000 ] && [ "$found" = "$days" ] && [ "$entries" = 100000 ] && echo ok || echo "MISSED (total $total, search $found of $days, history $entries)")
}

finding_rows() { # the finding figures, as report rows
  local r
  printf '%-34s %12s %8s %14s %s\n' "1,000,000 movies (p50 ms)" registry ratio target ""
  printf '%-34s %12s\n' "list page 1, with its facets" "${R[registry.movies_first]}"
  r=$(ratio "${R[registry.movies_middle]}" "${R[registry.movies_first]}")
  printf '%-34s %12s %8s %14s %s\n' "list page 25,000 (middle)" "${R[registry.movies_middle]}" "$r" "<= 3x page 1" "$(check "$r" "<=" 3)"
  printf '%-34s %12s\n' "decade + role, by title" "${R[registry.movies_filtered]}"
  printf '%-34s %12s\n' "API page 1, no facets" "${R[registry.api_plain]}"
  r=$(ratio "${R[registry.api_facets]}" "${R[registry.api_plain]}")
  printf '%-34s %12s %8s %14s %s\n' "API page 1, facets=true" "${R[registry.api_facets]}" "$r" "<= 3x plain" "$(check "$r" "<=" 3)"
  r=$(ratio "${R[registry.api_deep]}" "${R[registry.api_plain]}")
  printf '%-34s %12s %8s %14s %s\n' "API after= cursor at row 800,000" "${R[registry.api_deep]}" "$r" "~ page 1" ""
  printf '%-34s %12s\n' "first page after a write (recount)" "${R[registry.recount]}"
  printf '%-34s %12s\n' "first middle page after a write" "${R[registry.rekey]}"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b+0 == 0 || a == "n/a" || b == "n/a") print "-"; else printf "%.2f", a/b }'; }
check() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "-") { print ""; exit } ok = (op == "<=") ? (v+0 <= t+0) : (v+0 >= t+0); print ok ? "ok" : "MISSED" }'; }

read_vs() { # DIR ROUNDS: Registry's read load, this build and DIR's taking turns on fresh databases
  local other=$1 rounds=${2:-3}
  [ -f "$other/target/registry.jar" ] || { say "no $other/target/registry.jar: build it there (mvn -B -q package -DskipTests)"; exit 2; }
  printf '%-8s %-40s %10s %8s %8s\n' round build "req/s" "p50 ms" "p99 ms"
  for round in $(seq 1 "$rounds"); do
    for build in "$ROOT" "$other"; do
      local db; db=$(fresh_db registry 10000)
      local pid; pid=$(BUILD=$build start registry "$db" "$RPORT")
      wait_ok "http://127.0.0.1:$RPORT/health"
      sign_in "$RPORT" "$db"
      COOKIE=$COOKIE PAGES=500 LIST_PATH=/users wrk -t2 -c32 -d10s -s bench/read.lua "http://127.0.0.1:$RPORT" >/dev/null
      local out; out=$(COOKIE=$COOKIE PAGES=500 LIST_PATH=/users wrk -t2 -c32 -d15s --latency -s bench/read.lua "http://127.0.0.1:$RPORT")
      stop "$pid"
      printf '%-8s %-40s %10s %8s %8s\n' "$round" "$build" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
        "$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")" "$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")"
    done
  done
}

versus() { # DIR ROUNDS: the read and write loads and RSS after them, this build and DIR's taking turns
  local other=$1 rounds=${2:-3} mine=$EXTRA_OPTS
  [ -f "$other/target/registry.jar" ] || { say "no $other/target/registry.jar: build it there (mvn -B -q package -DskipTests)"; exit 2; }
  printf '%-6s %-44s %9s %8s %9s %8s %5s %5s\n' round "build, options" "read/s" "p99 ms" "write/s" "p99 ms" lost MiB
  for round in $(seq 1 "$rounds"); do
    for side in mine other; do
      local build=$ROOT; EXTRA_OPTS=$mine
      [ $side = other ] && build=$other && EXTRA_OPTS=${OTHER_JAVA_OPTS:-$mine}
      BUILD=$build load registry 2>/dev/null
      printf '%-6s %-44s %9s %8s %9s %8s %5s %5s\n' "$round" "$build $EXTRA_OPTS" "${R[registry.read_rps]}" "${R[registry.read_p99]}" \
        "${R[registry.write_rps]}" "${R[registry.write_p99]}" "${R[registry.write_lost]}" "${R[registry.rss]}"
    done
  done
}

pairs() { # ROUNDS: the read and write loads on Registry, then on the ceiling, ROUNDS times; the ratios of each round and their medians
  local rounds=$1 reads=() writes=()
  printf '%-6s %10s %10s %6s %10s %10s %6s %5s\n' round "read/s" ceiling ratio "write/s" ceiling ratio MiB
  for round in $(seq 1 "$rounds"); do
    load registry 2>/dev/null; load ceiling 2>/dev/null
    reads+=("$(ratio "${R[registry.read_rps]}" "${R[ceiling.read_rps]}")"); writes+=("$(ratio "${R[registry.write_rps]}" "${R[ceiling.write_rps]}")")
    printf '%-6s %10s %10s %6s %10s %10s %6s %5s\n' "$round" "${R[registry.read_rps]}" "${R[ceiling.read_rps]}" "${reads[-1]}" \
      "${R[registry.write_rps]}" "${R[ceiling.write_rps]}" "${writes[-1]}" "${R[registry.rss]}"
  done
  printf '%-6s %10s %10s %6s %10s %10s %6s\n' median "" "" "$(printf '%s\n' "${reads[@]}" | median)" "" "" "$(printf '%s\n' "${writes[@]}" | median)"
}

colds() { # ROUNDS: cold starts of Registry, then of the ceiling, ROUNDS times (median of 5 each)
  local rounds=$1 ratios=()
  printf '%-6s %10s %10s %6s\n' round "ms" ceiling ratio
  for round in $(seq 1 "$rounds"); do
    R[registry.cold]=$(cold_start registry); R[ceiling.cold]=$(cold_start ceiling)
    ratios+=("$(ratio "${R[registry.cold]}" "${R[ceiling.cold]}")")
    printf '%-6s %10s %10s %6s\n' "$round" "${R[registry.cold]}" "${R[ceiling.cold]}" "${ratios[-1]}"
  done
  printf '%-6s %10s %10s %6s\n' median "" "" "$(printf '%s\n' "${ratios[@]}" | median)"
}

main() {
  need
  mkdir -p "$WORK"; rm -rf "${WORK:?}"/*
  if [ "${1:-}" = read-vs ]; then # bench/run.sh read-vs DIR [ROUNDS]: the read load alone, against another build
    build_registry
    read_vs "$(cd "${2:?bench/run.sh read-vs DIR [ROUNDS]}" && pwd)" "${3:-3}" | tee "$OUT/read-vs-$(date +%Y%m%d-%H%M%S).txt"
    return
  fi
  if [ "${1:-}" = versus ]; then # bench/run.sh versus DIR [ROUNDS]: the whole load, against another build or options
    build_registry
    versus "$(cd "${2:?bench/run.sh versus DIR [ROUNDS]}" && pwd)" "${3:-3}" | tee "$OUT/versus-$(date +%Y%m%d-%H%M%S).txt"
    return
  fi
  build
  if [ "${1:-}" = pairs ]; then # bench/run.sh pairs [ROUNDS]: the read and write ratios, round after round
    pairs "${2:-3}" | tee "$OUT/pairs-$(date +%Y%m%d-%H%M%S).txt"
    return
  fi
  if [ "${1:-}" = cold ]; then # bench/run.sh cold [ROUNDS]: the cold-start ratio, round after round
    colds "${2:-3}" | tee "$OUT/cold-$(date +%Y%m%d-%H%M%S).txt"
    return
  fi
  if [ "${1:-}" = import ]; then # bench/run.sh import: the import figure alone
    import_rows
    echo "import rows/s (100k movies, API): ${R[registry.import_rps]} (>= 20000); totals, search, history: ${R[registry.import_check]}"
    return
  fi
  if [ "${1:-}" = finding ]; then # bench/run.sh finding: the finding figures alone
    finding
    finding_rows | tee "$OUT/finding-$(date +%Y%m%d-%H%M%S).txt"
    return
  fi
  say "Registry's JVM options: $(jvm_options); the ceiling's: the defaults"
  for app in registry ceiling; do
    say "$app: cold start, median of 5"
    R[$app.cold]=$(cold_start $app)
    load $app
  done
  for n in 10000 1000000; do scale registry $n; scale ceiling $n; done
  finding
  import_rows
  R[registry.jar]=$(awk -v b="$(stat -c %s target/registry.jar)" 'BEGIN { printf "%.1f", b/1048576 }')
  R[ceiling.jar]=$(awk -v b="$(stat -c %s "$OUT/ceiling/target/ceiling.jar")" 'BEGIN { printf "%.1f", b/1048576 }')

  local report="$OUT/results-$(date +%Y%m%d-%H%M%S).txt"
  {
    echo "Registry vs the stack ceiling, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(java -version 2>&1 | head -1)"
    echo "Registry: java $(jvm_options), MALLOC_ARENA_MAX=2, synchronous=FULL, signed in; ceiling: java's defaults, synchronous=NORMAL, no accounts"
    printf '%-34s %12s %12s %8s %14s %s\n' figure registry ceiling ratio target ""
    row() { # name reg ceil ratio target verdict
      printf '%-34s %12s %12s %8s %14s %s\n' "$1" "$2" "$3" "$4" "$5" "$6"
    }
    local r
    r=$(ratio "${R[registry.cold]}" "${R[ceiling.cold]}"); row "cold start ms (median of 5)" "${R[registry.cold]}" "${R[ceiling.cold]}" "$r" "<= 1.0x" "$(check "$r" "<=" 1.0)"
    r=$(ratio "${R[registry.read_rps]}" "${R[ceiling.read_rps]}"); row "read req/s (2x32, 15 s)" "${R[registry.read_rps]}" "${R[ceiling.read_rps]}" "$r" ">= 1.0x" "$(check "$r" ">=" 1.0)"
    row "read p50 ms" "${R[registry.read_p50]}" "${R[ceiling.read_p50]}" "$(ratio "${R[registry.read_p50]}" "${R[ceiling.read_p50]}")" "" ""
    r=$(ratio "${R[registry.read_p99]}" "${R[ceiling.read_p99]}"); row "read p99 ms" "${R[registry.read_p99]}" "${R[ceiling.read_p99]}" "$r" "<= 1.5x" "$(check "$r" "<=" 1.5)"
    row "read non-2xx" "${R[registry.read_non2xx]}" "${R[ceiling.read_non2xx]}" "" "0" "$( [ "${R[registry.read_non2xx]}" = 0 ] && echo ok || echo MISSED)"
    r=$(ratio "${R[registry.write_rps]}" "${R[ceiling.write_rps]}"); row "write req/s (16 conn, 15 s)" "${R[registry.write_rps]}" "${R[ceiling.write_rps]}" "$r" ">= 1.0x" "$(check "$r" ">=" 1.0)"
    row "write p99 ms" "${R[registry.write_p99]}" "${R[ceiling.write_p99]}" "$(ratio "${R[registry.write_p99]}" "${R[ceiling.write_p99]}")" "" ""
    row "write errors" "${R[registry.write_errors]}" "${R[ceiling.write_errors]}" "" "0" "$( [ "${R[registry.write_errors]}" = 0 ] && echo ok || echo MISSED)"
    row "write acknowledged" "${R[registry.write_acked]}" "${R[ceiling.write_acked]}" "" "" ""
    row "write lost (acked - new rows)" "${R[registry.write_lost]}" "${R[ceiling.write_lost]}" "" "0" "$( [ "${R[registry.write_lost]}" = 0 ] && echo ok || echo MISSED)"
    row "RSS after load MiB" "${R[registry.rss]}" "${R[ceiling.rss]}" "$(ratio "${R[registry.rss]}" "${R[ceiling.rss]}")" "<= 150" "$(check "${R[registry.rss]}" "<=" 150)"
    row "import rows/s (100k movies, API)" "${R[registry.import_rps]}" "-" "" ">= 20000" "$(check "${R[registry.import_rps]}" ">=" 20000)"
    row "  totals, search, history after" "${R[registry.import_check]}" "-" "" "" ""
    row "jar MiB" "${R[registry.jar]}" "${R[ceiling.jar]}" "$(ratio "${R[registry.jar]}" "${R[ceiling.jar]}")" "<= 30" "$(check "${R[registry.jar]}" "<=" 30)"
    for what in first last search; do
      row "$what page p50 ms, 10k rows" "${R[registry.${what}_10000]}" "${R[ceiling.${what}_10000]}" "$(ratio "${R[registry.${what}_10000]}" "${R[ceiling.${what}_10000]}")" "" ""
      row "$what page p50 ms, 1M rows" "${R[registry.${what}_1000000]}" "${R[ceiling.${what}_1000000]}" "$(ratio "${R[registry.${what}_1000000]}" "${R[ceiling.${what}_1000000]}")" "" ""
      r=$(ratio "${R[registry.${what}_1000000]}" "${R[registry.${what}_10000]}")
      row "  registry 1M / 10k" "$r" "$(ratio "${R[ceiling.${what}_1000000]}" "${R[ceiling.${what}_10000]}")" "" "<= 3x" "$(check "$r" "<=" 3)"
    done
    finding_rows
  } | tee "$report"
  cp "$report" "$OUT/latest.txt"
  say "written to $report"
}

main "$@"
