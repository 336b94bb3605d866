"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, started with
pg_ctl on a free loopback port, stopped afterwards.

PostgreSQL refuses to run as root, so where the tests run as root (CI does) the cluster is
made and run as the unprivileged `nobody`. Durability is switched off (fsync, synchronous
commit, full-page writes): the cluster lives for one test session.

The server needs a password over TCP (MD5: a SCRAM exchange costs both sides thousands of hash
rounds on every connection) so that the tests can check what a wrong one does. Each test gets a
database of its own (tests/conftest.py: a copy of a template holding rel's schema, or an empty
one).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

USER = "rel"
PASSWORD = "rel-test-secret"
_databases = count(1)


def postgres_bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None where PostgreSQL is absent.

    `REL_TEST_PG_BIN` names it explicitly; otherwise the newest /usr/lib/postgresql/N/bin,
    then whatever `pg_config --bindir` says."""
    named = os.environ.get("REL_TEST_PG_BIN")
    if named:
        return Path(named) if (Path(named) / "initdb").exists() else None
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        folder = Path(out.stdout.strip())
        if (folder / "initdb").exists():
            return folder
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user() -> tuple[list[str], int | None]:
    """The command prefix and uid to run the server's programs as (nobody, when root)."""
    if os.geteuid() != 0:
        return [], None
    import pwd

    nobody = pwd.getpwnam("nobody")
    return ["runuser", "-u", "nobody", "--"], nobody.pw_uid


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bin_dir: Path

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def url(self, database: str, *, password: bool = False) -> str:
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{USER}{secret}@{self.host}:{self.port}/{database}"

    def admin(self):
        """A psycopg connection to the `postgres` database, autocommit."""
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=USER,
            password=PASSWORD,
            dbname="postgres",
            autocommit=True,
        )

    def create_database(self, prefix: str = "t", *, template: str = "template0") -> str:
        """A new database, a copy of `template` (empty by default); its name."""
        name = f"{prefix}_{os.getpid()}_{next(_databases)}"
        with self.admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        prefix, _ = _as_server_user()
        subprocess.run(
            [*prefix, str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"),
             "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )  # fmt: skip


def start_server(folder: Path | None = None) -> PostgresServer:
    """initdb and start a cluster under `folder` (a new folder in the system's temporary
    folder by default, which `nobody` can reach when the tests run as root); raises
    RuntimeError with the server's log when it cannot."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL binaries not found")
    prefix, uid = _as_server_user()
    if folder is None:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="rel-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    data, socket_dir, log = folder / "data", folder / "socket", folder / "server.log"
    socket_dir.mkdir(exist_ok=True)
    password_file = folder / "password"
    password_file.write_text(PASSWORD + "\n")
    if uid is not None:
        for path in (folder, socket_dir, password_file):
            os.chown(path, uid, -1)
    subprocess.run(
        [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", USER,
         f"--pwfile={password_file}", "--auth-host=md5", "--auth-local=trust",
         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    password_file.unlink()
    port = _free_port()
    options = (
        f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    started = subprocess.run(
        [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
         "-w", "-t", "60", "start"],
        capture_output=True, text=True,
    )  # fmt: skip
    if started.returncode != 0:
        text = log.read_text(errors="replace") if log.exists() else started.stderr
        raise RuntimeError(f"PostgreSQL did not start: {text[-2000:]}")
    server = PostgresServer(folder, port, bin_dir)
    for _ in range(100):
        try:
            with server.admin() as admin:
                # Each test's commands connect dozens of times; a SCRAM exchange costs both
                # sides thousands of hash rounds, an MD5 one a single hash. A wrong password
                # is refused all the same.
                admin.execute("SET password_encryption = 'md5'")
                admin.execute(f"ALTER ROLE {USER} PASSWORD '{PASSWORD}'")
            break
        except Exception:
            time.sleep(0.05)
    return server


@contextlib.contextmanager
def running_server(folder: Path | None = None) -> Iterator[PostgresServer]:
    server = start_server(folder)
    try:
        yield server
    finally:
        server.stop()
        if folder is None:
            shutil.rmtree(server.folder, ignore_errors=True)
