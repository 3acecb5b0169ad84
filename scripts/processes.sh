# Process control shared by run.sh and bench/run.sh (sourced; each defines its own `say`).

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
# change 7). The query side's heap holds no cache, so it gets less, and the parallel collector, whose own memory is
# small. MALLOC_ARENA_MAX caps the C heap's per-thread arenas. Together they keep each side under 512 MB resident.
COMMAND_JAVA_OPTS=(-Xmx384m -Ddisable-axoniq-console-message=true)
QUERY_JAVA_OPTS=(-Xmx256m -XX:+UseParallelGC -Ddisable-axoniq-console-message=true)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
