"""A park whose strings carry markup, URLs and paths: printed as text, nothing fetched."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL_PARK
from tests.report.conftest import pdf_text
from zcp.report import assess
from zcp.report import fetcher as fetcher_module

EVIL = {
    "script": "<script>alert('x')</script>",
    "img": '<img src="http://evil.example/track.png">',
    "file": "file:///etc/passwd",
    "dotdot": "../../x",
    "css": "<style>@import url(http://evil.example/a.css);</style>",
}


def evil_park() -> str:
    text = MINIMAL_PARK.replace(
        "name: 小型测试园区", f'name: "{EVIL["script"]}"\nname_en: "{EVIL["dotdot"]}"'
    )
    text = text.replace("name: 电池厂", f"name: '{EVIL['img']}'")
    text = text.replace("name: 机加工", f'name: "{EVIL["file"]}"')
    text = text.replace("province: 江苏省", f'province: 江苏省, city: "{EVIL["file"]}"')
    return text


ASSESSMENT = f"""\
kind: assessment
schema_version: 1
certification_body: '{EVIL["css"]}'
assessor: '<a href="file:///etc/shadow">{EVIL["img"]}</a>'
assessment_date: 2026-03-15
"""


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the renderer asks for during the test."""
    urls: list[str] = []
    original = fetcher_module.RestrictedFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_module.RestrictedFetcher, "fetch", spy)
    return urls


def test_user_strings_are_escaped_and_nothing_is_fetched(write_park, tmp_path, fetched):
    park = write_park(evil_park(), **{"assessment.yaml": ASSESSMENT})
    html = assess(park, tmp_path / "r.html").read_text(encoding="utf-8")
    for raw in ("<script>alert", '<img src="http://evil', "<style>@import", '<a href="file:'):
        assert raw not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    # a drawing graphviz refuses (markup in names) is reported in place; the report goes on
    assert "能流图无法绘制" in html or '<img class="flow"' in html

    pdf = assess(park, tmp_path / "r.pdf").read_bytes()
    assert all(url.startswith("data:") for url in fetched), fetched
    text = pdf_text(pdf, tmp_path)
    assert EVIL["script"] in text  # shown literally, as the user wrote it
    assert "file:///etc/passwd" in text
    assert "root:x:0:0" not in text
