"""The restricted URL fetcher: data: and the report's own assets only."""

from __future__ import annotations

import base64

import pytest
import weasyprint

from zcp.report.fetcher import ASSET_DIR, RefusedURL, RestrictedFetcher

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        (ASSET_DIR / ".." / "html.py").as_uri(),
        ASSET_DIR.as_uri() + "/../html.py",
        ASSET_DIR.as_uri() + "/missing.css",
        "file://otherhost" + str(ASSET_DIR / "report.css"),
    ],
)
def test_refuses_everything_but_data_and_assets(url):
    fetcher = RestrictedFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_serves_data_urls_and_asset_files():
    fetcher = RestrictedFetcher()
    data_url = "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()
    assert fetcher.fetch(data_url).read() == PNG_1PX
    css = fetcher.fetch((ASSET_DIR / "report.css").as_uri())
    assert b"@page" in css.read()
    assert css.content_type == "text/css"


def test_weasyprint_loads_nothing_outside(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG_1PX)
    html = f"""<html><head><link rel="stylesheet" href="http://example.com/a.css">
    <link rel="stylesheet" href="../../x.css"></head><body>
    <img src="{secret.as_uri()}"><img src="https://example.com/b.png">
    <img src="file:///etc/passwd"><p style="background: url(http://example.com/c.png)">x</p>
    </body></html>"""
    fetcher = RestrictedFetcher()
    weasyprint.HTML(string=html, base_url=ASSET_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    refused = set(fetcher.refused)
    assert secret.as_uri() in refused
    assert "http://example.com/a.css" in refused
    assert "https://example.com/b.png" in refused
    assert "file:///etc/passwd" in refused
    assert any(u.endswith("/x.css") for u in refused)
