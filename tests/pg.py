"""PostgreSQL for the tests, so every store test runs on SQLite and on PostgreSQL alike.

``pg_url`` (session) gives the URL of a database the tests may wipe:

1. ``EVENTSIFT_TEST_PG_URL`` if set (``postgresql://user:pass@host:port/db``). A scratch database
   ``eventsift_test_<hex>`` is created through it and dropped at the end; if the role may not create
   databases, the given database itself is used, so point it at a throwaway database. A server that
   cannot be reached fails the PostgreSQL tests rather than skipping them: it was asked for.
2. Otherwise, when Debian's PostgreSQL binaries are installed (``/usr/lib/postgresql/<v>/bin``, see
   ``.ci/start-postgres.sh``), a throwaway cluster in a temporary folder: ``initdb`` with trust auth, a
   server listening only on 127.0.0.1 on a free port (and a socket in that folder), fsync off. As root
   it runs as the ``postgres`` OS user through ``runuser``, since postgres refuses to run as root. It
   is stopped and deleted when the session ends.
3. Otherwise the PostgreSQL tests are skipped, with the reason.

``pg_db_url`` (per test) is ``pg_url`` with eventsift's tables dropped, so migrations start from an
empty schema every test. ``db_url`` is parametrized over a fresh SQLite file and ``pg_db_url``; the
PostgreSQL case carries the ``postgres`` marker (deselect with ``-m "not postgres"``).
"""

from __future__ import annotations

import atexit
import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url

from eventsift.store.store import metadata

__all__ = ["ENV_VAR", "db_url", "pg_db_url", "pg_url"]

logger = logging.getLogger(__name__)

ENV_VAR = "EVENTSIFT_TEST_PG_URL"
DEBIAN_BINARIES = Path("/usr/lib/postgresql")
TEST_DATABASE = "eventsift_test"
# Every table the migrations create (the store's tables mirror them; test_store checks), children first.
EVENTSIFT_TABLES = (*(t.name for t in reversed(metadata.sorted_tables)), "alembic_version")
START_TIMEOUT_S = 60


class ClusterError(RuntimeError):
    """The throwaway cluster could not be set up."""


# ----------------------------------------------------------------------------- URLs and databases


def _libpq(url: URL) -> str:
    """A libpq connection URI (psycopg does not read SQLAlchemy driver names)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _admin(url: URL) -> psycopg.Connection:
    return psycopg.connect(_libpq(url), autocommit=True, connect_timeout=10)


def _create_database(url: URL, name: str) -> None:
    with _admin(url) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def _drop_database(url: URL, name: str) -> None:
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _scratch_database(given: str) -> Iterator[str]:
    """A scratch database created through the given URL, or the given database itself."""
    url = make_url(given)
    name = f"eventsift_test_{secrets.token_hex(4)}"
    try:
        _create_database(url, name)
    except psycopg.errors.InsufficientPrivilege:
        logger.warning("%s: cannot create databases; using %s itself", ENV_VAR, url.database)
        yield _libpq(url)
        return
    except psycopg.OperationalError as exc:  # asked for explicitly, so a loud failure, not a skip
        pytest.fail(f"PostgreSQL tests: cannot connect to {ENV_VAR}: {' '.join(str(exc).split())}")
    try:
        yield _libpq(url.set(database=name))
    finally:
        _drop_database(url, name)


def reset_database(url: str) -> None:
    """Drop eventsift's tables (and the Alembic version table) so migrations start from scratch."""
    with _admin(make_url(url)) as conn:
        conn.execute("SET lock_timeout = '10s'")
        conn.execute(f"DROP TABLE IF EXISTS {', '.join(EVENTSIFT_TABLES)} CASCADE")


# --------------------------------------------------------------------------- throwaway cluster


def find_binaries() -> Path | None:
    """The newest Debian PostgreSQL ``bin`` folder that has initdb and pg_ctl."""
    candidates = [p / "bin" for p in DEBIAN_BINARIES.glob("*") if (p / "bin" / "pg_ctl").exists()]
    candidates = [p for p in candidates if (p / "initdb").exists()]
    return max(candidates, key=lambda p: _version_key(p.parent.name), default=None)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """A PostgreSQL cluster in a temporary folder, owned by the ``postgres`` user when we are root."""

    bin_dir: Path
    root: Path
    port: int = 0
    running: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, timeout=START_TIMEOUT_S, check=False
        )
        if result.returncode != 0:
            output = " ".join((result.stderr or result.stdout).split())[-500:]
            raise ClusterError(f"{args[0]} failed ({result.returncode}): {output}")

    def init(self) -> None:
        base = ("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        try:
            self._run(*base, "--locale=C.UTF-8")
        except ClusterError:
            self._run(*base, "--no-locale")

    def start(self) -> None:
        last: ClusterError | None = None
        for _attempt in range(3):  # a free port can be taken between choosing and binding
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                )
            except ClusterError as exc:
                last = exc
                continue
            self.running = True
            return
        raise ClusterError(f"{last}; server log: {self._log_tail()}")

    def stop(self) -> None:
        if self.running:
            self.running = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except (ClusterError, subprocess.TimeoutExpired) as exc:
                logger.warning("could not stop test PostgreSQL cluster: %s", exc)
        shutil.rmtree(self.root, ignore_errors=True)

    def _log_tail(self) -> str:
        try:
            return " ".join(self.log.read_text(errors="replace").split())[-500:]
        except OSError:
            return "(no log)"


def _cluster_user_check() -> str | None:
    """Why a cluster cannot be started from here, or None if it can."""
    if os.geteuid() != 0:
        return None
    if shutil.which("runuser") is None:
        return "running as root and runuser is missing (postgres refuses to run as root)"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "running as root and there is no 'postgres' OS user to run the server as"
    return None


def start_cluster(bin_dir: Path) -> Cluster:
    """initdb and start a throwaway cluster; create the test database."""
    root = Path(tempfile.mkdtemp(prefix="eventsift-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(bin_dir, root)
    atexit.register(cluster.stop)
    try:
        cluster.init()
        cluster.start()
        _create_database(make_url(cluster.url()), TEST_DATABASE)
    except (ClusterError, OSError, subprocess.TimeoutExpired, psycopg.Error):
        cluster.stop()
        raise
    logger.info("started test PostgreSQL %s on 127.0.0.1:%d in %s", bin_dir.parent.name, cluster.port, root)
    return cluster


# ----------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL database the tests may wipe (or skip, saying why there is none)."""
    given = os.environ.get(ENV_VAR)
    if given:
        yield from _scratch_database(given)
        return
    bin_dir = find_binaries()
    if bin_dir is None:
        pytest.skip(
            f"PostgreSQL tests: set {ENV_VAR}, or install PostgreSQL (.ci/start-postgres.sh) so the "
            f"tests can start a throwaway cluster (no binaries under {DEBIAN_BINARIES})"
        )
    why_not = _cluster_user_check()
    if why_not:
        pytest.skip(f"PostgreSQL tests: cannot start a throwaway cluster: {why_not}; set {ENV_VAR}")
    try:
        cluster = start_cluster(bin_dir)
    except (ClusterError, OSError, subprocess.TimeoutExpired, psycopg.Error) as exc:
        pytest.skip(f"PostgreSQL tests: throwaway cluster did not start: {exc}")
    try:
        yield cluster.url(TEST_DATABASE)
    finally:
        cluster.stop()


@pytest.fixture
def pg_db_url(pg_url: str) -> str:
    """``pg_url`` with eventsift's tables dropped: an empty schema for this test."""
    reset_database(pg_url)
    return pg_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL with no eventsift schema yet: a SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'eventsift.db'}"
    return str(request.getfixturevalue("pg_db_url"))
