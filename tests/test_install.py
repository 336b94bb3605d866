"""rel on the PATH: the README's `uv tool install .` gives a working `rel` command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not installed")
def test_uv_tool_install_puts_a_working_rel_on_the_path(tmp_path: Path) -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "uv tool install ." in readme and "pipx install ." in readme
    bin_dir = tmp_path / "bin"
    env = {
        **os.environ,
        "UV_TOOL_DIR": str(tmp_path / "tools"),
        "UV_TOOL_BIN_DIR": str(bin_dir),
        "REL_DB": str(tmp_path / "store" / "rel.db"),
    }
    env.pop("VIRTUAL_ENV", None)  # the tool gets its own environment, not the test's
    installed = subprocess.run(
        ["uv", "tool", "install", str(PROJECT)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    rel = bin_dir / "rel"
    version = subprocess.run([rel, "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.startswith("rel "), version.stderr
    added = subprocess.run([rel, "add", "Alice"], capture_output=True, text=True, env=env)
    assert added.returncode == 0 and added.stdout == "1\n", added.stderr
    listed = subprocess.run([rel, "list"], capture_output=True, text=True, env=env)
    assert "Alice" in listed.stdout
