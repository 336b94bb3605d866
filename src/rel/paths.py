"""Where the store lives, resolved at call time (never at import time).

Order: the global `--db` option, then `REL_DB`, then the platform's user data folder
(`$XDG_DATA_HOME/rel/rel.db` on Linux). A value containing `://` is an SQLAlchemy URL and is
passed through untouched; anything else is a path to an SQLite file.
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
        return str(self.path) if self.path is not None else self.url


def default_store_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("rel", appauthor=False) / "rel.db"


def resolve_store(option: str | None = None) -> StoreLocation:
    """The store named by `--db`, else `REL_DB`, else the default file in the user data dir."""
    value = option or os.environ.get("REL_DB") or ""
    if "://" in value:
        return StoreLocation(url=value, path=None)
    path = Path(value).expanduser() if value else default_store_path()
    return file_location(path)


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
