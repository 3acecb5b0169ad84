#!/usr/bin/env bash
# Writes docs/openapi/command-side.json and docs/openapi/query-side.json from the applications as built from this
# work tree: builds the modules (no tests), starts both sides on an embedded PostgreSQL and saves what they serve at
# /v3/api-docs (OpenApiContractIT with -Dopenapi.write=true). Commit the files; the diff is the change of contract.
# Extra arguments go to Maven (e.g. -o, -Dmaven.repo.local=...).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q install -DskipTests -pl '!system-tests,!bench' "$@"
mvn -B verify -pl system-tests -Dit.test=OpenApiContractIT -Dopenapi.write=true -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false "$@"
