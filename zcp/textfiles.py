"""Which text encoding a file is in: UTF-8 (with or without BOM), else GB18030.

Tables exported by Chinese-language Excel and meter systems are often GBK, which GB18030
extends. A CSV that is not UTF-8 but decodes as GB18030 is read as GB18030; YAML must be
UTF-8 (the YAML spec says so) and a GBK one is refused with its encoding named. Anything
else is refused with the byte where decoding failed.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from zcp.errors import InputError, Problem

#: Tried in order; the first that decodes the file is its encoding.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
#: Bytes looked at to choose a large file's encoding.
SAMPLE_BYTES = 4 << 20


def _decodes(raw: bytes, encoding: str, *, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(raw, final=final)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(raw: bytes, path: str | Path, *, whole: bool = True) -> str:
    """The first of CSV_ENCODINGS that decodes ``raw`` (all of a file if ``whole``, or its
    first bytes); ``InputError`` naming where UTF-8 failed if none does."""
    for encoding in CSV_ENCODINGS:
        if _decodes(raw, encoding, final=whole):
            return encoding
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start
    raise InputError(
        Problem(
            f"neither UTF-8 nor GB18030/GBK text (byte {where:,} does not decode)",
            path=str(path),
            hint="save the file as UTF-8",
        )
    )


def read_csv_text(path: Path) -> str:
    """A CSV file's text, decoded as UTF-8 or GB18030 (see the module docstring)."""
    raw = path.read_bytes()
    return raw.decode(detect_encoding(raw, path))


def sniff_encoding(path: Path) -> str:
    """The encoding of a (possibly large) CSV file, judged on its first SAMPLE_BYTES."""
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    return detect_encoding(sample, path, whole=len(sample) < SAMPLE_BYTES)


def named_encoding(raw: bytes) -> str | None:
    """For a refusal message: 'GB18030/GBK' when non-UTF-8 bytes decode as such."""
    return "GB18030/GBK" if _decodes(raw, "gb18030", final=True) else None
