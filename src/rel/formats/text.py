"""Bytes of a real file as text: byte-order marks, UTF-16 without one, legacy 8-bit charsets."""

from __future__ import annotations

import codecs

from rel.errors import BadValue

# 8-bit text that declares no charset is read as Windows-1252: what Outlook and most Windows
# address books wrote. `rel import --charset` names another (iso-8859-2 for Polish, ...).
DEFAULT_LEGACY_CHARSET = "cp1252"


def check_charset(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise BadValue(
            f"expected a character set such as utf-8, cp1252 or iso-8859-2; got {name!r}"
        ) from None


def utf16_kind(data: bytes) -> str | None:
    """`utf-16` (with a BOM), `utf-16-le` / `utf-16-be` (without), or None for 8-bit text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:400]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if even_zeros > half * 0.4 and odd_zeros < half * 0.1:
        return "utf-16-be"
    if odd_zeros > half * 0.4 and even_zeros < half * 0.1:
        return "utf-16-le"
    return None


def decode_line(raw: bytes, charset: str | None, fallback: str) -> str:
    """Text of an 8-bit file: UTF-8 when it is, else the declared charset, else `fallback`
    (a byte it has no character for becomes U+FFFD)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for name in (charset, fallback):
        if name:
            try:
                return raw.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
    return raw.decode(fallback, errors="replace")


def decode_text(data: bytes, *, fallback: str = DEFAULT_LEGACY_CHARSET) -> str:
    """A whole file as text (for CSV): UTF-16 by BOM or by its zero bytes, else UTF-8 (with or
    without BOM), else `fallback`."""
    if not data:
        return ""
    kind = utf16_kind(data)
    if kind:
        try:
            return data.decode(kind).lstrip("\ufeff")
        except UnicodeDecodeError as error:
            raise BadValue(
                f"the file looks like UTF-16 but is not (bytes {error.start}-{error.end} "
                "are not a character)"
            ) from None
    if b"\x00" in data[:4096]:
        raise BadValue("the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(fallback, errors="replace")
