"""A string in Chinese and English, the unit every report text is made of."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Bilingual:
    """A string given in Chinese and English; either may stand in for the other."""

    zh: str
    en: str | None = None

    def get(self, lang: str) -> str:
        if lang == "en":
            return self.en or self.zh
        return self.zh or self.en or ""


def bi(value: Any) -> Bilingual:
    """A ``Bilingual`` from a plain string, a ``{zh, en}`` mapping or an object with both."""
    if isinstance(value, Bilingual):
        return value
    if value is None:
        return Bilingual("")
    if isinstance(value, dict):
        return Bilingual(str(value.get("zh") or value.get("en") or ""), value.get("en"))
    if hasattr(value, "zh"):
        return Bilingual(value.zh, getattr(value, "en", None))
    return Bilingual(str(value))
