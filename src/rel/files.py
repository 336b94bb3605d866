"""Every file rel reads or writes outside its store goes through here.

Reading (`read_input`): only regular files (or stdin), and never more than `MAX_INPUT_BYTES`:
a device such as /dev/zero, a FIFO or a folder is refused in one line instead of hanging or
filling the memory.

Writing (`write_private`): the text goes to a new temporary file in the same folder (created
0600 with O_EXCL, so it is private from its first byte and never someone else's file), is
flushed and fsynced, and is renamed over the target: a reader sees the old file or the whole
new one, never half of it, and a crash leaves at most a `.NAME.tmp-…` file beside it. A
symbolic link at the target is refused (replacing it would silently drop the link; writing
through it would write somewhere the person did not name), and so is anything that is not a
regular file, the store itself, its -wal / -shm / -journal files, and any SQLite database (a
store or a backup): an export never overwrites data.

Folders rel creates (`make_private_dirs`) are 0700, every one of them, not only the last.

A folder of files (`write_folder`, a calendar vdir): each file written as above and only when
its content changed; a file that is no longer wanted removed only when rel recognises it as one
it wrote; any other file in the folder is never touched.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rel.errors import BadValue

# The largest file `rel import` reads: far above any real address book (a 20,000-card vCard
# with photos is about 100 MB), and small enough that reading it cannot exhaust the memory.
MAX_INPUT_BYTES = 256 * 1024 * 1024
SQLITE_HEADER = b"SQLite format 3\x00"
STORE_COMPANIONS = ("-wal", "-shm", "-journal")
_CHUNK = 1024 * 1024


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):,.0f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def read_input(name: str) -> bytes:
    """The bytes of the file `name` (`-`: stdin), refused in one line when it is not a regular
    file or is larger than MAX_INPUT_BYTES."""
    if name == "-":
        return _read_bounded(sys.stdin.buffer.read, "stdin")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; checked right after
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise BadValue(f"cannot read {name}: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BadValue(f"cannot read {name}: {_kind_of(info.st_mode)}, not a regular file")
        if info.st_size > MAX_INPUT_BYTES:
            raise BadValue(_too_large(name, info.st_size))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return _read_bounded(handle.read, name)
    except OSError as error:
        raise BadValue(f"cannot read {name}: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _read_bounded(read: Callable[[int], bytes], name: str) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > MAX_INPUT_BYTES:
            raise BadValue(_too_large(name, total, at_least=True))
        parts.append(chunk)


def _too_large(name: str, size: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"cannot read {name}: it is {more}{_size(size)}; rel reads files of at most "
        f"{_size(MAX_INPUT_BYTES)} (split it, or check it is the file you meant)"
    )


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder"
    if stat.S_ISFIFO(mode):
        return "it is a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device"
    if stat.S_ISSOCK(mode):
        return "it is a socket"
    return "it is a special file"


# --- writing ------------------------------------------------------------------------------


def protected_paths(store: Path | None) -> list[Path]:
    """The store and its companion files: never the target of a write other than SQLite's."""
    if store is None:
        return []
    return [store, *(store.with_name(store.name + suffix) for suffix in STORE_COMPANIONS)]


def check_target(path: Path, protected: Iterable[Path] = (), *, what: str = "write") -> None:
    """Refuse, in one line, a target rel must not replace (see the module's docstring)."""
    for other in protected:
        if _same(path, other):
            raise BadValue(
                f"cannot {what} {path}: it is the store {other} (or one of its files); "
                "choose another file"
            )
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise BadValue(f"cannot {what} {path}: {error.strerror or error}") from None
    if stat.S_ISLNK(info.st_mode):
        raise BadValue(
            f"cannot {what} {path}: it is a symbolic link, and rel does not replace links or "
            "write through them; give the path of the file itself"
        )
    if not stat.S_ISREG(info.st_mode):
        raise BadValue(f"cannot {what} {path}: {_kind_of(info.st_mode)}, not a regular file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        header = b""
    if header == SQLITE_HEADER:
        raise BadValue(
            f"cannot {what} {path}: it is an SQLite database (a rel store or backup?); "
            "rel does not write over one: choose another file"
        )


def _same(path: Path, other: Path) -> bool:
    try:
        if os.path.samefile(path, other):
            return True
    except OSError:
        pass
    return os.path.abspath(path) == os.path.abspath(other)


def write_private(path: Path, data: bytes, protected: Iterable[Path] = ()) -> None:
    """Write `data` to `path` whole, private to the user (0600), as the module describes."""
    check_target(path, protected)
    folder = path.parent
    temporary = folder / f".{path.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise BadValue(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        check_target(path, protected)  # nothing slipped in while it was written
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BadValue(f"cannot write {path}: {error.strerror or error}") from None
        raise
    sync_folder(folder)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and every missing folder above it, each 0700 (umask or not)."""
    missing: list[Path] = []
    current = folder.absolute()
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for item in reversed(missing):
        try:
            os.mkdir(item, 0o700)
        except FileExistsError:
            continue
        os.chmod(item, 0o700)  # mkdir's mode is filtered by the umask


@dataclass(frozen=True)
class FolderWrite:
    """What `write_folder` did: files written (new or changed), left as they were, removed."""

    written: int
    unchanged: int
    removed: int


def write_folder(
    folder: Path,
    files: dict[str, bytes],
    *,
    suffix: str,
    ours: Callable[[str, bytes], bool],
    same: Callable[[bytes, bytes], bool] = bytes.__eq__,
    protected: Iterable[Path] = (),
) -> FolderWrite:
    """Make `folder` hold `files` (name -> content), as a folder a sync program watches wants:
    the folder is created (0700) when missing; each file is written whole (`write_private`)
    only when it is new or its content is not `same` as what is there, so an unchanged file
    keeps its time and inode; and a file ending in `suffix` that is not among `files` is
    removed when `ours(name, content)` says rel wrote it, never otherwise (symbolic links,
    folders and every other file stay)."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise BadValue(f"cannot write to {folder}: {error.strerror or error}") from None
    if info is None:
        make_private_dirs(folder)
    elif not stat.S_ISDIR(info.st_mode):
        kind = "it is a file" if stat.S_ISREG(info.st_mode) else _kind_of(info.st_mode)
        raise BadValue(f"cannot write to {folder}: {kind}, not a folder")
    protected = list(protected)
    for name in files:  # every target checked before the first is written
        check_target(folder / name, protected)
    written = unchanged = removed = 0
    for name, data in files.items():
        path = folder / name
        try:
            old = path.read_bytes() if path.exists() else None
        except OSError as error:
            raise BadValue(f"cannot read {path}: {error.strerror or error}") from None
        if old is not None and same(old, data):
            unchanged += 1
            continue
        write_private(path, data, protected)
        written += 1
    try:
        present = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        raise BadValue(f"cannot read {folder}: {error.strerror or error}") from None
    for entry in present:
        if entry.name in files or not entry.name.endswith(suffix):
            continue
        if not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES)
        except OSError:
            continue
        if ours(entry.name, data):
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                continue
            except OSError as error:
                raise BadValue(f"cannot remove {entry.path}: {error.strerror or error}") from None
            removed += 1
    if removed:
        sync_folder(folder)
    return FolderWrite(written, unchanged, removed)
