"""A throwaway PostgreSQL store for benchmarks/run.py, filled by `rel store copy`.

    python benchmarks/postgres_store.py STORE

Starts a PostgreSQL server on a free loopback port (tests/postgres_server.py: initdb in a
temporary folder, run as `nobody` when root, durability off), creates a database and fills it
with `rel store copy STORE postgresql://...`, rel's own write path. Then it prints one line,
`url postgresql://rel@127.0.0.1:PORT/DB` (the password is in `postgres_server.PASSWORD`, given
to rel through PGPASSWORD, never printed), or `skip REASON` when it cannot, and waits until its
standard input is closed; then the server is stopped and its folder removed.

It is a process of its own so that run.py stays small: the peak memory a child reports
includes its parent's when it was started (and psycopg is imported here, not there).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REL = str(Path(sys.executable).with_name("rel"))


def postgres_server():
    """tests/postgres_server.py, imported by its path (tests/ is no package of rel's)."""
    spec = importlib.util.spec_from_file_location(
        "rel_bench_postgres_server", ROOT / "tests" / "postgres_server.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def say(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    [store] = sys.argv[1:]
    server_module = postgres_server()
    if server_module.postgres_bin_dir() is None:
        say("skip PostgreSQL binaries not found (apt-get install postgresql)")
        sys.stdin.read()
        return
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(server_module.running_server())
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            say(f"skip PostgreSQL did not start: {str(error).splitlines()[0][:200]}")
            sys.stdin.read()
            return
        database = server.create_database("bench")
        url = server.url(database)  # without the password
        copied = subprocess.run(
            [REL, "store", "copy", store, url],
            env={**os.environ, "PGPASSWORD": server_module.PASSWORD},
            capture_output=True,
            text=True,
        )
        if copied.returncode != 0:
            reason = copied.stderr.strip() or copied.stdout.strip()
            say(
                f"skip rel store copy failed: {reason.replace(server_module.PASSWORD, '***')[:300]}"
            )
        else:
            say(f"url {url}")
        sys.stdin.read()  # until run.py is done with it (or gone); then the server stops


if __name__ == "__main__":
    main()
