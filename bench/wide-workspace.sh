#!/usr/bin/env bash
# Introspection in a wide workspace (issue 14): how large and how costly is the answer for a user of a workspace with
# thousands of projects visible to the whole workspace, and for a service account with many explicit grants? Not a
# phase of bench/run.sh: it measures running query sides (one build or several, e.g. before and after a change, all
# on the same database), taking turns, so that a machine whose speed drifts affects each alike.
#
#   1. seeds the credential tables (bench/sql/seed-wide-workspace.sql): PROJECTS workspace-visible projects, a
#      member with 3 explicit grants, a service account with GRANTS explicit grants, one token each;
#   2. ROUNDS rounds; in each, every query side in turn (the order alternating from one round to the next) answers
#      REQUESTS introspections of each token over one kept-alive connection (curl), one after the other;
#   3. prints, per query side and token: the answer's size, the median and p90 of the per-request times over all
#      rounds, and the query side's CPU per introspection (utime + stime of its process, /proc, over the batches).
#
# Usage: bench/wide-workspace.sh DB_PORT NAME=PORT:PID [NAME=PORT:PID ...]
#   DB_PORT   the (embedded) PostgreSQL's port, database svcaccounts, user postgres
#   NAME=PORT:PID  a query side's label, its HTTP port and its process id (for its CPU time)
#   env: OPERATOR_TOKEN (required), PROJECTS (5000), GRANTS (300), ROUNDS (8), REQUESTS (100)
# Needs psql, curl, java (a one-file program makes the well-formed token secrets), and the built shared-events jar.
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)
DB_PORT=${1:?DB_PORT}; shift
: "${OPERATOR_TOKEN:?set OPERATOR_TOKEN}"
PROJECTS=${PROJECTS:-5000} GRANTS=${GRANTS:-300} ROUNDS=${ROUNDS:-8} REQUESTS=${REQUESTS:-100}
WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT

VERSION=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' pom.xml | head -n 1)
cat >"$WORK/Secrets.java" <<'JAVA'
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenSecret;
public class Secrets {
    public static void main(String[] args) {
        for (PrincipalType type : new PrincipalType[]{PrincipalType.USER, PrincipalType.SERVICE_ACCOUNT}) {
            String secret = TokenSecret.generateFor(type);
            System.out.println(secret + " " + TokenSecret.hash(secret));
        }
    }
}
JAVA
mapfile -t SECRETS < <(java -cp "$ROOT/shared-events/target/shared-events-$VERSION.jar" "$WORK/Secrets.java")
read -r USER_SECRET USER_HASH <<<"${SECRETS[0]}"
read -r SA_SECRET SA_HASH <<<"${SECRETS[1]}"
psql -q -h localhost -p "$DB_PORT" -U postgres -d svcaccounts -v ON_ERROR_STOP=1 -v projects="$PROJECTS" \
    -v grants="$GRANTS" -v user_hash="$USER_HASH" -v sa_hash="$SA_HASH" -f bench/sql/seed-wide-workspace.sql

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)

# one batch: REQUESTS introspections of a token on one connection; appends "size seconds" lines, prints CPU ticks
batch() {
    local port=$1 pid=$2 secret=$3 out=$4 before after i urls=()
    for ((i = 0; i < REQUESTS; i++)); do urls+=(-o /dev/null "http://localhost:$port/v1/introspect"); done
    before=$(cpu_ticks "$pid")
    curl -s -H "Authorization: Bearer $OPERATOR_TOKEN" --data-urlencode "token=$secret" \
        -w '%{size_download} %{time_total}\n' "${urls[@]}" >>"$out"
    after=$(cpu_ticks "$pid")
    echo $((after - before))
}

declare -A CPU
SIDES=("$@")
for ((round = 0; round < ROUNDS; round++)); do
    order=("${SIDES[@]}")
    if ((round % 2)); then mapfile -t order < <(printf '%s\n' "${SIDES[@]}" | tac); fi
    for side in "${order[@]}"; do
        name=${side%%=*} rest=${side#*=}
        port=${rest%%:*} pid=${rest#*:}
        for who in user sa; do
            secret=$USER_SECRET; [[ $who == sa ]] && secret=$SA_SECRET
            ticks=$(batch "$port" "$pid" "$secret" "$WORK/$name.$who")
            ((round == 0)) && continue # the first round warms up; its times are kept out of the figures
            CPU[$name.$who]=$((${CPU[$name.$who]:-0} + ticks))
        done
    done
done

printf '%-10s %-16s %12s %12s %12s %18s\n' build token "size (bytes)" "median (ms)" "p90 (ms)" "CPU/request (ms)"
for side in "${SIDES[@]}"; do
    name=${side%%=*}
    for who in user sa; do
        label="user (member)"; [[ $who == sa ]] && label="service account"
        tail -n +$((REQUESTS + 1)) "$WORK/$name.$who" | sort -k2 -g | awk -v name="$name" -v who="$label" \
            -v cpu="${CPU[$name.$who]}" -v tck="$TICKS" -v n=$(((ROUNDS - 1) * REQUESTS)) '
            { size = $1; t[NR] = $2 }
            END { printf "%-10s %-16s %12d %12.2f %12.2f %18.3f\n", name, who, size, t[int(NR * 0.5)] * 1000,
                  t[int(NR * 0.9)] * 1000, cpu / tck * 1000 / n }'
    done
done
