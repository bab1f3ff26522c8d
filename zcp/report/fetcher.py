"""The only way weasyprint may load anything while rendering a report.

A report is built from a park's own strings (names, notes, evidence paths). If one of them
ever reached the HTML as markup, weasyprint would happily fetch ``http://…`` or read
``file:///etc/passwd``. This fetcher serves ``data:`` URLs and files inside the report's
own asset folder and refuses everything else, so even an escaping bug cannot leak data or
touch the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_DIR = Path(__file__).parent / "assets"


class RefusedURL(ValueError):
    """A URL the report renderer will not load."""


class RestrictedFetcher(URLFetcher):
    """Serve ``data:`` URLs and files under ``asset_dir``; refuse every other URL."""

    def __init__(self, asset_dir: Path = ASSET_DIR) -> None:
        super().__init__(allowed_protocols=["data", "file"])
        self.asset_dir = Path(asset_dir).resolve()
        #: every URL refused, so tests (and a curious user) can see what was attempted
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._inside_assets(url)
            if path is not None:
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise RefusedURL(f"report renderer refuses to load {url!r}")

    def _inside_assets(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        raw = unquote(parts.path)
        if ".." in Path(raw).parts:
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.asset_dir) or not path.is_file():
            return None
        return path
