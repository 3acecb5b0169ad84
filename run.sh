#!/usr/bin/env bash
# Runs the whole product on this machine with nothing but Java 17 and Maven:
#   1. builds the executable jars when one is missing or older than the sources;
#   2. starts an embedded PostgreSQL 17 (data kept in $DATA_DIR/postgres), unless DATABASE_URL is set;
#   3. starts the command side, waits until it is healthy, then the query side likewise;
#   4. prints where everything is, and keeps running until Ctrl-C / SIGTERM, when it stops the query side,
#      the command side and the database, in that order. If any of them dies, it stops the rest and exits 1.
#
# Environment (all optional):
#   COMMAND_PORT (8080)  QUERY_PORT (8081)  DB_PORT (54329, embedded database only)
#   DATA_DIR (./data next to this script): database files, logs/, operator-token, audit-signing-key.pem
#   OPERATOR_TOKEN: the platform operator credential; when unset, the one saved in $DATA_DIR/operator-token
#                   is used, or one is generated on the first run and saved there (mode 600)
#   AUDIT_SIGNING_KEY_FILE: the Ed25519 key file the query side signs audit checkpoints with; when unset,
#                   $DATA_DIR/audit-signing-key.pem, generated on the first run (mode 600) and kept. Back it up.
#   DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD: use this PostgreSQL instead of starting one
set -euo pipefail

# DATA_DIR given by the caller is relative to the caller's directory; the default lives beside this script.
# A new DATA_DIR is made private (mode 700): it holds the operator credential and the database.
if [[ -n "${DATA_DIR:-}" ]]; then
    [[ -d "$DATA_DIR" ]] || { mkdir -p -- "$DATA_DIR" && chmod 700 "$DATA_DIR"; }
    DATA_DIR=$(cd -- "$DATA_DIR" && pwd -P)
fi
# likewise a key file the caller names
[[ -z "${AUDIT_SIGNING_KEY_FILE:-}" || "$AUDIT_SIGNING_KEY_FILE" == /* ]] \
    || AUDIT_SIGNING_KEY_FILE=$(pwd -P)/$AUDIT_SIGNING_KEY_FILE
cd -- "$(dirname -- "${BASH_SOURCE[0]}")"
ROOT=$(pwd -P)
DATA_DIR=${DATA_DIR:-$ROOT/data}
[[ -d "$DATA_DIR" ]] || { mkdir -p -- "$DATA_DIR" && chmod 700 "$DATA_DIR"; }
mkdir -p -- "$DATA_DIR/logs"
LOGS=$DATA_DIR/logs

COMMAND_PORT=${COMMAND_PORT:-8080}
QUERY_PORT=${QUERY_PORT:-8081}
DB_PORT=${DB_PORT:-54329}
VERSION=0.1.0-SNAPSHOT
DB_JAR=$ROOT/dev-database/target/dev-database-$VERSION-exec.jar
COMMAND_JAR=$ROOT/command-side/target/command-side-$VERSION-exec.jar
QUERY_JAR=$ROOT/query-side/target/query-side-$VERSION-exec.jar
START_TIMEOUT=120

say() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
command -v java >/dev/null || die "java not found: install a Java 17 (or newer) runtime"
java_version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
[[ "${java_version%%.*}" =~ ^[0-9]+$ && "${java_version%%.*}" -ge 17 ]] \
    || die "Java 17 or newer is needed (java here is ${java_version:-unknown})"

# ---------------------------------------------------------------- build
SOURCES=(pom.xml shared-events refusals credentials shared-infra command-side query-side dev-database)
needs_build() {
    local jar
    for jar in "$DB_JAR" "$COMMAND_JAR" "$QUERY_JAR"; do
        [[ -f "$jar" ]] || return 0
        # any source or pom newer than the jar? (target/ folders are skipped)
        if [[ -n "$(find "${SOURCES[@]}" -name target -prune -o -type f -newer "$jar" -print -quit 2>/dev/null)" ]]; then
            return 0
        fi
    done
    return 1
}
if needs_build; then
    command -v mvn >/dev/null || die "the jars need (re)building but mvn is not installed"
    say "building (mvn -B -q -DskipTests package; the first build downloads dependencies and takes a few minutes)..."
    if ! mvn -B -q -DskipTests package >"$LOGS/build.log" 2>&1; then
        tail -n 80 "$LOGS/build.log" >&2
        die "build failed: full output in $LOGS/build.log"
    fi
    for jar in "$DB_JAR" "$COMMAND_JAR" "$QUERY_JAR"; do
        [[ -f "$jar" ]] || die "the build did not produce $jar"
    done
    say "build done"
fi

# ---------------------------------------------------------------- operator credential
events_cp=$ROOT/shared-events/target/shared-events-$VERSION.jar
[[ -f "$events_cp" ]] || events_cp=$ROOT/shared-events/target/classes
TOKEN_FILE=$DATA_DIR/operator-token
TOKEN_SOURCE=""
if [[ -n "${OPERATOR_TOKEN:-}" ]]; then
    TOKEN_SOURCE="env"
elif [[ -s "$TOKEN_FILE" ]]; then
    OPERATOR_TOKEN=$(tr -d '[:space:]' <"$TOKEN_FILE")
    [[ "$OPERATOR_TOKEN" =~ ^opr_[0-9A-Za-z]{49}$ ]] \
        || die "$TOKEN_FILE does not hold an operator credential (opr_ + 49 base62 characters); fix or delete it"
    TOKEN_SOURCE="file"
else
    # TokenSecret owns the format (opr_ + 43 base62 random + 6 base62 CRC32): call it through a one-file program.
    gen_dir=$(mktemp -d)
    cat >"$gen_dir/GenerateOperatorToken.java" <<'EOF'
public class GenerateOperatorToken {
    public static void main(String[] args) {
        String token = dev.svcaccounts.events.TokenSecret.generate(dev.svcaccounts.events.TokenSecret.OPERATOR_PREFIX);
        if (!dev.svcaccounts.events.TokenSecret.isWellFormed(token)) {
            throw new IllegalStateException("generated a malformed token");
        }
        System.out.println(token);
    }
}
EOF
    OPERATOR_TOKEN=$(java -cp "$events_cp" "$gen_dir/GenerateOperatorToken.java") || { rm -rf -- "$gen_dir"; die "could not generate an operator credential"; }
    rm -rf -- "$gen_dir"
    (umask 077 && printf '%s\n' "$OPERATOR_TOKEN" >"$TOKEN_FILE")
    TOKEN_SOURCE="generated"
fi
[[ "$TOKEN_SOURCE" == env ]] || chmod 600 "$TOKEN_FILE"
export OPERATOR_TOKEN

# ---------------------------------------------------------------- audit signing key
# The query side signs the audit log's checkpoints with it. CheckpointKeyFile (shared-events) makes the file
# owner-only with a new Ed25519 key when it is missing and otherwise checks that it holds a key pair; it prints the
# key id, never the key. A file the caller names must exist: a typo must not start a second, unknown key.
if [[ -n "${AUDIT_SIGNING_KEY_FILE:-}" ]]; then
    KEY_SOURCE="env"
    [[ -f "$AUDIT_SIGNING_KEY_FILE" ]] || die "AUDIT_SIGNING_KEY_FILE names $AUDIT_SIGNING_KEY_FILE, which does not exist"
    [[ -r "$AUDIT_SIGNING_KEY_FILE" ]] || die "AUDIT_SIGNING_KEY_FILE names $AUDIT_SIGNING_KEY_FILE, which cannot be read"
else
    AUDIT_SIGNING_KEY_FILE=$DATA_DIR/audit-signing-key.pem
    KEY_SOURCE="file"
fi
key_outcome=$(umask 077 && java -cp "$events_cp" dev.svcaccounts.events.integrity.CheckpointKeyFile \
    "$AUDIT_SIGNING_KEY_FILE") || die "no audit signing key: see the message above"
[[ "$key_outcome" != created* ]] || KEY_SOURCE="generated"
KEY_ID=$(sed -n 's/.*(key id \([0-9a-f]*\))$/\1/p' <<<"$key_outcome")
[[ "$KEY_SOURCE" == env ]] || chmod 600 "$AUDIT_SIGNING_KEY_FILE"
export AUDIT_SIGNING_KEY_FILE

# ---------------------------------------------------------------- process management
DB_PID="" COMMAND_PID="" QUERY_PID=""
CLEANED_UP=""

# shellcheck source=scripts/processes.sh
source "$ROOT/scripts/processes.sh"

cleanup() {
    [[ -z "$CLEANED_UP" ]] || return 0
    CLEANED_UP=1
    trap '' INT TERM # a second Ctrl-C must not cut the orderly stop short
    stop_process "query side" "$QUERY_PID" 30
    stop_process "command side" "$COMMAND_PID" 30
    # the database stops its postmaster and waits for it (fast shutdown); give it time to checkpoint
    stop_process "embedded PostgreSQL" "$DB_PID" 90
    [[ -z "$DB_PID" ]] || stop_orphan_postmaster "$DATA_DIR/postgres"
    [[ -z "$DB_PID$COMMAND_PID$QUERY_PID" ]] || say "stopped"
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

# ---------------------------------------------------------------- database
if [[ -z "${DATABASE_URL:-}" ]]; then
    # (no port check here: EmbeddedDatabase first stops a postmaster orphaned by a killed run, then checks the port)
    DB_LOG=$LOGS/database.log
    rotate_log "$DB_LOG"
    say "starting embedded PostgreSQL on localhost:$DB_PORT (data in $DATA_DIR/postgres)"
    DATA_DIR=$DATA_DIR DB_PORT=$DB_PORT java -Xmx128m -jar "$DB_JAR" >"$DB_LOG" 2>&1 &
    DB_PID=$!
    for ((waited = 0; ; waited++)); do
        alive "$DB_PID" || died "embedded PostgreSQL" "$DB_PID" "$DB_LOG"
        if grep -q 'embedded PostgreSQL ready: ' "$DB_LOG" && port_open "$DB_PORT"; then break; fi
        ((waited < START_TIMEOUT * 2)) || { tail -n 40 "$DB_LOG" >&2; die "embedded PostgreSQL not ready after ${START_TIMEOUT}s (log: $DB_LOG)"; }
        sleep 0.5
    done
    export DATABASE_URL="jdbc:postgresql://localhost:$DB_PORT/svcaccounts"
    export DATABASE_USER=postgres
    export DATABASE_PASSWORD=
    DB_DESCRIPTION="embedded PostgreSQL 17, $DATABASE_URL (user postgres, no password)
                   data in $DATA_DIR/postgres; psql -h localhost -p $DB_PORT -U postgres svcaccounts"
else
    export DATABASE_URL
    [[ -z "${DATABASE_USER+x}" ]] || export DATABASE_USER
    [[ -z "${DATABASE_PASSWORD+x}" ]] || export DATABASE_PASSWORD
    DB_DESCRIPTION="$DATABASE_URL (from DATABASE_URL; no database started)"
fi
export COMMAND_PORT QUERY_PORT

# ---------------------------------------------------------------- applications
start_app "command side" "$COMMAND_JAR" "$COMMAND_PORT" "$LOGS/command-side.log" "${COMMAND_JAVA_OPTS[@]}"
COMMAND_PID=$APP_PID
start_app "query side" "$QUERY_JAR" "$QUERY_PORT" "$LOGS/query-side.log" "${QUERY_JAVA_OPTS[@]}"
QUERY_PID=$APP_PID

case $TOKEN_SOURCE in
    env) token_line="the one in OPERATOR_TOKEN (${OPERATOR_TOKEN:0:4}...${OPERATOR_TOKEN: -4})" ;;
    file) token_line="$OPERATOR_TOKEN  (saved in $TOKEN_FILE)" ;;
    generated) token_line="$OPERATOR_TOKEN  (new; saved in $TOKEN_FILE)" ;;
esac
case $KEY_SOURCE in
    env) key_line="$AUDIT_SIGNING_KEY_FILE  (from AUDIT_SIGNING_KEY_FILE; key id $KEY_ID)" ;;
    file) key_line="$AUDIT_SIGNING_KEY_FILE  (key id $KEY_ID)" ;;
    generated) key_line="$AUDIT_SIGNING_KEY_FILE  (new, key id $KEY_ID: back it up)" ;;
esac
cat <<EOF

  Service accounts is running.
    command side   http://localhost:$COMMAND_PORT    Swagger UI http://localhost:$COMMAND_PORT/swagger-ui.html
    query side     http://localhost:$QUERY_PORT    Swagger UI http://localhost:$QUERY_PORT/swagger-ui.html
    operator       $token_line
    audit key      $key_line
                   its public key, for auditors: GET http://localhost:$QUERY_PORT/v1/audit/public-key
    database       $DB_DESCRIPTION
    logs           $LOGS
  Stop with Ctrl-C (or kill -TERM $$): stops the query side, the command side, then the database.

EOF

# ---------------------------------------------------------------- watch
while true; do
    alive "$QUERY_PID" || died "query side" "$QUERY_PID" "$LOGS/query-side.log"
    alive "$COMMAND_PID" || died "command side" "$COMMAND_PID" "$LOGS/command-side.log"
    [[ -z "$DB_PID" ]] || alive "$DB_PID" || died "embedded PostgreSQL" "$DB_PID" "$LOGS/database.log"
    sleep 1
done
