"""rel sync vdir with the real tools of the vdir world: khard reads the folder rel writes and
edits it in its own format, vdirsyncer's filesystem storage carries it to a second vdir and
back (as it would to CardDAV). The engine does not matter here: SQLite only."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only


def tool(name: str) -> str:
    """The tool installed beside this Python (the dev dependencies), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (uv sync installs it with the dev dependencies)")
    return found


def run(*args: str, input: str | None = None) -> str:
    result = subprocess.run(args, capture_output=True, text=True, input=input, timeout=60)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


@pytest.fixture
def khard(tmp_path: Path):
    binary = tool("khard")
    book = tmp_path / "contacts"
    config = tmp_path / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[personal]]\npath = {book}\n\n"
        "[general]\ndefault_action = list\neditor = /bin/true\nmerge_editor = /bin/true\n\n"
        "[vcard]\npreferred_version = 3.0\n"
    )

    def khard_run(*args: str, input: str | None = None) -> str:
        return run(binary, "-c", str(config), *args, input=input)

    khard_run.book = book  # type: ignore[attr-defined]
    return khard_run


def test_khard_reads_rels_vdir_and_rel_reads_khards_edits(rel, rel_json, khard) -> None:
    book: Path = khard.book
    rel(
        "add", "Alice Chen", "--company", "Acme", "--email", "alice@example.com",
        "--phone", "+1 202 555 0100", "--birthday", "1990-03-14", ok=True,
    )  # fmt: skip
    rel("sync", "vdir", str(book), ok=True)
    listed = khard("list")
    assert "Alice Chen" in listed and "alice@example.com" in listed
    shown = khard("show", "alice")
    assert "Acme" in shown and "+1 202 555 0100" in shown
    assert "03/14/90" in shown  # the birthday, in khard's own format
    # an edit through khard's own YAML, written back in its own format
    template = khard("show", "--format", "yaml", "alice")
    assert "Organisation: Acme\n" in template
    edited = template.replace("Organisation: Acme\n", "Organisation: Initech\n").replace(
        "Title:\n", "Title: CTO\n", 1
    )
    path = book / "edited.yaml"
    path.write_text(edited)
    khard("edit", "-i", str(path), "alice", input="yes\n")
    path.unlink()
    assert "REV:" in next(book.glob("*.vcf")).read_text()  # khard wrote it
    result = rel("sync", "vdir", str(book), ok=True)
    assert "1 updated in rel" in result.stderr
    alice = rel_json("show", "alice")
    assert (alice["company"], alice["title"]) == ("Initech", "CTO")
    assert alice["emails"] == ["alice@example.com"]
    # a contact khard adds comes into rel
    new = re.sub(r"(?m)^First name *: *$", "First name : Dana", khard("template"), count=1)
    new = re.sub(r"(?m)^Last name *: *$", "Last name : Scully", new, count=1)
    path.write_text(new)
    khard("new", "-a", "personal", "-i", str(path))
    path.unlink()
    assert "1 added to rel" in rel("sync", "vdir", str(book), ok=True).stderr
    assert rel_json("show", "dana")["name"] == "Dana Scully"
    assert "nothing to do" in rel("sync", "vdir", str(book), ok=True).stderr


def test_vdirsyncer_carries_rels_cards_to_another_vdir_and_back(
    rel, rel_json, tmp_path: Path
) -> None:
    binary = tool("vdirsyncer")
    mine, other = tmp_path / "rel-book", tmp_path / "other-book"
    other.mkdir()
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(
        f'[general]\nstatus_path = "{tmp_path / "status"}/"\n\n'
        '[pair contacts]\na = "rel_book"\nb = "other_book"\ncollections = null\n\n'
        f'[storage rel_book]\ntype = "filesystem"\npath = "{mine}"\nfileext = ".vcf"\n\n'
        f'[storage other_book]\ntype = "filesystem"\npath = "{other}"\nfileext = ".vcf"\n'
    )

    def vdirsyncer(*args: str) -> str:
        return run(binary, "-c", str(config), *args)

    rel("add", "Alice Chen", "--company", "Acme", "--email", "alice@example.com", ok=True)
    rel("sync", "vdir", str(mine), ok=True)
    vdirsyncer("discover")
    vdirsyncer("sync")
    [arrived] = list(other.glob("*.vcf"))
    assert "FN:Alice Chen" in arrived.read_text() and arrived.name == next(mine.glob("*")).name
    # changed over there (a phone on the server): back through vdirsyncer into rel
    arrived.write_bytes(
        arrived.read_bytes().replace(b"END:VCARD", b"TEL;TYPE=CELL:+1 415 555 0199\r\nEND:VCARD")
    )
    vdirsyncer("sync")
    rel("sync", "vdir", str(mine), ok=True)
    assert rel_json("show", "alice")["phones"] == ["+1 415 555 0199"]
    # someone new in rel arrives over there
    rel("add", "Bob Stone", "--email", "bob@example.net", ok=True)
    rel("sync", "vdir", str(mine), ok=True)
    vdirsyncer("sync")
    assert sorted(b"Bob Stone" in p.read_bytes() for p in other.glob("*.vcf")) == [False, True]


@pytest.fixture
def radicale(tmp_path: Path):
    """A Radicale CardDAV server on 127.0.0.1 with one address book; its URL."""
    import socket
    import time
    import urllib.error
    import urllib.request

    pytest.importorskip("radicale", reason="Radicale is not installed (a dev dependency)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = none\n"
        f"[storage]\nfilesystem_folder = {tmp_path / 'dav'}\n[logging]\nlevel = error\n"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/rel/contacts/"
    body = (
        b'<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
        b"<set><prop><resourcetype><collection/><C:addressbook/></resourcetype></prop></set>"
        b"</mkcol>"
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(url, data=body, method="MKCOL")
                request.add_header("Content-Type", "application/xml")
                request.add_header("Authorization", "Basic cmVsOng=")  # rel:x, as vdirsyncer
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 201
                break
            except urllib.error.HTTPError:
                raise
            except OSError:  # not listening yet
                assert server.poll() is None and time.monotonic() < deadline, "no Radicale"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_contact_goes_from_rel_through_carddav_to_another_vdir_and_back(
    rel, rel_json, tmp_path: Path, radicale: str
) -> None:
    """rel's vdir ⇄ vdirsyncer ⇄ Radicale ⇄ vdirsyncer ⇄ a second vdir."""
    binary = tool("vdirsyncer")
    mine, other = tmp_path / "rel-book", tmp_path / "other-book"
    other.mkdir()
    server = f'type = "carddav"\nurl = "{radicale}"\nusername = "rel"\npassword = "x"\n'
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(
        f'[general]\nstatus_path = "{tmp_path / "status"}/"\n\n'
        '[pair up]\na = "mine"\nb = "server"\ncollections = null\n\n'
        '[pair down]\na = "server_too"\nb = "other"\ncollections = null\n\n'
        f'[storage mine]\ntype = "filesystem"\npath = "{mine}"\nfileext = ".vcf"\n\n'
        f"[storage server]\n{server}\n[storage server_too]\n{server}\n"
        f'[storage other]\ntype = "filesystem"\npath = "{other}"\nfileext = ".vcf"\n'
    )

    def vdirsyncer(*args: str) -> str:
        return run(binary, "-c", str(config), *args)

    rel("add", "Alice Chen", "--company", "Acme", "--email", "alice@example.com", ok=True)
    rel("sync", "vdir", str(mine), ok=True)
    vdirsyncer("discover")
    vdirsyncer("sync", "up")
    vdirsyncer("sync", "down")
    [arrived] = list(other.glob("*.vcf"))
    assert "FN:Alice Chen" in arrived.read_text() and "ORG:Acme" in arrived.read_text()
    # edited at the far end: down to the server, up to rel's folder, into rel
    arrived.write_bytes(arrived.read_bytes().replace(b"ORG:Acme", b"ORG:Initech"))
    vdirsyncer("sync", "down")
    vdirsyncer("sync", "up")
    assert "1 updated in rel" in rel("sync", "vdir", str(mine), ok=True).stderr
    assert rel_json("show", "alice")["company"] == "Initech"
