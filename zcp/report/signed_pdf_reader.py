"""pyHanko's PDF reader with each object stream's table of contents read once.

pyHanko (0.38) finds an object inside a compressed object stream by reading the stream's
header — the (object number, offset) pairs — from the start every time it is asked for one
object: O(n) per object, O(n²) per file. weasyprint writes every compressible object of a
report into a single object stream (a tagged 20-page report holds thousands of structure
elements there), and a signature's modification analysis walks all of them once per
revision, so checking a three-signature chain took ~180 s on the smallest test report.

``IndexedPdfReader`` parses each object stream's header once and then seeks straight to the
object. Anything it does not recognise (a malformed header, an object the index does not
hold, an object type the PDF specification forbids inside an object stream) goes to
pyHanko's own method, so errors and strict-mode behaviour are pyHanko's.
"""

from __future__ import annotations

import io
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import PdfFileReader


class _ObjectStream:
    """A decoded object stream and where each object in it starts [bytes]."""

    def __init__(self, data: bytes, first: int, offsets: dict[int, int]) -> None:
        self.data = data
        self.first = first
        self.offsets = offsets


def _index(stream: Any) -> _ObjectStream | None:
    """The stream's header read once; None when it is not a well-formed object stream."""
    if not isinstance(stream, generic.StreamObject) or stream.get("/Type") != "/ObjStm":
        return None
    data = stream.read_data(DecodePurpose.OBJECT_STREAM)
    buffer = io.BytesIO(data)
    offsets: dict[int, int] = {}
    try:
        for _ in range(int(stream["/N"])):
            misc.read_non_whitespace(buffer, seek_back=True)
            number = int(generic.NumberObject.read_from_stream(buffer))
            misc.read_non_whitespace(buffer, seek_back=True)
            offset = int(generic.NumberObject.read_from_stream(buffer))
            offsets.setdefault(number, offset)  # pyHanko takes the first entry too
        return _ObjectStream(data, int(stream["/First"]), offsets)
    except (ValueError, KeyError, misc.PdfReadError):
        return None


class IndexedPdfReader(PdfFileReader):
    """A ``PdfFileReader`` that reads each object stream's header once (see module doc)."""

    def __init__(self, stream: Any, strict: bool = True) -> None:
        super().__init__(stream, strict=strict)
        self._object_streams: dict[int, _ObjectStream | None] = {}

    def _get_object_from_stream(self, idnum: int, stmnum: int, idx: int) -> Any:
        if stmnum not in self._object_streams:
            self._object_streams[stmnum] = _index(generic.Reference(stmnum, 0, self).get_object())
        index = self._object_streams[stmnum]
        if index is None or idnum not in index.offsets:
            return super()._get_object_from_stream(idnum, stmnum, idx)
        buffer = io.BytesIO(index.data)
        buffer.seek(index.first + index.offsets[idnum])
        try:
            obj = generic.read_object(buffer, generic.Reference(idnum, 0, self))
        except (misc.PdfStreamError, misc.PdfReadError):
            return super()._get_object_from_stream(idnum, stmnum, idx)
        if isinstance(obj, generic.StreamObject | generic.IndirectObject):
            return super()._get_object_from_stream(idnum, stmnum, idx)
        return obj
