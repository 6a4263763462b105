#!/usr/bin/env bash
# Make PostgreSQL server binaries available for the store tests.
#
# The tests start their own throwaway cluster (tests/pg.py: initdb + pg_ctl in a temporary folder, as
# the `postgres` OS user when run as root, on 127.0.0.1 and a free port), so CI only needs the Debian
# binaries under /usr/lib/postgresql/<version>/bin. Nothing is started here. Idempotent: when the
# binaries are there (or EVENTSIFT_TEST_PG_URL points at a server) it exits at once.
set -euo pipefail

have_binaries() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}

if [[ -n "${EVENTSIFT_TEST_PG_URL:-}" ]]; then
    echo "start-postgres: EVENTSIFT_TEST_PG_URL is set; the tests use that server"
    exit 0
fi
if have_binaries; then
    echo "start-postgres: PostgreSQL binaries present: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "start-postgres: need root or sudo to install postgresql" >&2; exit 1; }
    SUDO="sudo"
fi

# The tests bring their own cluster: keep the package from creating and starting a default one.
$SUDO mkdir -p /etc/postgresql-common
if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

echo "start-postgres: installing postgresql with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null

have_binaries || { echo "start-postgres: postgresql installed but no binaries under /usr/lib/postgresql" >&2; exit 1; }
id postgres >/dev/null 2>&1 || { echo "start-postgres: no 'postgres' OS user after install" >&2; exit 1; }
echo "start-postgres: ready: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
