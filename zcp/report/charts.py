"""Small SVG charts drawn by hand: horizontal bars and a day-by-hour heat map.

Drawn here rather than with a plotting library so the output is tiny, deterministic
(no timestamps or random ids), and every ``<text>`` names its font — weasyprint's SVG
renderer does not inherit the page's CJK font. Labels are park strings and are escaped.
"""

from __future__ import annotations

import base64
import math
import unicodedata
from xml.sax.saxutils import escape, quoteattr

from zcp.report.phrases import text_lang

FONT = "Noto Sans CJK SC, Noto Sans CJK, WenQuanYi Micro Hei, sans-serif"
BAR_COLOUR = "#2f6f4f"


def data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URL, the one form the restricted fetcher always serves."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _text(
    x: float,
    y: float,
    body: str,
    *,
    size: float = 9,
    anchor: str = "start",
    fill: str = "#222",
    lang: str | None = None,
) -> str:
    marked = f' xml:lang="{lang}"' if lang else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family={quoteattr(FONT)} font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}"{marked}>{escape(body)}</text>'
    )


def _nice_number(value: float, digits: int = 1) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


#: Advance of a glyph at the charts' 9 pt label size [px]: a CJK character is a full em,
#: Latin letters and digits about half (Noto Sans CJK's proportional Latin, measured).
_WIDE_EM, _NARROW_EM = 9.0, 5.5


def _fitted(label: str, room: float) -> str:
    """``label`` as it fits in ``room`` [px] at the label size, cut with "…" if it does not:
    a CJK character takes twice a Latin one, so a Chinese name is cut at about half the
    characters of an English one (a fixed character count cut "Scope 2 (location-based)")."""
    used = 0.0
    for i, ch in enumerate(label):
        used += _WIDE_EM if unicodedata.east_asian_width(ch) in ("W", "F") else _NARROW_EM
        if used > room:
            return label[: max(i - 1, 1)] + "…"
    return label


def bar_chart(
    labels: list[str],
    values: list[float],
    *,
    unit: str,
    page_lang: str | None = None,
    width: float = 520,
    bar_height: float = 14,
    label_width: float = 150,
) -> str:
    """Horizontal bars, one per label, scaled to the largest absolute value. On an English
    page (``page_lang``), a label in Chinese (a name given only in Chinese) is marked
    ``xml:lang="zh-CN"``, as the report's HTML marks such names."""
    n = len(labels)
    top, gap = 6.0, 5.0
    height = top + n * (bar_height + gap) + 22
    plot_w = width - label_width - 70
    vmax = max((abs(v) for v in values), default=0.0) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}">'
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_height + gap)
        w = max(abs(value) / vmax * plot_w, 0.5 if value else 0.0)
        shown = _fitted(label, label_width - 10)
        lang = "zh-CN" if page_lang == "en" and text_lang(label) == "zh" else None
        parts.append(_text(label_width - 6, y + bar_height * 0.75, shown, anchor="end", lang=lang))
        colour = BAR_COLOUR if value >= 0 else "#b5452f"
        parts.append(
            f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{w:.1f}" '
            f'height="{bar_height:.1f}" fill="{colour}"/>'
        )
        parts.append(_text(label_width + w + 4, y + bar_height * 0.75, _nice_number(value)))
    axis_y = top + n * (bar_height + gap) + 2
    parts.append(
        f'<line x1="{label_width:.1f}" y1="{axis_y:.1f}" x2="{label_width + plot_w:.1f}" '
        f'y2="{axis_y:.1f}" stroke="#888" stroke-width="0.5"/>'
    )
    parts.append(_text(label_width + plot_w, axis_y + 14, unit, anchor="end", size=8, fill="#555"))
    parts.append("</svg>")
    return "".join(parts)


# Ten steps from red (nothing matched) through yellow to green (fully matched).
_SCALE = [
    "#b5452f",
    "#c8643a",
    "#d88645",
    "#e4a953",
    "#eccb66",
    "#d9d36a",
    "#b5c96a",
    "#8cba67",
    "#5fa463",
    "#2f8a57",
    "#1f6f47",
]
_MISSING = "#d9d9d9"


def _colour(value: float | None) -> str:
    if value is None or math.isnan(value):
        return _MISSING
    step = round(min(max(value, 0.0), 1.0) * (len(_SCALE) - 1))
    return _SCALE[step]


def heat_map(
    matrix: list[list[float | None]],
    *,
    legend: tuple[str, str, str],
    width: float = 520,
    height: float = 150,
) -> str:
    """Days along x, hours 0–23 down y; a cell's colour is its matched fraction (0..1).

    Runs of one colour along an hour's row become one rectangle, and all rectangles of a
    colour one ``<path>``: a full year of varied data is a dozen shapes, not thousands of
    nodes for the PDF renderer to walk.
    """
    days = len(matrix)
    hours = max((len(r) for r in matrix), default=24) or 24
    left, top, bottom = 28.0, 4.0, 30.0
    plot_w, plot_h = width - left - 6, height - top - bottom
    cw, ch = plot_w / max(days, 1), plot_h / hours
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" shape-rendering="crispEdges">'
    ]
    runs: dict[str, list[str]] = {}
    for hour in range(hours):
        y = top + hour * ch
        run_start, run_colour = 0, None
        for day in range(days + 1):
            row = matrix[day] if day < days else None
            colour = None if row is None else _colour(row[hour] if hour < len(row) else None)
            if colour != run_colour:
                if run_colour is not None:
                    runs.setdefault(run_colour, []).append(
                        f"M{left + run_start * cw:.2f} {y:.2f}h{(day - run_start) * cw:.2f}"
                        f"v{ch:.2f}h{-(day - run_start) * cw:.2f}z"
                    )
                run_start, run_colour = day, colour
    for colour in sorted(runs):
        parts.append(f'<path class="cells" fill="{colour}" d="{"".join(runs[colour])}"/>')
    for hour in (0, 6, 12, 18, 23):
        parts.append(_text(left - 4, top + (hour + 0.8) * ch, f"{hour:02d}", anchor="end", size=7))
    for day in range(0, days, max(days // 12, 1)):
        parts.append(_text(left + day * cw, top + plot_h + 10, str(day + 1), size=7))
    low, high, label = legend
    ly = top + plot_h + 16
    for i, colour in enumerate(_SCALE):
        parts.append(
            f'<rect x="{left + 60 + i * 14:.1f}" y="{ly:.1f}" width="14" height="7" '
            f'fill="{colour}"/>'
        )
    parts.append(_text(left + 56, ly + 6.5, low, anchor="end", size=7))
    parts.append(_text(left + 60 + len(_SCALE) * 14 + 4, ly + 6.5, high, size=7))
    parts.append(_text(left + 60 + len(_SCALE) * 14 + 40, ly + 6.5, label, size=7))
    parts.append("</svg>")
    return "".join(parts)
