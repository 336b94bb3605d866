"""Where the store lives, resolved at call time (never at import time).

Order: the global `--db` option, then `REL_DB`, then the platform's user data folder
(`$XDG_DATA_HOME/rel/rel.db` on Linux). A value is a path to an SQLite file, or a URL:
`sqlite:///PATH` names the same file as PATH; `postgresql://USER@HOST:PORT/DATABASE` (also
`postgres://` and `postgresql+psycopg://`, as libpq and SQLAlchemy spell it) a PostgreSQL
database, reached with psycopg 3. Anything that cannot hold a store (a blank value, an
in-memory `sqlite://`, a server URL this version does not speak) is refused in one line before
anything is created, with any password in it masked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoreLocation:
    """The resolved store: an SQLAlchemy URL, and the file path when it is an SQLite file."""

    url: str
    path: Path | None

    def __str__(self) -> str:
        """The store as it may be shown: its path, or its URL without a password."""
        if self.path is not None:
            return str(self.path)
        return masked(self.url).replace("+psycopg://", "://", 1)

    @property
    def engine(self) -> str:
        """ "sqlite" or "postgresql"."""
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"

    @property
    def server(self) -> str:
        """Where a PostgreSQL store is, for messages: `database db on host:port` (no user,
        no password)."""
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        try:
            host = parts.hostname or "localhost"
            port = parts.port or 5432
        except ValueError:
            host, port = parts.netloc.rpartition("@")[2] or "localhost", None
        database = parts.path.lstrip("/") or "(none)"
        where = f"{host}:{port}" if port else host
        return f"database {database!r} on {where}"


def default_store_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("rel", appauthor=False) / "rel.db"


def resolve_store(option: str | None = None) -> StoreLocation:
    """The store named by `--db`, else `REL_DB`, else the default file in the user data dir."""
    from rel.errors import BadValue, shown

    source = "--db" if option is not None else "REL_DB"
    value = option if option is not None else os.environ.get("REL_DB")
    if value is None or (value == "" and option is None):
        return file_location(default_store_path())
    if not value.strip():
        raise BadValue(
            f"expected a store for {source}: a file path or sqlite:///PATH; got {shown(value)}"
        )
    if "://" not in value:
        return file_location(Path(value).expanduser())
    scheme, _, rest = value.partition("://")
    if scheme.lower() in ("sqlite", "sqlite+pysqlite"):
        path = rest[1:] if rest.startswith("/") else rest
        if not path or path.startswith("?") or path == ":memory:":
            raise BadValue(
                f"an in-memory store ({shown(masked(value))}) keeps nothing; "
                f"give {source} a file: a path or sqlite:///PATH"
            )
        return file_location(Path(path.split("?", 1)[0]).expanduser())
    if scheme.lower() in POSTGRESQL_SCHEMES:
        return postgresql_location(rest, source)
    raise BadValue(
        f"rel keeps its store in an SQLite file or a PostgreSQL database; {source} is "
        f"{shown(masked(value))}: give a file path, sqlite:///PATH or "
        "postgresql://USER@HOST:PORT/DATABASE"
    )


POSTGRESQL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg3")


def postgresql_location(rest: str, source: str) -> StoreLocation:
    """A PostgreSQL database, its URL spelled for SQLAlchemy's psycopg 3 driver; a URL that
    names no database or has a port that is no number is refused before any connection."""
    from urllib.parse import urlsplit

    from rel.errors import BadValue, shown

    url = f"postgresql+psycopg://{rest}"
    example = "postgresql://USER@HOST:PORT/DATABASE"
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port == -1 or (port is not None and not 0 < port < 65536):
        raise BadValue(
            f"the port in {source} ({shown(masked('postgresql://' + rest))}) is not a "
            f"number from 1 to 65535; expected {example}"
        )
    if not parts.path.strip("/"):
        raise BadValue(
            f"{source} ({shown(masked('postgresql://' + rest))}) names no database; "
            f"expected {example}"
        )
    return StoreLocation(url=url, path=None)


def masked(url: str) -> str:
    """A URL as it may be shown: any password replaced by ***."""
    import re

    url = re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


def file_location(path: Path) -> StoreLocation:
    path = path.absolute()
    return StoreLocation(url=f"sqlite:///{path}", path=path)


def seed_network_path() -> Path:
    """The sample network: inside the installed package, or in the checkout's seeds/ folder."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "seeds" / "network.json", here.parents[1] / "seeds" / "network.json"):
        if candidate.is_file():
            return candidate
    from rel.errors import StoreError

    raise StoreError("the sample network (seeds/network.json) is missing from this installation")


POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def store_named(value: str) -> StoreLocation:
    """A store named on the command line (`rel store copy SRC DEST`): what --db takes, or a
    PostgreSQL URL, postgresql://user@host[:port]/db (spoken to with psycopg 3)."""
    scheme, _, rest = value.partition("://")
    if rest and scheme.lower() in POSTGRES_SCHEMES:
        return StoreLocation(url=f"postgresql+psycopg://{rest}", path=None)
    return resolve_store(value)
