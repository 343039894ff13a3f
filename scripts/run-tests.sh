#!/usr/bin/env bash
# The whole suite, on SQLite and on a private PostgreSQL cluster started here and stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# As root every real component can be installed: a missing one is then a failure, not a skip.
if [ "$(id -u)" -eq 0 ]; then export MUTUPARC_REQUIRE_ALL=1; fi
$BIN/ruff check .
$BIN/ruff format --check .
if cluster=$($BIN/python -m tests.support.pgcluster start); then
    eval "$cluster"
    trap '$BIN/python -m tests.support.pgcluster stop --dir "$MUTUPARC_TEST_PG_DIR"' EXIT
    echo "PostgreSQL test cluster: $MUTUPARC_TEST_PG_URL"
fi
# Two workers, one per CI core; a module's tests stay on one worker so that its servers and
# browser are started once. MUTUPARC_TEST_WORKERS=0 runs everything in this process.
$BIN/python -m pytest -n "${MUTUPARC_TEST_WORKERS:-2}" --dist loadfile "$@"
