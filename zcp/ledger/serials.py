"""Certificate and credit serials compared as the registry means them, printed as written.

Two claims of the same serial must be caught however each was typed: ``GEC2027NM0001``,
`` gec-2027-nm-0001`` and ``GEC2027NM1`` are one certificate. The canonical form, per scheme:

- every scheme: surrounding and inner whitespace dropped, letters upper-cased, separators
  (``- _ / . :`` and dashes ``– —``) dropped;
- a serial whose remaining characters are all digits — China's GEC codes (32 digits: a
  17-digit project filing code and 15 digits of production date and sequence), and numeric
  I-REC / GO certificate numbers — is one number: zero padding does not matter;
- otherwise (``GEC2023A0001``, ``CCER-9-0001``, ``V-10``) the serial is a prefix and the
  digits after the last separator or letter: the prefix compares without separators and
  case, the number as a number (``0090`` = ``90``). The number never swallows a separator,
  so ``CCER-9-0001`` and ``CCER-90-001`` stay different serials.

Messages always show serials as the file wrote them (zero padding kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s\-_/.:–—]+")
_TAIL = re.compile(r"^(.*?)(\d+)$")


@dataclass(frozen=True)
class CanonicalSerial:
    """A serial as compared (``prefix``, ``number``) and as written (for messages)."""

    prefix: str
    number: int
    written: str
    width: int  # digits of the number as written (zero padding kept in messages)
    written_prefix: str

    def as_written(self, number: int) -> str:
        """Serial ``number`` of this series, spelt the way this claim spells its serials."""
        return f"{self.written_prefix}{number:0{self.width}d}"


def canonical_serial(serial: str) -> CanonicalSerial:
    """The canonical form of ``serial``; raises ``ValueError`` if it ends in no number."""
    written = serial
    text = serial.strip()
    squeezed = _SEPARATORS.sub("", text)
    if squeezed.isdigit():
        return CanonicalSerial("", int(squeezed), written, len(squeezed), "")
    match = _TAIL.match(text)
    if not match:
        raise ValueError(f"serial {serial!r} must end in a number")
    head, digits = match.group(1), match.group(2)
    prefix = _SEPARATORS.sub("", head).upper()
    return CanonicalSerial(prefix, int(digits), written, len(digits), head)


def canonical_range(first: str, last: str) -> tuple[CanonicalSerial, CanonicalSerial]:
    """Both ends of a range, checked to share a prefix and to run forwards."""
    a, b = canonical_serial(first), canonical_serial(last)
    if a.prefix != b.prefix:
        raise ValueError(f"serials {first!r}..{last!r} must share a prefix and end in a number")
    if b.number < a.number:
        raise ValueError(f"serial range {first!r}..{last!r} runs backwards")
    return a, b
