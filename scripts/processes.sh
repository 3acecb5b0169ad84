# Process control shared by run.sh and bench/run.sh (sourced; each defines its own `say` and `die`, and
# START_TIMEOUT in seconds).

alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

# stop_process NAME PID SECONDS: SIGTERM, wait, SIGKILL only as a last resort.
stop_process() {
    local name=$1 pid=$2 limit=$3 i
    [[ -n "$pid" ]] || return 0
    if alive "$pid"; then
        say "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < limit * 10; i++)); do
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then
            say "$name did not stop within ${limit}s: killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

# stop_orphan_postmaster CLUSTER_DIR: if the EmbeddedDatabase JVM was killed (SIGKILL, OOM), its postmaster runs
# on without it. Ask it for a fast shutdown (SIGINT) when postmaster.pid names a live process working in that very
# directory. (The next EmbeddedDatabase start would do the same; this just leaves nothing running behind us.)
stop_orphan_postmaster() {
    local cluster=$1 pid i
    [[ -f "$cluster/postmaster.pid" ]] || return 0
    pid=$(head -n 1 "$cluster/postmaster.pid" 2>/dev/null) || return 0
    [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 0
    [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$(cd -- "$cluster" && pwd -P)" ]] || return 0
    say "stopping the orphaned PostgreSQL server (pid $pid)"
    kill -INT "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 600; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    say "PostgreSQL (pid $pid) is still shutting down"
}

# The JVM options of each side, as run.sh starts them and bench/run.sh measures them (docs/performance.md,
# changes 7 and 9). Each side takes about 195 MB besides its heap (collector, metaspace, compiled code, threads), so
# a heap of 256 MB keeps it under 512 MB resident once the heap has grown to its maximum, which a long run reaches
# (384 MB took the command side to 593 MB). The command side's workspace cache is bounded to fit (command-side.yml).
# The query side's heap holds no cache: it gets the parallel collector, whose own memory is small. MALLOC_ARENA_MAX
# caps the C heap's per-thread arenas.
COMMAND_JAVA_OPTS=(-Xmx256m -Ddisable-axoniq-console-message=true)
QUERY_JAVA_OPTS=(-Xmx256m -XX:+UseParallelGC -Ddisable-axoniq-console-message=true)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# health_up PORT: true when GET /actuator/health answers 200 with {"status":"UP"...}
health_up() {
    local body
    if command -v curl >/dev/null; then
        body=$(curl -fsS --max-time 3 "http://127.0.0.1:$1/actuator/health" 2>/dev/null) || return 1
    else
        # shellcheck disable=SC2016 # $1 is expanded by the inner bash
        body=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
            printf "GET /actuator/health HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3
            cat <&3' _ "$1" 2>/dev/null) || return 1
        [[ "$body" == "HTTP/1."?" 200"* ]] || return 1
        body=${body#*$'\r\n\r\n'}
    fi
    [[ "$body" == '{"status":"UP"'* ]]
}

rotate_log() { [[ ! -f "$1" ]] || mv -f -- "$1" "$1.1"; }

# died NAME PID LOG: report a child that exited, with the end of its log, and exit 1 (the EXIT trap stops the rest)
died() {
    local rc=0
    wait "$2" 2>/dev/null || rc=$?
    tail -n 40 "$3" >&2 || true
    die "$1 (pid $2) exited with status $rc; the last lines of $3 are above"
}

# start_app NAME JAR PORT LOG JVM-OPTIONS...: starts it in the background and waits until it reports UP; sets APP_PID.
start_app() {
    local name=$1 jar=$2 port=$3 log=$4 waited
    shift 4
    port_open "$port" && die "port $port is already in use (is an older $name still running?)"
    rotate_log "$log"
    say "starting $name on port $port (log: $log)"
    java "$@" -jar "$jar" >"$log" 2>&1 &
    APP_PID=$!
    for ((waited = 0; ; waited++)); do
        alive "$APP_PID" || died "$name" "$APP_PID" "$log"
        health_up "$port" && break
        ((waited < START_TIMEOUT)) || { tail -n 40 "$log" >&2; die "$name not healthy after ${START_TIMEOUT}s (log: $log)"; }
        sleep 1
    done
    say "$name is UP"
}
