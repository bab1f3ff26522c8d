"""The jinja2 environment every zcp HTML document is rendered in (the assessment report and
the portfolio report): autoescaped, so every string from a park, rule or factor file is
escaped; strict, so a name missing from the template's data is an error, not a blank; and
with the report's number filters (``num``, ``pct``), so both documents format alike.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from zcp.report.i18n import number, percent


def template_environment(template_dir: Path) -> jinja2.Environment:
    """A jinja2 environment loading templates from ``template_dir``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.filters["pct"] = percent
    return env
