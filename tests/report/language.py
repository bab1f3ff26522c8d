"""Finding text in a rendered report that is not in the report's language.

The page is read as a reader sees it: every text node outside ``<style>``/``<script>``.
Allowed exceptions, and only these:

- text inside an element whose ``lang`` differs from the page's: a name or note given only
  in that language, shown as written and marked (``<span lang="en">``);
- machine identifiers: ``<code>`` and elements of class ``mono`` (ids, codes), ``path``
  (file names) and ``hash`` (digests);
- what is reproduced as written, not composed by zcp: class ``citation`` (a source's title
  and clause as the rule or factor file cites it), ``name`` (a name from the park's own
  files, e.g. the certification body) and ``formula`` (mathematical notation);
- charts and drawings (SVG ``data:`` images) are read on the English page, their
  ``xml:lang`` as ``lang``; a Chinese drawing marks its Latin-only names itself (tested
  with the flow page);
- in Chinese text: tokens that are identifiers (contain ``_``, a digit, ``@``, ``/`` or
  ``.`` inside), and the units and codes of ``LATIN_ALLOWED``.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

#: Latin words a Chinese report may print: units, standard codes, file formats, and the
#: two-letter symbols of the method's formulas (AD activity data, EF emission factor) and
#: Roman class numbers (II类电能计量装置).
_ALLOWED_WORDS = """kV MW MWh kW kWh GW GWh TWh tce kgce t tCO2 tCO2e CO2 CO2e CH4 N2O kg min h
m3 Nm3 GJ TJ MJ km m MPa SHA PDF CSV JSON HTML zcp GB T ISO IPCC AR5 AR6 GWP100 CCER GEC I
REC VCS UTC pvlib AD EF II III IV VI"""
LATIN_ALLOWED = frozenset(_ALLOWED_WORDS.split())
SKIP_TAGS = {"style", "script"}
SKIP_CLASSES = {"mono", "path", "hash", "citation", "name", "formula"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_IDENTIFIER = re.compile(r"[\w.@/+-]*[_\d@/][\w.@/+-]*|[A-Za-z]+(?:\.[A-Za-z]+)+")
_WORD = re.compile(r"[A-Za-z]+")
_SVG_URI = "data:image/svg+xml;base64,"
#: an SVG's titles are tooltips (graphviz writes node and edge ids in them), never drawn
_SVG_SKIP = frozenset({"title"})
_VOID = {"br", "img", "col", "meta", "hr", "input", "link", "wbr", "source"}


class _Reader(HTMLParser):
    def __init__(self, page_lang: str, skip: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.skip = SKIP_TAGS | skip
        self.stack: list[bool] = []  # per open element: is its text exempt?
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        src = attrs.get("src") or ""
        exempt = bool(self.stack and self.stack[-1])
        if tag == "img" and src.startswith(_SVG_URI) and self.page_lang == "en" and not exempt:
            # a chart's or drawing's words are read like the page's (``xml:lang`` marks a
            # name); only in English: a Chinese drawing prints node and flow ids as plain
            # text lines, which no Latin-word rule can tell from prose
            svg = base64.b64decode(src[len(_SVG_URI) :]).decode()
            self.texts += visible_texts(svg, self.page_lang, _SVG_SKIP)
        if tag in _VOID:
            return
        lang = (attrs.get("lang") or attrs.get("xml:lang") or "").split("-")[0]
        classes = set((attrs.get("class") or "").split())
        exempt = (
            (self.stack[-1] if self.stack else False)
            or tag in self.skip
            or tag == "code"
            or bool(classes & SKIP_CLASSES)
            or (bool(lang) and tag != "html" and lang != self.page_lang)
        )
        self.stack.append(exempt)

    def handle_endtag(self, tag):
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str, lang: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """The report's text nodes a language check applies to (exemptions removed)."""
    reader = _Reader(lang, skip)
    reader.feed(html)
    return reader.texts


def foreign_runs(html: str, lang: str) -> list[str]:
    """Text nodes with words not in ``lang``: Latin words in a zh report, CJK in an en one."""
    found = []
    for text in visible_texts(html, lang):
        if lang == "en":
            if _CJK.search(text):
                found.append(text)
            continue
        rest = _IDENTIFIER.sub(" ", text)
        # single letters are grades, appendix and formula symbols ("A 级", "附录B")
        words = [w for w in _WORD.findall(rest) if w not in LATIN_ALLOWED and len(w) > 1]
        if words:
            found.append(f"{text}  <- {' '.join(words)}")
    return found
