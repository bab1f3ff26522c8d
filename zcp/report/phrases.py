"""Text the report composes in both languages, with quoted input text marked by language.

A rule's reason or a gap's action is built from message templates (``messages.yaml``) and
values; some values are text the user wrote (an assessor's note, a document title) and
stay in the language they were written in. Such a quote keeps its language so the HTML can
mark it (``<span lang="en">``): a reader — and the language test — can tell a quoted
English note in the Chinese report from an untranslated phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_FIELD = re.compile(r"\{(\w+)\}")


def text_lang(text: str) -> str:
    """ "zh" if the text has any Chinese character, else "en" (good enough for notes)."""
    return "zh" if _CJK.search(text) else "en"


@dataclass(frozen=True)
class Quote:
    """Input text shown as written, in its own language."""

    text: str
    lang: str

    @staticmethod
    def of(text: str) -> Quote:
        return Quote(text, text_lang(text))


@dataclass(frozen=True)
class Code:
    """An identifier (metric, parameter, tenant id, profile id): shown as code, never
    translated."""

    text: str


@dataclass(frozen=True)
class Citation:
    """A source's title or clause as cited (often in several languages): shown as written,
    marked as a citation (``<cite>``), never translated."""

    text: str


Segment = str | Quote | Code | Citation


@dataclass(frozen=True)
class Phrase:
    """Segments of one sentence in one language; quotes carry their own language."""

    parts: tuple[Segment, ...] = ()

    @staticmethod
    def fill(template: str, values: dict[str, str | Quote | Phrase]) -> Phrase:
        """``template`` with each ``{name}`` replaced by its value (text, quote or phrase)."""
        parts: list[Segment] = []
        pos = 0
        for match in _FIELD.finditer(template):
            parts.append(template[pos : match.start()])
            value = values[match.group(1)]
            if isinstance(value, Phrase):
                parts.extend(value.parts)
            else:
                parts.append(value)
            pos = match.end()
        parts.append(template[pos:])
        return Phrase(tuple(p for p in parts if p != ""))

    def plain(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    @staticmethod
    def code(text: str) -> Phrase:
        return Phrase((Code(text),))

    def html(self, lang: str) -> Markup:
        out = []
        for part in self.parts:
            if isinstance(part, Code):
                out.append(Markup('<span class="mono">{}</span>').format(part.text))
            elif isinstance(part, Citation):
                out.append(Markup('<cite class="citation">{}</cite>').format(part.text))
            elif isinstance(part, Quote) and part.lang != lang:
                html_lang = "zh-CN" if part.lang == "zh" else part.lang
                out.append(
                    Markup('<span lang="{}" class="quote">{}</span>').format(html_lang, part.text)
                )
            else:
                out.append(escape(part if isinstance(part, str) else part.text))
        return Markup("").join(out)

    def __add__(self, other: Phrase) -> Phrase:
        return Phrase(self.parts + other.parts)


@dataclass(frozen=True)
class Said:
    """The same statement composed in Chinese and in English."""

    zh: Phrase
    en: Phrase

    def get(self, lang: str) -> Phrase:
        return self.en if lang == "en" else self.zh

    def plain(self, lang: str) -> str:
        return self.get(lang).plain()


def said_text(zh: str, en: str) -> Said:
    return Said(Phrase((zh,)), Phrase((en,)))


def say(value: object, lang: str) -> Markup:
    """Jinja filter: any report text (``Said``, ``Bilingual``, ``Phrase``, a segment, str)
    as HTML in ``lang``, quotes marked with their language; ``None`` → empty."""
    if value is None:
        return Markup("")
    if isinstance(value, Said):
        return value.get(lang).html(lang)
    if isinstance(value, Phrase):
        return value.html(lang)
    if isinstance(value, Quote | Code | Citation):
        return Phrase((value,)).html(lang)
    if hasattr(value, "zh") and hasattr(value, "en"):  # a Bilingual name or label
        given = value.en if lang == "en" else value.zh
        if given:
            return escape(given)
        # a name given in one language only: shown as written, its language marked
        return Phrase((Quote.of(value.zh or value.en or ""),)).html(lang)
    text = str(value)
    if lang == "en" and _CJK.search(text):  # data written in Chinese only (names, places)
        return Phrase((Quote(text, "zh"),)).html(lang)
    return escape(text)
