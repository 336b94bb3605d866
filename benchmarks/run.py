"""Times whole `rel` processes against floors and peers measured in the same run.

    uv run python benchmarks/run.py                 # 1k and 10k stores, 7 runs each
    uv run python benchmarks/run.py --sizes 1k,10k,100k --runs 5

Bytecode is compiled first. Each command runs several times; the table gives the minimum and
the median wall time, the peak memory (RSS) of the process, and ratios against floors measured
in the same run with the same interpreter (`python -c pass`, `python -c "import sqlmodel"`, a
raw sqlite3 script computing the same overdue list) and, where they can be installed, peers:
taskwarrior's `task next` / `task add` (Debian package taskwarrior) on 10k tasks, and khard's
`khard list` (PyPI, in a throwaway venv under benchmarks/out/) on 10k cards. With 100k in the
sizes and `--busy`, `rel due` is also timed on the busy stores of 10k and 100k (generate.py).

Every store is made by rel's own write paths (generate.py): `store-N.db` holds a year of
logged history (rel's JSON import), `store-N-imported.db` is what `rel import vcard` of N cards
with `--every 3m` makes; `rel due` is timed on both, beside `task next`.

With 10k in the sizes, `rel import mbox` of 100,000 Takeout-shaped messages (generate.py
100k-mbox) into a copy of the imported 10k store is timed beside the standard library's
mailbox reading the same mbox's headers (mbox_floor.py); the target is ≤ 2 × that floor.

Every everyday command (add, edit of a contact and of a record, done, snooze, skip, why,
remind, event, gift, tag, archive, log) is timed on a fresh copy of the store, its runs taken
in turn with taskwarrior's `task add` on 10k tasks; the target is ≤ 2 × `task add`.

PostgreSQL (unless `--no-postgresql`): with 10k in the sizes, a throwaway server is started on
a loopback port (tests/postgres_server.py, by postgres_store.py), a database is filled by
`rel store copy store-10k.db postgresql://...` (rel's own write path), and `rel --db
postgresql://... due` is timed in turn with `rel due` on the SQLite store; the target is ≤ 3 ×
the SQLite time. Server and database live for the run only. Without PostgreSQL's binaries
those rows are left out, with a note.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PYTHON = sys.executable
REL = str(Path(PYTHON).with_name("rel"))
TODAY = generate.TODAY.isoformat()
# the everyday commands timed beside `task add` (target ≤ 2 ×), as the table labels them
EVERYDAY = ("rel add", "rel edit", "rel edit KEY", "rel tag", "rel archive", "rel log",
            "rel log SENTENCE", "rel done c", "rel done t", "rel snooze", "rel skip c",
            "rel skip t", "rel why", "rel remind", "rel event", "rel gift")  # fmt: skip


def run_once(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall s, peak RSS MB) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def measure(command: list[str], runs: int, env: dict[str, str] | None = None,
            prepare=None) -> tuple[float, float, float]:  # fmt: skip
    """(min s, median s, peak RSS MB) over `runs` runs, after one warm-up run."""
    times, peak = [], 0.0
    for index in range(runs + 1):
        if prepare is not None:
            prepare()
        elapsed, rss = run_once(command, env)
        if index:  # the first run warms the disk cache
            times.append(elapsed)
            peak = max(peak, rss)
    return min(times), statistics.median(times), peak


def agenda_keys(store: Path) -> tuple[int, int | None, int | None]:
    """A contact with a cadence (for c keys and WHO), an open touchpoint (t keys) and an
    interaction (i keys), if any."""
    import sqlite3

    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        [(contact,)] = connection.execute(
            "SELECT min(id) FROM contact WHERE cadence IS NOT NULL AND NOT archived"
        ).fetchall()
        [(touchpoint,)] = connection.execute(
            "SELECT min(id) FROM touchpoint WHERE state = 'open'"
        ).fetchall()
        [(interaction,)] = connection.execute("SELECT min(id) FROM interaction").fetchall()
    finally:
        connection.close()
    return contact, touchpoint, interaction


def measure_side_by_side(
    commands: dict[str, tuple], runs: int
) -> dict[str, tuple[float, float, float]]:
    """`measure` for commands compared with each other, their runs taken in turn (one of
    each, then again), so a change of the machine's load falls on all of them alike. Each
    command is (argv, env) or (argv, env, prepare), `prepare` run untimed before each run."""
    times: dict[str, list[float]] = {label: [] for label in commands}
    peak = dict.fromkeys(commands, 0.0)
    for index in range(runs + 1):
        for label, (command, env, *prepare) in commands.items():
            if prepare and prepare[0] is not None:
                prepare[0]()
            elapsed, rss = run_once(command, env)
            if index:
                times[label].append(elapsed)
                peak[label] = max(peak[label], rss)
    return {
        label: (min(found), statistics.median(found), peak[label]) for label, found in times.items()
    }


@contextlib.contextmanager
def postgresql_store(store: Path) -> Iterator[str | None]:
    """The URL (without its password) of a database on a throwaway PostgreSQL server holding
    `store`, copied there by `rel store copy`; None, with a note, where there can be none.
    The server runs in postgres_store.py's process, stopped on leaving."""
    helper = subprocess.Popen([PYTHON, str(HERE / "postgres_store.py"), str(store)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = helper.stdout.readline().strip()
        if line.startswith("url "):
            yield line.removeprefix("url ")
        else:
            reason = line.removeprefix("skip ") or "the server could not be set up"
            print(f"PostgreSQL: {reason}; its rows are left out")
            yield None
    finally:
        helper.stdin.close()
        helper.wait(timeout=120)


def postgresql_password() -> str:
    """The throwaway server's password (tests/postgres_server.py), for rel through PGPASSWORD."""
    import postgres_store

    return postgres_store.postgres_server().PASSWORD


def check_same_agenda(url: str, on_sqlite: dict[str, str], on_postgresql: dict[str, str]) -> None:
    """Says so when `rel due` does not print the same agenda from both engines."""
    printed = [
        subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True).stdout
        for command, env in (([REL, "due"], on_sqlite), ([REL, "--db", url, "due"], on_postgresql))
    ]
    if printed[0] != printed[1]:
        print(f"warning: rel due prints {len(printed[0].splitlines())} lines on SQLite and "
              f"{len(printed[1].splitlines())} on PostgreSQL, not the same agenda")  # fmt: skip


def khard_command(size: str) -> list[str] | None:
    venv = OUT / "khard-venv"
    khard = venv / "bin" / "khard"
    if not khard.exists():
        try:
            subprocess.run(["uv", "venv", "-q", str(venv)], check=True, timeout=300)
            subprocess.run(["uv", "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
                            "khard"], check=True, timeout=600)  # fmt: skip
        except (OSError, subprocess.SubprocessError) as error:
            print(f"khard: cannot be installed here ({error}); its rows are left out")
            return None
    folder = generate.make_khard_cards(size)
    config = OUT / f"khard-{size}.conf"
    config.write_text(f"[addressbooks]\n[[bench]]\npath = {folder}\n[general]\neditor = true\n"
                      "merge_editor = true\n")  # fmt: skip
    return [str(khard), "-c", str(config), "list"]


def task_env(size: str) -> dict[str, str] | None:
    if shutil.which("task") is None:
        print("taskwarrior: not installed (apt-get install taskwarrior); its rows are left out")
        return None
    folder = generate.make_tasks(size)
    return {"TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--busy",
        action="store_true",
        help="with 100k in the sizes, also time rel due on the busy stores (80 %% of everyone on"
        " a cadence; the 100k one takes many minutes to generate)",
    )
    parser.add_argument(
        "--no-postgresql",
        dest="postgresql",
        action="store_false",
        help="leave out rel due on PostgreSQL (a throwaway server, filled by rel store copy)",
    )
    options = parser.parse_args()
    sizes = options.sizes.split(",")
    runs = options.runs
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(ROOT / "src"), str(Path(PYTHON).parents[1] / "lib")],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    # generated in a process of its own: this one stays small, so the peak memory of the
    # commands it starts (forked from it) is theirs alone
    busy = [f"{size}-busy" for size in ("10k", "100k") if "100k" in sizes and options.busy]
    imported = [f"{size}-imported" for size in sizes if size in ("10k", "100k")]
    subprocess.run([PYTHON, str(HERE / "generate.py"), *sizes, *busy, *imported], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    results: dict[str, tuple[float, float, float]] = {}

    def record(found: dict[str, tuple[float, float, float]]) -> None:
        for label, (low, middle, rss) in found.items():
            results[label] = (low, middle, rss)
            print(f"  measured {label:38s} {low:7.3f} {middle:7.3f} {rss:6.0f} MB", flush=True)

    def row(label: str, command: list[str], **kwargs) -> None:
        record({label: measure(command, runs, **kwargs)})

    row("python -c pass", [PYTHON, "-c", "pass"])
    row("python -c 'import sqlmodel'", [PYTHON, "-c", "import sqlmodel"])
    row("rel --help", [REL, "--help"])
    for size in sizes:
        store = generate.make_store(size)
        env = {"REL_DB": str(store), "REL_TODAY": TODAY}
        row(
            f"raw sqlite3 overdue list ({size})",
            [PYTHON, str(HERE / "raw_overdue.py"), str(store), TODAY],
        )
        # rel due on a year of history and on a fresh import, taken in turn with task next
        # (and, on 10k, with rel due on the same network copied into PostgreSQL)
        together = {f"rel due ({size})": ([REL, "due"], env)}
        if f"{size}-imported" in imported:
            store_imported = generate.make_imported_store(size)
            together[f"rel due ({size} imported)"] = (
                [REL, "due"], {"REL_DB": str(store_imported), "REL_TODAY": TODAY},
            )  # fmt: skip
        peers = task_env("10k") if size == "10k" else None
        if peers:
            together["task next (10k tasks)"] = (["task", "next"], peers)
        with contextlib.ExitStack() as stack:
            if size == "10k" and options.postgresql:
                url = stack.enter_context(postgresql_store(store))
                if url is not None:
                    on_postgresql = {
                        "REL_DB": url,
                        "REL_TODAY": TODAY,
                        "PGPASSWORD": postgresql_password(),
                    }
                    check_same_agenda(url, env, on_postgresql)
                    together[f"rel due ({size}, PostgreSQL)"] = (
                        [REL, "--db", url, "due"], on_postgresql,
                    )  # fmt: skip
            record(measure_side_by_side(together, runs))
        row(f"rel due --json ({size})", [REL, "due", "--json"], env=env)
        row(f"rel show ({size})", [REL, "show", "1"], env=env)
        row(f"rel list ({size})", [REL, "list"], env=env)
        row(f"rel dupes ({size})", [REL, "dupes"], env=env)
        # every everyday command that writes, each run on a fresh copy of the store, taken in
        # turn with task add (on 10k)
        scratch = OUT / f"scratch-{size}.db"
        on_scratch = {**env, "REL_DB": str(scratch)}

        def fresh_copy(store=store, scratch=scratch) -> None:
            shutil.copyfile(store, scratch)

        def fresh_copy_with_zelda(store=store, scratch=scratch, env=on_scratch) -> None:
            # one person the sentence names, added the way a person adds them
            shutil.copyfile(store, scratch)
            subprocess.run([REL, "add", "Zelda Quist", "--alias", "Zee"], check=True,
                           env={**os.environ, **env}, capture_output=True)  # fmt: skip

        contact, touchpoint, interaction = agenda_keys(store)
        keyed = interaction is not None
        opened = touchpoint is not None
        everyday = [
            ("rel log", ["log", "1", "call"]),
            ("rel log SENTENCE", ["log", "Lunch with Zelda Quist at the harbour, talked about the"
                                  " launch"]),
            ("rel add", ["add", "Zelda Quist", "--email", "zq@example.org", "--tag", "friend",
                         "--every", "3w"]),
            ("rel edit", ["edit", "1", "--title", "CTO", "--tag", "mentor", "--every", "2w"]),
            *([("rel edit KEY", ["edit", f"i{interaction}", "--note", "x"])] if keyed else []),
            ("rel tag", ["tag", "friend", "--every", "1m"]),
            ("rel archive", ["archive", "1"]),
            # acting on the agenda and scheduling
            ("rel done c", ["done", f"c{contact}", "called"]),
            *([("rel done t", ["done", f"t{touchpoint}"])] if opened else []),
            ("rel snooze", ["snooze", f"c{contact}", "friday"]),
            ("rel skip c", ["skip", f"c{contact}"]),
            *([("rel skip t", ["skip", f"t{touchpoint}"])] if opened else []),
            ("rel why", ["why", str(contact)]),
            ("rel remind", ["remind", str(contact), "send the deck", "--on", "friday"]),
            ("rel event", ["event", str(contact), "promotion", "VP", "--on", "yesterday"]),
            ("rel gift", ["gift", str(contact), "idea", "a book on sailing"]),
        ]  # fmt: skip
        commands = {
            f"{label} ({size})": (
                [REL, *words],
                on_scratch,
                fresh_copy_with_zelda if label == "rel log SENTENCE" else fresh_copy,
            )
            for label, words in everyday
        }
        if peers:
            commands["task add (10k tasks)"] = (["task", "add", "call Alice"], peers)
        record(measure_side_by_side(commands, runs))
    for size in busy:  # the stress case: 80 % of the network on a cadence
        store = generate.make_store(size.removesuffix("-busy"), busy=True)
        row(f"rel due ({size})", [REL, "due"], env={"REL_DB": str(store), "REL_TODAY": TODAY})
    if "10k" in sizes:
        cards = generate.make_vcards("10k")
        target = OUT / "import-10k.db"

        def empty_store() -> None:
            target.unlink(missing_ok=True)

        row("rel import vcard (10k cards)", [REL, "import", "vcard", str(cards)],
            env={"REL_DB": str(target), "REL_TODAY": TODAY}, prepare=empty_store)  # fmt: skip
        khard = khard_command("10k")
        if khard:
            row("khard list (10k cards)", khard)
        # harvesting a Takeout-shaped mbox into the 10k imported store (each run on a fresh
        # copy), in turn with the standard library reading the same mbox's headers
        mbox = generate.make_mbox("100k")
        harvest_store = OUT / "harvest-10k.db"

        def fresh_harvest_store() -> None:
            shutil.copyfile(generate.make_imported_store("10k"), harvest_store)

        record(measure_side_by_side({
            "rel import mbox (100k messages)": (
                [REL, "import", "mbox", str(mbox), "--me", "me@example.com"],
                {"REL_DB": str(harvest_store), "REL_TODAY": TODAY}, fresh_harvest_store,
            ),
            "stdlib mailbox headers (100k messages)": (
                [PYTHON, str(HERE / "mbox_floor.py"), str(mbox)], None,
            ),
        }, max(1, runs // 3)))  # fmt: skip
    report(results)


def report(results: dict[str, tuple[float, float, float]]) -> None:
    import platform

    print()
    print(f"{'command':40s} {'min s':>7s} {'median s':>8s} {'RSS MB':>7s}")
    for label, (low, middle, rss) in results.items():
        print(f"{label:40s} {low:7.3f} {middle:8.3f} {rss:7.0f}")
    print()
    targets = [
        ("rel --help", "python -c pass", 12.0),
        ("rel due (10k)", "python -c 'import sqlmodel'", 1.5),
        ("rel due (10k)", "task next (10k tasks)", 1.0),
        ("rel due (10k imported)", "task next (10k tasks)", 1.0),
        ("rel log (10k)", "python -c 'import sqlmodel'", 1.3),
        ("rel log SENTENCE (10k)", "rel log (10k)", 1.2),
        ("rel import vcard (10k cards)", "khard list (10k cards)", 1.0),
        ("rel import mbox (100k messages)", "stdlib mailbox headers (100k messages)", 2.0),
        ("rel due (100k)", "rel due (10k)", 3.0),
        ("rel due (100k imported)", "rel due (10k imported)", 3.0),
        ("rel due (100k-busy)", "rel due (10k-busy)", None),
        ("rel due (10k)", "raw sqlite3 overdue list (10k)", None),
        ("rel due (10k, PostgreSQL)", "rel due (10k)", 3.0),
        *((f"{command} (10k)", "task add (10k tasks)", 2.0) for command in EVERYDAY),
    ]
    print(f"{'ratio (medians)':62s} {'ratio':>6s} {'target':>7s}")
    for ours, floor, target in targets:
        if ours in results and floor in results:
            ratio = results[ours][1] / results[floor][1]
            verdict = "" if target is None else ("ok" if ratio <= target else "MISSED")
            goal = f"≤ {target:g}" if target else ""
            print(f"{ours + ' / ' + floor:62s} {ratio:6.2f} {goal:>7s} {verdict}")
    for label in ("rel due (10k)", "rel due (10k imported)"):
        if label in results:
            rss = results[label][2]
            print(f"{'peak RSS of ' + label + ', MB':62s} {rss:6.0f} {'≤ 60':>7s} "
                  f"{'ok' if rss <= 60 else 'MISSED'}")  # fmt: skip
    load = os.getloadavg()
    print(f"\n{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores,"
          f" load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
