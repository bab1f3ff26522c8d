"""The one input-file hasher: which files of a park folder an assessment counts, and their SHA-256.

``zcp evaluate``, ``zcp assess``, ``zcp verify`` and ``zcp pack`` all call these functions,
so a result, a report and a verification hash the same set of files the same way. The
selection needs no valid park (``verify`` must still name the changed file when an edit has
broken the park): every regular file under the folder, except hidden ones — a path with
any part starting with ``.`` (``.git/``, ``.DS_Store``, editor swap files) is skipped,
whether the dot is on the file or on a folder above it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

#: the zcp package folder; shipped files are named relative to it (or its parent)
PACKAGE_ROOT = Path(__file__).resolve().parent


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (``hashlib.file_digest``: streamed, not read whole)."""
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def park_input_files(root: str | Path, exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Every file of the park folder an assessment counts, sorted (see the module docstring).

    ``exclude`` names files to leave out — a report written inside the park folder.
    """
    root = Path(root)
    skip = {Path(p).resolve() for p in exclude}
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.resolve() not in skip:
            out.append(path)
    return out


def hash_park_inputs(root: str | Path, exclude: Iterable[str | Path] = ()) -> dict[str, str]:
    """{path relative to the folder, POSIX style: SHA-256} of :func:`park_input_files`."""
    root = Path(root)
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for path in park_input_files(root, exclude)
    }


def display_package_path(path: str | Path) -> str:
    """A shipped file named relative to the installation (``zcp/data/…``, ``standards/…``)."""
    resolved = Path(path).resolve()
    for base in (PACKAGE_ROOT.parent, PACKAGE_ROOT):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return resolved.as_posix()


def factor_files() -> list[Path]:
    """The factor-set files every assessment may read (hashed into results and reports)."""
    from zcp.factors import DATA_DIR

    return sorted((DATA_DIR / "factors").glob("*.yaml"))
