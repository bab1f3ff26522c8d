"""One place for zcp's error types.

User-facing errors carry where the problem is (file, line, column, field) and, where one
helps, a hint. The CLI prints them as ``path:line:col: message (hint)`` and exits 2; only
programming errors raise anything else.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    path: str | None = None
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based
    field: str | None = None  # dotted location inside the document, e.g. "flows[3].carrier"
    hint: str | None = None
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = f"{where}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" — {self.hint}"
        return text


class ZcpError(Exception):
    """Base class of every error zcp reports to a user (exit code 2)."""

    exit_code = 2

    def __init__(self, problems: Problem | Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(ZcpError):
    """An input file cannot be read, parsed or validated."""


class ParkError(InputError):
    """A park folder is not a valid park."""


class ReadingsError(InputError):
    """A readings file is malformed."""


class RuleFileError(InputError):
    """A rule-set, rule-test or factor file is malformed."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean ...?" hint for a misspelt identifier, or None."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
