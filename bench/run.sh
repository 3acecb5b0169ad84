#!/usr/bin/env bash
# The benchmark of issues 6 and 12: how much does event sourcing cost over writing rows to PostgreSQL directly, how
# fast does a read model rebuild, does deactivation slow down as tokens accumulate? One run, on this machine, in
# this order:
#   1. builds the jars when one is missing or older than the sources (as ../run.sh does);
#   2. starts its own embedded PostgreSQL 17 (throw-away cluster in bench/target/run, a free port) and measures
#      the raw ceiling with pgbench, 8 clients, synchronous_commit on: a single-row insert shaped like an
#      event-store row, then a primary-key select;
#   3. starts both sides on that database and drives them over HTTP from a separate load-generator process
#      (bench module), 8 closed-loop clients per phase: token introspection, query-side reads, then a command mix
#      with read-your-write probes on a sample, then each of the mix's kinds alone for half of --duration (accounts
#      created and deleted in turn, tokens issued and revoked in turn, roles assigned), each with its CPU per
#      command of every process (issue 18); meanwhile the Merkle log's lag behind the store is sampled every
#      200 ms (issue 17; the query side signs checkpoints with a key made for the run);
#   4. deactivation against a growing credential table: 4 clients deactivate and reactivate accounts, on the
#      tokens the command phase left, then again after adding 250,000 tokens (bench/sql/seed-tokens.sql);
#   5. copies the events the run wrote until the store holds at least 1,000,000, and has the query side rebuild
#      the audit projection from the first event, watching its progress; the rebuild is asked for once the query
#      side's Merkle log has taken in the copied events, so that the figure is the rebuild's alone;
#   6. empties the Merkle log (issue 17), as in a database of a release before it, and times how long the query side
#      takes to bring every event into it; then asks for a whole-store verification (POST /v1/admin/audit/verify)
#      and times it to its result;
#   7. prints one table (also in bench/target/report.txt): each figure, its ratio to pgbench's, p50/p95/p99, the
#      CPU of every process and of everything else on the machine, resident memory, and the targets.
# Everything it started is stopped at the end, on Ctrl-C and on failure. It is not a test and CI does not run it.
#
# --soak runs none of the above but a long run of mixed load (issue 12): the database and both sides as above, the
# capacity of the mix measured (--clients closed-loop clients, 10 s warm-up + 30 s), then the mix open-loop at half
# that for --soak-minutes; every minute one line per process (heap, old gen after GC, RSS, threads, pool and
# PostgreSQL connections, open files, CPU, read-model lag; rate, errors, p50/p99), in bench/target/soak.tsv, and at
# the end the tables and each series' trend (first 5 minutes against last 5, slope per hour) in report.txt.
#
# Usage: bench/run.sh [--smoke] [--duration SECONDS] [--warmup SECONDS] [--clients N] [--replay-events N]
#                     [--seed-tokens N]
#                     [--only pgbench|http|deactivation|verify|replay] [--http-phases LIST] [--scoped-tokens]
#                     [--keep-data]
#        bench/run.sh --soak [--soak-minutes N] [--soak-rate REQUESTS_PER_SECOND] [--clients N] [--keep-data]
#   --duration       measured seconds of each pgbench and HTTP phase (default 60; --smoke: 10)
#   --warmup         unmeasured seconds before each HTTP phase (default 10; --smoke: 3); longer shows the steady
#                    state: after 10 s the JIT compiler may still take a share of a side's CPU in the measured window
#   --clients        concurrent clients of pgbench and of the load generator (default 8)
#   --replay-events  events in the store for the replay, at least (default 1000000; --smoke: 50000)
#   --seed-tokens    tokens added to the credential table between the two deactivation phases (default 250000)
#   --only           run one step only (pgbench, the HTTP phases, or the deactivation phases), to compare two
#                    builds on one figure in one session; the table shows what was measured, '-' for the rest;
#                    verify: the command mix for --duration s, its events copied up to --replay-events, then step 6;
#                    replay: the same, then step 4 (the audit replay)
#   --http-phases    the HTTP phases to run, comma-separated (default introspection,reads,commands); also
#                    exchanges (issue 16, never by default; runs after the others): POST /v1/token, each request
#                    with a JWT the load generator has just signed (RS256, its own key per workspace, inline in a
#                    federation rule on 8 accounts of each workspace with 8 clients, tokens living 60 s);
#                    the signing is timed apart
#   --scoped-tokens  introspection asks about tokens issued with a scope (issue 15) instead of unscoped ones; to
#                    compare the two, alternate runs with and without it in one session
#   --smoke          a quick check that the harness works (about 2 minutes); its figures judge nothing
#   --keep-data      keep the database cluster (bench/target/run/postgres) after the run
#   --soak           the soak instead of the steps above (see above); --soak-minutes: its length (default 30);
#                    --soak-rate: requests a second to drive instead of half the measured capacity (which is
#                    measured all the same: it warms the JVMs up)
# Needs Java 17+, Maven (first run), pgbench and psql (Debian/Ubuntu: apt-get install postgresql-client).
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)
TARGET=$ROOT/bench/target
RUN_DIR=$TARGET/run        # the throw-away database cluster and its binaries
RESULTS=$TARGET/results    # one .properties file per measurement, read by the report
LOGS=$TARGET/logs
REPORT=$TARGET/report.txt
SOAK_TSV=$TARGET/soak.tsv

MODE=full DURATION=60 WARMUP=10 CLIENTS=8 REPLAY_EVENTS=1000000 SEED_TOKENS=250000 KEEP_DATA="" ONLY=""
DURATION_SET="" WARMUP_SET="" REPLAY_SET="" SOAK_MINUTES=30 SOAK_RATE="" HTTP_PHASES=introspection,reads,commands SCOPED=false
while (($#)); do
    case $1 in
        --smoke) MODE=smoke ;;
        --duration) DURATION=${2:?--duration needs seconds}; DURATION_SET=1; shift ;;
        --warmup) WARMUP=${2:?--warmup needs seconds}; WARMUP_SET=1; shift ;;
        --clients) CLIENTS=${2:?--clients needs a number}; shift ;;
        --replay-events) REPLAY_EVENTS=${2:?--replay-events needs a number}; REPLAY_SET=1; shift ;;
        --seed-tokens) SEED_TOKENS=${2:?--seed-tokens needs a number}; shift ;;
        --only) ONLY=${2:?--only needs a step}; shift ;;
        --keep-data) KEEP_DATA=1 ;;
        --http-phases) HTTP_PHASES=${2:?--http-phases needs a list}; shift ;;
        --scoped-tokens) SCOPED=true ;;
        --soak) MODE=soak ;;
        --soak-minutes) SOAK_MINUTES=${2:?--soak-minutes needs a number}; shift ;;
        --soak-rate) SOAK_RATE=${2:?--soak-rate needs requests per second}; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ $MODE == smoke ]]; then
    [[ -n $DURATION_SET ]] || DURATION=10
    [[ -n $REPLAY_SET ]] || REPLAY_EVENTS=50000
    [[ -n $WARMUP_SET ]] || WARMUP=3
fi
for n in "$DURATION" "$WARMUP" "$CLIENTS" "$REPLAY_EVENTS" "$SEED_TOKENS" "$SOAK_MINUTES"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: '$n' is not a positive number" >&2; exit 2; }
done
[[ -z $ONLY || $ONLY =~ ^(pgbench|http|deactivation|verify|replay)$ ]] \
    || { echo "bench/run.sh: --only takes pgbench, http, deactivation, verify or replay, not '$ONLY'" >&2; exit 2; }
[[ -z $SOAK_RATE || $SOAK_RATE =~ ^[0-9]+(\.[0-9]+)?$ && $SOAK_RATE =~ [1-9] ]] \
    || { echo "bench/run.sh: --soak-rate takes requests per second above 0, not '$SOAK_RATE'" >&2; exit 2; }
[[ $HTTP_PHASES =~ ^(introspection|reads|commands|exchanges)(,(introspection|reads|commands|exchanges))*$ ]] \
    || { echo "bench/run.sh: --http-phases takes introspection, reads, commands and exchanges, not '$HTTP_PHASES'" >&2
         exit 2; }
[[ $MODE == soak && -n $ONLY ]] && { echo "bench/run.sh: --soak and --only do not go together" >&2; exit 2; }
# wants STEP: whether this run includes that step (--only replay or verify writes the events it needs itself)
wants() { [[ $MODE != soak && (-z $ONLY || $ONLY == "$1") ]]; }
# the deactivation phases are shorter than the others: their figure is a latency, not a rate
DEACTIVATION_DURATION=$((DURATION < 30 ? DURATION : 30)) DEACTIVATION_WARMUP=$WARMUP
REPLAY_TIMEOUT=1800
[[ $MODE == full ]] || REPLAY_TIMEOUT=600

VERSION=0.1.0-SNAPSHOT
DB_JAR=$ROOT/dev-database/target/dev-database-$VERSION-exec.jar
COMMAND_JAR=$ROOT/command-side/target/command-side-$VERSION-exec.jar
QUERY_JAR=$ROOT/query-side/target/query-side-$VERSION-exec.jar
BENCH_JAR=$ROOT/bench/target/bench-$VERSION-exec.jar
START_TIMEOUT=180

say() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
command -v java >/dev/null || die "java not found: install a Java 17 (or newer) runtime"
java_version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
[[ "${java_version%%.*}" =~ ^[0-9]+$ && "${java_version%%.*}" -ge 17 ]] \
    || die "Java 17 or newer is needed (java here is ${java_version:-unknown})"
[[ -r /proc/stat ]] || die "this benchmark reads CPU figures from /proc: it runs on Linux only"
if ! command -v pgbench >/dev/null || ! command -v psql >/dev/null; then
    if command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
        say "pgbench/psql missing: installing postgresql-client (apt-get)"
        (timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 300 \
            apt-get install -y -qq --no-install-recommends postgresql-client) >/dev/null 2>&1 || true
    fi
    command -v pgbench >/dev/null && command -v psql >/dev/null || die "pgbench and psql are needed:" \
        "on Debian/Ubuntu 'sudo apt-get install postgresql-client', on Fedora 'sudo dnf install postgresql'," \
        "on macOS 'brew install libpq' (then put its bin folder on PATH)"
fi
CLOCK_TICKS=$(getconf CLK_TCK)

# ---------------------------------------------------------------- build
SOURCES=(pom.xml shared-events refusals credentials shared-infra command-side query-side dev-database bench/pom.xml bench/src)
needs_build() {
    local jar
    for jar in "$DB_JAR" "$COMMAND_JAR" "$QUERY_JAR" "$BENCH_JAR"; do
        [[ -f "$jar" ]] || return 0
        if [[ -n "$(find "${SOURCES[@]}" -name target -prune -o -type f -newer "$jar" -print -quit 2>/dev/null)" ]]; then
            return 0
        fi
    done
    return 1
}
mkdir -p -- "$TARGET"
if needs_build; then
    command -v mvn >/dev/null || die "the jars need (re)building but mvn is not installed"
    say "building (mvn -B -q -DskipTests package; the first build downloads dependencies and takes a few minutes)..."
    if ! mvn -B -q -DskipTests package -pl dev-database,command-side,query-side,bench -am >"$TARGET/build.log" 2>&1; then
        tail -n 80 "$TARGET/build.log" >&2
        die "build failed: full output in $TARGET/build.log"
    fi
    for jar in "$DB_JAR" "$COMMAND_JAR" "$QUERY_JAR" "$BENCH_JAR"; do
        [[ -f "$jar" ]] || die "the build did not produce $jar"
    done
fi

# ---------------------------------------------------------------- process management
DB_PID="" COMMAND_PID="" QUERY_PID="" TOOL_PID=""
CLEANED_UP=""

# shellcheck source=scripts/processes.sh
source "$ROOT/scripts/processes.sh"

cleanup() {
    [[ -z "$CLEANED_UP" ]] || return 0
    CLEANED_UP=1
    trap '' INT TERM # a second Ctrl-C must not cut the orderly stop short
    [[ -z ${MERKLE_PID:-} ]] || touch -- "$MERKLE_STOP" # the lag sampler's psql ends with its input
    stop_process "benchmark tool" "$TOOL_PID" 10
    stop_process "query side" "$QUERY_PID" 30
    stop_process "command side" "$COMMAND_PID" 30
    stop_process "embedded PostgreSQL" "$DB_PID" 90
    stop_orphan_postmaster "$RUN_DIR/postgres"
    if [[ -z "$KEEP_DATA" && -d "$RUN_DIR/postgres" && ! -f "$RUN_DIR/postgres/postmaster.pid" ]]; then
        rm -rf -- "$RUN_DIR/postgres"
    fi
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

# a port nobody listens on, from a random start so that two runs on one machine do not collide, and below the
# kernel's range for outgoing connections (32768-60999 on Linux): a client socket may take a port of that range at
# any moment, and the query side binds its port a minute after it was chosen (one did find it taken)
free_port() {
    local low=32768 port
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    ((low > 21000)) || low=50000 # an unusual range: any port, as before
    port=$((20000 + RANDOM % (low - 20000)))
    while port_open "$port"; do port=$((port + 1)); done
    echo "$port"
}

# every server still running? (a measurement against a dead server would only measure errors)
check_servers() {
    [[ -z "$DB_PID" ]] || alive "$DB_PID" || died "embedded PostgreSQL" "$DB_PID" "$LOGS/database.log"
    [[ -z "$COMMAND_PID" ]] || alive "$COMMAND_PID" || died "command side" "$COMMAND_PID" "$LOGS/command-side.log"
    [[ -z "$QUERY_PID" ]] || alive "$QUERY_PID" || died "query side" "$QUERY_PID" "$LOGS/query-side.log"
}

# tool NAME SUBCOMMAND ARGS...: runs a subcommand of the bench jar in the background, watching the servers
tool() {
    local name=$1 subcommand=$2 rc=0
    shift 2
    java -Xmx256m -jar "$BENCH_JAR" "$subcommand" --clock-ticks "$CLOCK_TICKS" "$@" \
        2> >(tee -a "$LOGS/$name.log" >&2) &
    TOOL_PID=$!
    while alive "$TOOL_PID"; do
        check_servers
        sleep 0.5
    done
    wait "$TOOL_PID" || rc=$?
    TOOL_PID=""
    ((rc == 0)) || die "$name failed (status $rc): see $LOGS/$name.log"
}

sql() { psql -h 127.0.0.1 -p "$DB_PORT" -U postgres -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------- a fresh start
stop_orphan_postmaster "$RUN_DIR/postgres"
rm -rf -- "$RUN_DIR/postgres" "$RESULTS" "$LOGS" "$REPORT" "$SOAK_TSV"
mkdir -p -- "$RUN_DIR" "$RESULTS" "$LOGS"
chmod 700 "$RUN_DIR"
DB_PORT=$(free_port)
export COMMAND_PORT; COMMAND_PORT=$(free_port)
export QUERY_PORT; QUERY_PORT=$(free_port)
while [[ $QUERY_PORT == "$COMMAND_PORT" || $QUERY_PORT == "$DB_PORT" ]]; do QUERY_PORT=$(free_port); done
while [[ $COMMAND_PORT == "$DB_PORT" ]]; do COMMAND_PORT=$(free_port); done
# an operator credential for this run only: the command side takes any 32+ characters without spaces
export OPERATOR_TOKEN; OPERATOR_TOKEN="bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export BENCH_OPERATOR_TOKEN=$OPERATOR_TOKEN
# the command mix writes hundreds of times a second as a few workspace admins: exactly what the write rate limit (600 a
# minute per principal) is there to stop. Raised, not turned off, so that the limiter's cost stays in the figures.
export WRITE_RATE_LIMIT=${WRITE_RATE_LIMIT:-1000000}
# the query side signs audit checkpoints as it does in production (issue 17), with a key for this run only
export AUDIT_SIGNING_KEY_FILE=$RUN_DIR/audit-signing-key.pem
rm -f -- "$AUDIT_SIGNING_KEY_FILE"
(umask 077 && java -cp "$ROOT/shared-events/target/shared-events-$VERSION.jar" \
    dev.svcaccounts.events.integrity.CheckpointKeyFile "$AUDIT_SIGNING_KEY_FILE" >/dev/null) \
    || die "could not make an audit signing key in $RUN_DIR"
{
    echo "context.mode=$MODE${ONLY:+ (only $ONLY)}"
    echo "context.date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "context.commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo '+changes')"
    if [[ $MODE == soak ]]; then
        echo "context.soak_minutes=$SOAK_MINUTES"
        echo "context.soak_rate=${SOAK_RATE:-half the measured capacity}"
    fi
    echo "context.duration=$DURATION"
    echo "context.clients=$CLIENTS"
    echo "context.scoped_tokens=$SCOPED"
    echo "context.cpus=$(nproc)"
    echo "context.cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) at $(sed -n 's/^cpu MHz[[:space:]]*: //p' /proc/cpuinfo | head -n 1) MHz"
    echo "context.java=$(java -version 2>&1 | sed -n 2p)"
    # what the JVM picks by itself on this machine (heap sizes, collector): the sides' own options come on top
    echo "context.jvm_defaults=$(java -XX:+PrintCommandLineFlags -version 2>/dev/null | head -n 1 | sed 's/ *$//')"
    echo "context.loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "context.pgbench_version=$(pgbench --version)"
    echo "context.java_opts=command side ${COMMAND_JAVA_OPTS[*]}, query side ${QUERY_JAVA_OPTS[*]}, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX"
} >"$RESULTS/context.properties"
if [[ $MODE == soak ]]; then
    say "soak: $SOAK_MINUTES minutes at ${SOAK_RATE:-half the measured capacity} requests/s, $CLIENTS workers;" \
        "logs in $LOGS"
else
    say "$MODE run${ONLY:+ of $ONLY only}: $DURATION s per phase, $CLIENTS clients, replay over $REPLAY_EVENTS+" \
        "events; logs in $LOGS"
fi

# ---------------------------------------------------------------- database
say "starting embedded PostgreSQL on localhost:$DB_PORT (cluster in $RUN_DIR/postgres)"
DATA_DIR=$RUN_DIR DB_PORT=$DB_PORT java -Xmx128m -jar "$DB_JAR" >"$LOGS/database.log" 2>&1 &
DB_PID=$!
for ((waited = 0; ; waited++)); do
    alive "$DB_PID" || died "embedded PostgreSQL" "$DB_PID" "$LOGS/database.log"
    if grep -qs 'embedded PostgreSQL ready: ' "$LOGS/database.log" && port_open "$DB_PORT"; then break; fi
    ((waited < START_TIMEOUT * 2)) || die "embedded PostgreSQL not ready after ${START_TIMEOUT}s (log: $LOGS/database.log)"
    sleep 0.5
done
POSTMASTER_PID=$(head -n 1 "$RUN_DIR/postgres/postmaster.pid")
export DATABASE_URL="jdbc:postgresql://localhost:$DB_PORT/svcaccounts" DATABASE_USER=postgres DATABASE_PASSWORD=
{
    echo "context.server_version=$(sql -d svcaccounts -c 'SHOW server_version')"
    echo "context.synchronous_commit=$(sql -d svcaccounts -c 'SHOW synchronous_commit')"
    echo "context.fsync=$(sql -d svcaccounts -c 'SHOW fsync')"
} >>"$RESULTS/context.properties"

# ---------------------------------------------------------------- 1. the raw ceiling
if wants pgbench; then
    sql -d svcaccounts -c 'CREATE DATABASE pgbench'
    sql -d pgbench -f bench/sql/raw-insert-schema.sql
    PGBENCH=(pgbench -h 127.0.0.1 -p "$DB_PORT" -U postgres -c "$CLIENTS" -j 2 -T "$DURATION" -M prepared -n)
    say "pgbench: raw insert of an event-store row, $CLIENTS clients, $DURATION s"
    tool pgbench-insert pgbench --name insert --log-dir "$LOGS/pgbench-insert" --out "$RESULTS/raw-insert.properties" \
        --watch postgres="$POSTMASTER_PID" -- "${PGBENCH[@]}" -f bench/sql/raw-insert.pgbench pgbench
    say "pgbench: raw primary-key select, $CLIENTS clients, $DURATION s"
    pgbench -h 127.0.0.1 -p "$DB_PORT" -U postgres -i -s 1 -q pgbench >"$LOGS/pgbench-init.log" 2>&1 \
        || die "pgbench -i failed: see $LOGS/pgbench-init.log"
    tool pgbench-select pgbench --name select --log-dir "$LOGS/pgbench-select" --out "$RESULTS/raw-select.properties" \
        --watch postgres="$POSTMASTER_PID" -- "${PGBENCH[@]}" -S pgbench
    sql -d svcaccounts -c 'DROP DATABASE pgbench'
fi

# ---------------------------------------------------------------- 2. the system under HTTP load
if wants http || wants deactivation || [[ $MODE == soak ]]; then
    start_app "command side" "$COMMAND_JAR" "$COMMAND_PORT" "$LOGS/command-side.log" "${COMMAND_JAVA_OPTS[@]}"
    COMMAND_PID=$APP_PID
    start_app "query side" "$QUERY_JAR" "$QUERY_PORT" "$LOGS/query-side.log" "${QUERY_JAVA_OPTS[@]}"
    QUERY_PID=$APP_PID
fi
# The Merkle log's lag behind the store (issue 17), sampled every 200 ms on one psql session while the HTTP load
# runs: the store's head position minus the last leaf's, and the age of the oldest event not in the log (from its
# timestamp, taken before its command's COMMIT). A build without the log has nothing to sample.
MERKLE_LAG_SQL="SELECT h.head - coalesce(l.position, 0), coalesce(1000 * extract(epoch FROM clock_timestamp() - (
    SELECT CAST(time_stamp AS timestamptz) FROM command_side.domain_event_entry
     WHERE global_index > coalesce(l.position, 0) ORDER BY global_index LIMIT 1)), 0)
  FROM (SELECT coalesce(max(global_index), 0) AS head FROM command_side.domain_event_entry) h
  LEFT JOIN (SELECT position FROM query_side.merkle_leaf ORDER BY leaf_index DESC LIMIT 1) l ON true;"
MERKLE_PID="" MERKLE_STOP=$RUN_DIR/merkle-lag.stop
merkle_lag_start() {
    [[ $(sql -d svcaccounts -c "SELECT to_regclass('query_side.merkle_leaf') IS NOT NULL") == t ]] || return 0
    rm -f -- "$MERKLE_STOP"
    # the loop ends when the stop file appears; psql then reads the end of its input and exits
    (while [[ ! -e $MERKLE_STOP ]] && sleep 0.2; do printf '%s\n' "$MERKLE_LAG_SQL"; done \
        | sql -d svcaccounts -F $'\t' >"$LOGS/merkle-lag.tsv" 2>"$LOGS/merkle-lag.err") &
    MERKLE_PID=$!
}
merkle_lag_stop() {
    [[ -n $MERKLE_PID ]] || return 0
    touch -- "$MERKLE_STOP"
    wait "$MERKLE_PID" 2>/dev/null || true
    MERKLE_PID=""
    # p50, p99 and max of a column (nearest rank)
    stats() { cut -f"$1" "$LOGS/merkle-lag.tsv" | sort -n | awk -v name="$2" -v unit="$3" '{ v[NR] = $1 } END {
        if (NR == 0) exit; p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
        printf "merkle_lag.%s_p50%s=%s\nmerkle_lag.%s_p99%s=%s\nmerkle_lag.%s_max%s=%s\n", name, unit, p50,
            name, unit, p99, name, unit, v[NR] }'; }
    {
        echo "merkle_lag.samples=$(grep -c . "$LOGS/merkle-lag.tsv" || true)"
        stats 1 events ""
        stats 2 age _ms
    } >"$RESULTS/merkle-lag.properties"
}

if wants http; then
    merkle_lag_start
    say "HTTP load: $HTTP_PHASES (scoped tokens: $SCOPED); $CLIENTS clients, $WARMUP s warm-up + $DURATION s each"
    tool load load --command-url "http://127.0.0.1:$COMMAND_PORT" --query-url "http://127.0.0.1:$QUERY_PORT" \
        --clients "$CLIENTS" --warmup "$WARMUP" --duration "$DURATION" --out "$RESULTS/http.properties" \
        --phases "$HTTP_PHASES" --scoped-tokens "$SCOPED" \
        --watch postgres="$POSTMASTER_PID" --watch command_side="$COMMAND_PID" --watch query_side="$QUERY_PID"
    merkle_lag_stop
fi

# ---------------------------------------------------------------- 3. deactivation against a growing token table
if wants deactivation; then
    deactivation() {
        tool "$1" deactivation --phase "$1" --command-url "http://127.0.0.1:$COMMAND_PORT" \
            --query-url "http://127.0.0.1:$QUERY_PORT" --clients 4 --warmup "$DEACTIVATION_WARMUP" \
            --duration "$DEACTIVATION_DURATION" --out "$RESULTS/$1.properties" \
            --watch postgres="$POSTMASTER_PID" --watch command_side="$COMMAND_PID" --watch query_side="$QUERY_PID"
    }
    tokens_before=$(sql -d svcaccounts -c 'SELECT count(*) FROM command_side.auth_token')
    say "deactivation: 4 clients, $DEACTIVATION_WARMUP s warm-up + $DEACTIVATION_DURATION s;" \
        "$tokens_before tokens stored"
    deactivation deactivation_before
    say "deactivation: adding $SEED_TOKENS tokens to the credential table"
    started=$SECONDS
    sql -d svcaccounts -v tokens="$SEED_TOKENS" -f bench/sql/seed-tokens.sql >/dev/null
    tokens_seeded=$(sql -d svcaccounts -c 'SELECT count(*) FROM command_side.auth_token')
    printf 'deactivation.tokens_before=%s\ndeactivation.tokens_seeded=%s\ndeactivation.seed_seconds=%s\n' \
        "$tokens_before" "$tokens_seeded" "$((SECONDS - started))" >"$RESULTS/deactivation-setup.properties"
    say "deactivation: again, $tokens_seeded tokens stored"
    deactivation deactivation_seeded
fi

# events_from_the_mix STEP: with --only STEP, the servers started and the command mix run, for STEP to copy its events
events_from_the_mix() {
    start_app "command side" "$COMMAND_JAR" "$COMMAND_PORT" "$LOGS/command-side.log" "${COMMAND_JAVA_OPTS[@]}"
    COMMAND_PID=$APP_PID
    start_app "query side" "$QUERY_JAR" "$QUERY_PORT" "$LOGS/query-side.log" "${QUERY_JAVA_OPTS[@]}"
    QUERY_PID=$APP_PID
    say "$1: events to copy: the command mix, $CLIENTS clients, $WARMUP s warm-up + $DURATION s"
    tool load load --command-url "http://127.0.0.1:$COMMAND_PORT" --query-url "http://127.0.0.1:$QUERY_PORT" \
        --clients "$CLIENTS" --warmup "$WARMUP" --duration "$DURATION" --out "$RESULTS/http.properties" \
        --phases commands --scoped-tokens "$SCOPED" \
        --watch postgres="$POSTMASTER_PID" --watch command_side="$COMMAND_PID" --watch query_side="$QUERY_PID"
}

# ---------------------------------------------------------------- 4. the audit replay
if wants replay; then
    [[ $ONLY == replay ]] && events_from_the_mix replay
    stop_process "query side" "$QUERY_PID" 30
    QUERY_PID=""
    written=$(sql -d svcaccounts -c 'SELECT count(*) FROM command_side.domain_event_entry')
    ((written > 0)) || die "the run wrote no events to copy"
    copies=$(((REPLAY_EVENTS - 1) / written)) # so that (copies + 1) * written >= REPLAY_EVENTS
    say "replay: copying the run's $written events $copies times (at least $REPLAY_EVENTS in the store)"
    started=$SECONDS
    sql -d svcaccounts -v copies="$copies" -f bench/sql/copy-events.sql >/dev/null
    sql -d svcaccounts -c 'VACUUM ANALYZE command_side.domain_event_entry'
    printf 'replay.source_events=%s\nreplay.copies=%s\nreplay.copy_seconds=%s\n' "$written" "$copies" \
        "$((SECONDS - started))" >"$RESULTS/replay-setup.properties"
    sql -d svcaccounts -f bench/sql/reset-audit.sql
    start_app "query side" "$QUERY_JAR" "$QUERY_PORT" "$LOGS/query-side-replay.log" "${QUERY_JAVA_OPTS[@]}"
    QUERY_PID=$APP_PID
    say "replay: POST /v1/admin/projections/audit/replay (the audit projection starts again from the first event)"
    tool replay replay --jdbc-url "$DATABASE_URL" --db-user postgres --timeout "$REPLAY_TIMEOUT" \
        --query-url "http://127.0.0.1:$QUERY_PORT" \
        --out "$RESULTS/replay.properties" --watch postgres="$POSTMASTER_PID" --watch query_side="$QUERY_PID" \
        --watch command_side="$COMMAND_PID"
fi

# ---------------------------------------------------------------- 5. the Merkle log on upgrade, its verification
if wants verify; then
    [[ $ONLY == verify ]] && events_from_the_mix verify
    stop_process "query side" "$QUERY_PID" 30
    QUERY_PID=""
    written=$(sql -d svcaccounts -c 'SELECT count(*) FROM command_side.domain_event_entry')
    if ((written < REPLAY_EVENTS)); then
        copies=$(((REPLAY_EVENTS - 1) / written))
        say "verify: copying the run's $written events $copies times (at least $REPLAY_EVENTS in the store)"
        sql -d svcaccounts -v copies="$copies" -f bench/sql/copy-events.sql >/dev/null
        sql -d svcaccounts -c 'VACUUM ANALYZE command_side.domain_event_entry'
    fi
    # the read models past every event, so that the query side's start does the log's work alone; the log emptied,
    # as in a database written by a release before it: every event must enter it at the start
    sql -d svcaccounts -f bench/sql/reset-audit.sql
    sql -d svcaccounts -c 'TRUNCATE query_side.merkle_leaf, query_side.merkle_subtree, query_side.merkle_checkpoint'
    start_app "query side" "$QUERY_JAR" "$QUERY_PORT" "$LOGS/query-side-verify.log" "${QUERY_JAVA_OPTS[@]}"
    QUERY_PID=$APP_PID
    tool verify verify --jdbc-url "$DATABASE_URL" --db-user postgres --timeout "$REPLAY_TIMEOUT" \
        --query-url "http://127.0.0.1:$QUERY_PORT" --out "$RESULTS/verify.properties" \
        --watch postgres="$POSTMASTER_PID" --watch query_side="$QUERY_PID" \
        ${COMMAND_PID:+--watch command_side="$COMMAND_PID"}
fi

# ---------------------------------------------------------------- the soak (instead of 1 to 4)
if [[ $MODE == soak ]]; then
    say "soak: $SOAK_MINUTES minutes; a line per process each minute, also in $SOAK_TSV"
    tool soak soak --command-url "http://127.0.0.1:$COMMAND_PORT" --query-url "http://127.0.0.1:$QUERY_PORT" \
        --jdbc-url "$DATABASE_URL" --db-user postgres --clients "$CLIENTS" --minutes "$SOAK_MINUTES" \
        ${SOAK_RATE:+--rate "$SOAK_RATE"} --warmup 10 --capacity-seconds 30 \
        --out "$RESULTS/soak.properties" --tsv "$SOAK_TSV" \
        --watch postgres="$POSTMASTER_PID" --watch command_side="$COMMAND_PID" --watch query_side="$QUERY_PID"
fi

# ---------------------------------------------------------------- 6. the table
echo "context.loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >"$RESULTS/context-end.properties"
echo
java -jar "$BENCH_JAR" report --results "$RESULTS" --out "$REPORT"
echo
say "report written to $REPORT"
