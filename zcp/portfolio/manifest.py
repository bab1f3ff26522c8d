"""The batch manifest (``kind: portfolio_manifest``): which park folders a batch covers.

``zcp synth --portfolio`` writes one; a provincial authority writes its own list. Each entry
names a folder by ``path`` — relative to the manifest's folder, absolute, or an fsspec URL
(``s3://…``, ``file://…``) kept as written. Other fields (id, stage, seeded double claims)
are for people and tests; the batch reads only the paths.
"""

from __future__ import annotations

from pathlib import Path

from zcp.errors import InputError, Problem
from zcp.portfolio.sources import is_url
from zcp.yamlio import load_yaml


def manifest_sources(path: str | Path) -> list[str]:
    """The park sources a manifest lists, in its order."""
    doc = load_yaml(Path(path))
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") != "portfolio_manifest":
        raise InputError(
            doc.problem("not a portfolio manifest", ("kind",), hint="kind: portfolio_manifest")
        )
    parks = data.get("parks")
    if not isinstance(parks, list) or not parks:
        raise InputError(doc.problem("'parks' must list the park folders", ("parks",)))
    base = Path(path).parent
    sources: list[str] = []
    problems: list[Problem] = []
    for i, entry in enumerate(parks):
        raw = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(raw, str) or not raw.strip():
            problems.append(doc.problem("a folder path or URL is needed", ("parks", i, "path")))
            continue
        sources.append(raw if is_url(raw) or Path(raw).is_absolute() else str(base / raw))
    if problems:
        raise InputError(problems)
    return sources
