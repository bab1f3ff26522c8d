"""Where a park folder of a batch lives: a local path, or an fsspec URL copied locally.

A certification body keeps its clients' folders on a file share or in an object store; a
worker of a remote Dask cluster cannot see the client's disk. So a batch names each park
by a *source* string — a local path, or any URL fsspec understands (``file://``,
``s3://bucket/park``, ``memory://`` …) — and the worker that assesses it materialises the
folder itself: local paths are used in place, URLs are copied into a scratch folder that
is removed afterwards. The single-park functions then read an ordinary folder.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from zcp.errors import InputError, Problem


def is_url(source: str) -> bool:
    """True for ``proto://…`` sources other than plain local paths."""
    return "://" in source


@contextlib.contextmanager
def local_folder(source: str) -> Iterator[Path]:
    """The park folder named by ``source`` as a local path (a scratch copy for URLs)."""
    if not is_url(source):
        yield Path(source)
        return
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(source)
    except (ValueError, ImportError) as exc:  # unknown protocol, or its driver is missing
        raise InputError(Problem(f"cannot open {source}: {exc}", path=source)) from None
    if not fs.isdir(root):
        raise InputError(Problem("park folder not found", path=source))
    with tempfile.TemporaryDirectory(prefix="zcp-park-") as scratch:
        target = Path(scratch) / "park"
        fs.get(root.rstrip("/") + "/", str(target), recursive=True)
        yield target
