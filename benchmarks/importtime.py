"""What `rel --help`, `rel due` and `rel log` spend on imports: `python -X importtime`, the 15
largest cumulative costs of each (top-level packages only).

    uv run python benchmarks/importtime.py [STORE]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def top_costs(args: list[str], env: dict[str, str], count: int = 15) -> list[tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rel", *args],
        capture_output=True, text=True, env={**os.environ, **env}, check=True,
    )  # fmt: skip
    costs = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit() and name.startswith(" ") and not name.startswith("  "):
            costs.append((int(cumulative), name.strip()))
    return sorted(costs, reverse=True)[:count]


def main() -> None:
    store = Path(sys.argv[1]) if len(sys.argv) > 1 else generate.make_store("10k")
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "rel.db"
        shutil.copyfile(store, scratch)
        env = {"REL_DB": str(scratch), "REL_TODAY": generate.TODAY.isoformat()}
        for args in (["--help"], ["due"], ["log", "1", "call"]):
            costs = top_costs(args, env)
            total = sum(cost for cost, _ in costs)
            print(
                f"rel {' '.join(args)}: top-level imports, cumulative µs (sum {total / 1000:.0f} ms)"
            )
            for cost, name in costs:
                print(f"  {cost / 1000:8.1f} ms  {name}")
            print()


if __name__ == "__main__":
    main()
