"""Layout faults read from a PDF's text positions (poppler's ``pdftotext -bbox-layout``).

Two faults a reader sees at once and a text comparison never does:

- clipped text: a word whose box reaches past the page's edge (a table wider than the page);
- squeezed text: a column so narrow that its text wraps one glyph per line — three or more
  lines in a row, stacked at the same left edge, each holding a single letter or Chinese
  character (digits and punctuation are left out: a column of single-digit counts or the
  contents' leader dots are normal).
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

_NS = "{http://www.w3.org/1999/xhtml}"
EDGE_TOLERANCE = 0.5  # [pt]
SQUEEZED_RUN = 3  # lines of one glyph each
NEIGHBOUR_GAP = 6.0  # [pt] a word closer than this to a glyph's right is on its line


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words(pdf: Path) -> tuple[list[Word], dict[int, tuple[float, float]]]:
    """Every word with its box [pt], and each page's (width, height) [pt]."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    root = ET.fromstring(xhtml)
    out, sizes = [], {}
    for number, page in enumerate(root.iter(f"{_NS}page"), start=1):
        sizes[number] = (float(page.get("width")), float(page.get("height")))
        for line in page.iter(f"{_NS}line"):
            for w in line.iter(f"{_NS}word"):
                box = [float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
                out.append(Word(number, w.text or "", *box))
    return out, sizes


def clipped(all_words: list[Word], sizes: dict[int, tuple[float, float]]) -> list[Word]:
    """Words whose box is not wholly on the page."""
    bad = []
    for w in all_words:
        width, height = sizes[w.page]
        if (
            w.x0 < -EDGE_TOLERANCE
            or w.y0 < -EDGE_TOLERANCE
            or w.x1 > width + EDGE_TOLERANCE
            or w.y1 > height + EDGE_TOLERANCE
        ):
            bad.append(w)
    return bad


def _single_glyph(word: Word) -> bool:
    return len(word.text) == 1 and word.text.isalpha()  # not digits, not leader dots


def _alone(word: Word, line: list[Word]) -> bool:
    """No other word follows it closely on its line ("A" in "grade A level" is not alone)."""
    return not any(
        o is not word and abs(o.y0 - word.y0) < 1.0 and 0 <= o.x0 - word.x1 < NEIGHBOUR_GAP
        for o in line
    )


def squeezed(all_words: list[Word]) -> list[list[Word]]:
    """Runs of ``SQUEEZED_RUN`` or more lone one-glyph lines stacked at one left edge."""
    by_line: dict[tuple[int, int], list[Word]] = {}
    for w in all_words:
        by_line.setdefault((w.page, round(w.y0)), []).append(w)
    by_column: dict[tuple[int, int], list[Word]] = {}
    for w in all_words:
        if _single_glyph(w) and _alone(w, by_line[(w.page, round(w.y0))]):
            by_column.setdefault((w.page, round(w.x0)), []).append(w)
    runs = []
    for column in by_column.values():
        column.sort(key=lambda w: w.y0)
        run: list[Word] = []
        for w in column:
            step_ok = not run or (0 < w.y0 - run[-1].y0 <= 2.5 * (run[-1].y1 - run[-1].y0))
            if _single_glyph(w) and step_ok:
                run.append(w)
            else:
                if len(run) >= SQUEEZED_RUN:
                    runs.append(run)
                run = [w] if _single_glyph(w) else []
        if len(run) >= SQUEEZED_RUN:
            runs.append(run)
    return runs


def layout_faults(pdf: Path) -> list[str]:
    """Each clipped word and each squeezed run, described for a failing test."""
    all_words, sizes = words(pdf)
    faults = [
        f"page {w.page}: '{w.text}' runs off the page at x={w.x1:.0f}"
        for w in clipped(all_words, sizes)
    ]
    faults += [
        f"page {r[0].page}: one glyph per line at x={r[0].x0:.0f}: {''.join(w.text for w in r)}"
        for r in squeezed(all_words)
    ]
    return faults
