"""A large vCard file is parsed by worker processes: the same records, in the same order,
with the same card numbers in what is skipped, as one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from rel.formats.text import DEFAULT_LEGACY_CHARSET
from rel.formats.vcard import _LINE_END, CHUNK, PARALLEL_FROM, _parse_cards, _split_cards

from .conftest import REALWORLD


def generated_cards(count: int, broken: int | None = None) -> bytes:
    cards = []
    for n in range(1, count + 1):
        if n == broken:
            cards.append("BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:no name at all\r\nEND:VCARD\r\n")
            continue
        cards.append(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nN:{n};Person;;;\r\n"
            f"EMAIL:person{n}@example.org\r\nBDAY:1980-{n % 12 + 1:02d}-{n % 28 + 1:02d}\r\n"
            "END:VCARD\r\n"
        )
    return "".join(cards).encode("utf-8")


def parsed(data: bytes, workers: int) -> list:
    cards = _split_cards(_LINE_END.split(data))
    return list(_parse_cards(cards, DEFAULT_LEGACY_CHARSET, workers=workers))


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="the real-world fixtures are absent")
def test_workers_read_real_files_as_one_process_does() -> None:
    data = b"".join(path.read_bytes() for path in sorted(REALWORLD.glob("*.vcf"))
                    if not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff")))  # fmt: skip
    data *= 1 + (2 * CHUNK) // data.count(b"BEGIN:VCARD")  # more than two chunks
    alone, by_workers = parsed(data, workers=1), parsed(data, workers=2)
    assert len(alone) > 2 * CHUNK
    assert by_workers == alone


def test_a_large_import_takes_every_card_and_numbers_the_skipped_one_right(
    rel, store_path: Path, tmp_path: Path
) -> None:
    cards = tmp_path / "big.vcf"
    cards.write_bytes(generated_cards(PARALLEL_FROM + 100, broken=PARALLEL_FROM - 7))
    result = rel("import", "vcard", str(cards), ok=True)
    assert f"{PARALLEL_FROM + 99} added" in result.stderr
    assert f"card {PARALLEL_FROM - 7} " in result.stderr  # the one without a name
    listed = rel("list", "--json", ok=True).stdout
    assert '"Person 1"' in listed and f'"Person {PARALLEL_FROM + 100}"' in listed
