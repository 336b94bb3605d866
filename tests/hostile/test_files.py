"""Every file rel writes or reads, attacked: the store as an export's target, links, umasks,
killed backups, FIFOs, devices, endless stdin, Ctrl-C while rel starts."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_installed

pytestmark = pytest.mark.sqlite_only  # files written beside an SQLite store never replace it


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def store(rel, store_path: Path) -> Path:
    rel("add", "Alice Chen", "--email", "alice@example.com", "--every", "2w", ok=True)
    rel("remind", "alice", "send the deck", "--on", "2026-03-05", ok=True)
    return store_path


# --- 1. never over the store --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "json", "ics", "vcard"])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_an_export_over_the_store_or_its_files_is_refused_and_changes_nothing(
    rel, store: Path, kind: str, suffix: str
) -> None:
    target = Path(f"{store}{suffix}")
    if not target.exists():
        target.write_bytes(b"")
    before = digest(store), digest(target)
    result = rel("export", kind, "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "it is the store" in result.stderr
    assert (digest(store), digest(target)) == before
    assert rel("list", ok=True).stdout.count("Alice Chen") == 1


def test_an_export_over_a_backup_or_any_sqlite_file_is_refused(rel, store: Path) -> None:
    backup = Path(rel("backup", ok=True).stdout.strip())
    elsewhere = store.parent.parent / "copy.db"
    elsewhere.write_bytes(backup.read_bytes())
    for target in (backup, elsewhere):
        before = digest(target)
        result = rel("export", "csv", "-o", str(target))
        assert result.exit_code == 1, target
        assert "store" in result.stderr or "SQLite database" in result.stderr
        assert digest(target) == before


def test_the_same_store_by_another_name_is_still_the_store(rel, store: Path) -> None:
    link = store.parent / "hard.db"
    os.link(store, link)
    result = rel("export", "json", "-o", str(link))
    assert result.exit_code == 1 and "it is the store" in result.stderr


# --- 7. private, whole, and never through a link --------------------------------------------


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_exports_are_private_whatever_the_umask(rel, store: Path, tmp_path: Path, umask) -> None:
    previous = os.umask(umask)
    try:
        target = tmp_path / "out.csv"
        rel("export", "csv", "-o", str(target), ok=True)
    finally:
        os.umask(previous)
    assert mode(target) == 0o600
    assert "alice@example.com" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_exporting_over_an_existing_file_leaves_a_private_one(rel, store, tmp_path: Path) -> None:
    for existing in (0o600, 0o644, 0o666):
        target = tmp_path / f"out-{existing:o}.json"
        target.write_text("old", encoding="utf-8")
        os.chmod(target, existing)
        rel("export", "json", "-o", str(target), ok=True)
        assert mode(target) == 0o600
        assert target.read_text(encoding="utf-8").startswith("{")


def test_an_export_at_a_symlink_is_refused_and_the_link_kept(rel, store, tmp_path: Path) -> None:
    real = tmp_path / "real.ics"
    real.write_text("mine", encoding="utf-8")
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.ics"
    dangling.symlink_to(tmp_path / "nowhere.ics")
    for target in (link, dangling):
        result = rel("export", "ics", "-o", str(target))
        assert result.exit_code == 1 and "symbolic link" in result.stderr
        assert target.is_symlink()
    assert real.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "nowhere.ics").exists()


def test_an_export_to_a_device_or_folder_is_refused(rel, store, tmp_path: Path) -> None:
    for target in ("/dev/null", str(tmp_path)):
        result = rel("export", "csv", "-o", target)
        assert result.exit_code == 1 and "not a regular file" in result.stderr


def test_the_helper_creates_its_temporary_file_private_with_o_excl(tmp_path: Path) -> None:
    from rel.files import write_private

    folder = tmp_path / "out"
    folder.mkdir()
    previous = os.umask(0)
    try:
        write_private(folder / "a.txt", b"x" * 100_000)
    finally:
        os.umask(previous)
    assert mode(folder / "a.txt") == 0o600
    assert [p.name for p in folder.iterdir()] == ["a.txt"]


def test_demo_and_backup_create_private_folders_all_the_way_down(rel, store, tmp_path) -> None:
    previous = os.umask(0)
    try:
        backup = tmp_path / "b1" / "b2" / "b.db"
        rel("backup", str(backup), ok=True)
        demo = tmp_path / "d1" / "d2" / "demo.db"
        rel("demo", "--out", str(demo), ok=True)
    finally:
        os.umask(previous)
    for folder in (tmp_path / "b1", tmp_path / "b1" / "b2", tmp_path / "d1", tmp_path / "d1/d2"):
        assert mode(folder) == 0o700, folder
    assert mode(backup) == 0o600 and mode(demo) == 0o600


def test_demo_and_backup_refuse_a_symlink(rel, store, tmp_path: Path) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    for args in (("demo", "--out", str(link)), ("backup", str(link))):
        result = rel(*args)
        assert result.exit_code == 1 and "symbolic link" in result.stderr, args
        assert link.is_symlink() and not (tmp_path / "elsewhere.db").exists()


# --- 3. backups: whole or absent; a suspicious store inspected read-only ---------------------

KILLED_BACKUP = textwrap.dedent(
    """
    import os, sqlite3, sys
    source = sqlite3.connect(sys.argv[1])
    open(sys.argv[2], "wb").close()
    destination = sqlite3.connect(sys.argv[2])
    destination.execute("PRAGMA cache_size = 1")  # pages reach the file before the commit
    def progress(status, remaining, total):
        if remaining <= 2:
            os._exit(9)  # killed near its end
    source.backup(destination, pages=1, progress=progress)
    """
)


def test_a_store_with_the_hot_journal_of_a_killed_copy_is_refused_untouched(
    rel, store: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "killed.db"
    subprocess.run([sys.executable, "-c", KILLED_BACKUP, str(store), str(copy)], check=False)
    journal = Path(f"{copy}-journal")
    assert journal.exists()
    copy.write_bytes(store.read_bytes())  # as if every page had been written, header too
    before = digest(copy), digest(journal)
    for args in (("list",), ("due",), ("add", "Bob")):
        result = rel("--db", str(copy), *args)
        assert result.exit_code == 1, args
        assert "unfinished write" in result.stderr and "left untouched" in result.stderr
        assert (digest(copy), digest(journal)) == before


def test_a_truncated_backup_is_refused_untouched(rel, store: Path, tmp_path: Path) -> None:
    backup = Path(rel("backup", ok=True).stdout.strip())
    cut = tmp_path / "cut.db"
    cut.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    before = digest(cut)
    result = rel("--db", str(cut), "list")
    assert result.exit_code == 1 and "cut short" in result.stderr
    assert digest(cut) == before


def test_a_backup_is_written_under_a_temporary_name_then_linked(
    rel, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, list[str], int]] = []
    link = os.link

    def watching(source, target, *args, **kwargs):
        names = sorted(p.name for p in store.parent.iterdir())
        seen.append((Path(source).name, names, Path(source).stat().st_size))
        return link(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", watching)
    backup = Path(rel("backup", ok=True).stdout.strip())
    [(staging, names, size)] = seen
    assert staging.startswith(f".{backup.name}.tmp-") and backup.name not in names
    assert size == backup.stat().st_size  # complete before it gets its name
    assert mode(backup) == 0o600
    listing = rel("backup", "--list", ok=True).stdout
    assert backup.name in listing and ".tmp-" not in listing
    assert not [p for p in store.parent.iterdir() if ".tmp-" in p.name]


# --- 6. what rel reads: regular files only, bounded ------------------------------------------


def test_a_fifo_as_the_store_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    result = run_installed("--db", str(fifo), "list")  # a hang would time out
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not a regular file" in result.stderr


def test_a_fifo_device_or_folder_to_import_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "cards.vcf"
    os.mkfifo(fifo)
    for source in (str(fifo), "/dev/zero", str(tmp_path)):
        result = run_installed("import", "vcard", source)
        assert result.returncode == 1, source
        assert result.stderr.count("\n") == 1 and "not a regular file" in result.stderr


def test_reading_is_bounded(rel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rel import files

    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 1000)
    big = tmp_path / "big.vcf"
    big.write_text("BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n" * 100, encoding="utf-8")
    for args, stdin in (((str(big),), None), (("-",), big.read_text(encoding="utf-8"))):
        result = rel("import", "vcard", *args, input=stdin)
        assert result.exit_code == 1 and "at most" in result.stderr
    listed = rel("list", ok=True)
    assert "empty" in listed.stdout + listed.stderr


@pytest.mark.parametrize(
    ("command", "module"),
    [
        ("tags", "rel.cli.app"),  # the command layer's modules
        ("list", "rel.quick_spec"),  # an everyday command, without the command layer
        ("list", "rel.commands.contacts"),  # its body, once rel's own handler is back
    ],
)
def test_ctrl_c_while_rel_starts_exits_130_quietly(tmp_path: Path, command, module) -> None:
    # deterministic: the interrupt arrives while one of rel's modules is being imported
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        # Ctrl-C as in a terminal (a test process may have been started with it ignored)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        class Interrupt:
            def find_spec(self, name, path=None, target=None):
                if name == {module!r}:
                    os.kill(os.getpid(), signal.SIGINT)
                return None
        sys.meta_path.insert(0, Interrupt())
        sys.argv = ["rel", {command!r}]
        from rel.__main__ import main
        main()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 130
    assert result.stderr == "" and result.stdout == ""


def test_ctrl_c_at_any_moment_never_prints_a_traceback(store: Path) -> None:
    import time

    for delay in (0.3, 0.6, 1.0):
        process = subprocess.Popen(
            [sys.executable, "-m", "rel", "due"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        assert process.returncode in (0, 130), (delay, err)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err
